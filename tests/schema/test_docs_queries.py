import re
from pathlib import Path

from graphql import parse, validate

from graphdb import Store
from schema import schema
from tests.fixtures.asking import ask_result

DOC = Path(__file__).parents[2] / "docs" / "queries.md"


def test_every_documented_query_is_valid() -> None:
    queries = re.findall(r"```graphql\n(.*?)```", DOC.read_text(), flags=re.S)
    assert len(queries) >= 10
    for query in queries:
        assert validate(schema._schema, parse(query)) == [], query


def documented_round_trips() -> list[tuple[str, str, int]]:
    """(title, query, round trips) of each documented query that needs no variables."""
    found = []
    for section in DOC.read_text().split("\n## ")[1:]:
        trips = re.search(r"Database round trips: (\d+)\.", section)
        query = re.search(r"```graphql\n(.*?)```", section, flags=re.S)
        if trips and query and "$" not in query.group(1):
            found.append((section.splitlines()[0], query.group(1), int(trips.group(1))))
    return found


async def test_documented_round_trips_are_what_the_queries_cost(seeded: Store) -> None:
    documented = documented_round_trips()
    assert len(documented) >= 8
    costs = {}
    for title, query, _ in documented:
        result, calls = await ask_result(seeded, query)
        assert result.errors is None, (title, result.errors)
        costs[title] = calls
    assert costs == {title: trips for title, _, trips in documented}
