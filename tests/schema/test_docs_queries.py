import re
from pathlib import Path

from graphql import parse, validate

from schema import schema

DOC = Path(__file__).parents[2] / "docs" / "queries.md"


def test_every_documented_query_is_valid() -> None:
    queries = re.findall(r"```graphql\n(.*?)```", DOC.read_text(), flags=re.S)
    assert len(queries) >= 10
    for query in queries:
        assert validate(schema._schema, parse(query)) == [], query
