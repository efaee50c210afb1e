"""Neo4j 5 schema DDL, rendered from :data:`graphdb.domain.INDEXES`; idempotent by name."""

from __future__ import annotations

from graphdb import statement as cypher
from graphdb.domain import INDEXES
from graphdb.domain.search import statements as search_statements
from graphdb.indexes import Index

# The backend's look at its own DDL: schema statements, run only by ``apply_indexes``.
LIST_INDEXES = cypher.schema("neo4j.list_indexes", "SHOW INDEXES YIELD name RETURN name")
LIST_CONSTRAINTS = cypher.schema(
    "neo4j.list_constraints", "SHOW CONSTRAINTS YIELD name RETURN name"
)
# The importing WITH runs on every Neo4j 5; the scope clause, CALL (n) { ... }, only from 5.23.
# Indexes an older hub created and nothing queries any more: full-text on the names
# themselves with the cjk analyzer, replaced by the search terms (graphdb.search_text).
OBSOLETE = {
    name: cypher.schema(f"neo4j.drop.{name}", f"DROP INDEX {name} IF EXISTS")
    for name in (
        "organization_name_fulltext",
        "person_name_fulltext",
        "enterprise_name_fulltext",
        "activity_title_fulltext",
    )
}
DELETE_ALL = cypher.schema(
    "neo4j.delete_all",
    "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
)


def statement(index: Index) -> cypher.Statement:
    label, name = index.label, index.name
    if index.kind == "unique":
        (prop,) = index.properties
        text = f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.{prop} IS UNIQUE"
    elif index.kind == "lookup":
        (prop,) = index.properties
        text = f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"
    else:
        fields = ", ".join(f"n.{prop}" for prop in index.properties)
        text = (
            f"CREATE FULLTEXT INDEX {name} IF NOT EXISTS FOR (n:{label}) ON EACH [{fields}]"
            # The terms are the hub's own (graphdb.search_text): split on spaces, nothing more.
            " OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}"
        )
    return cypher.schema(f"neo4j.{name}", text)


_FULLTEXT = {index.label: index.name for index in INDEXES if index.kind == "fulltext"}
SEARCH, SEARCH_WHOLE_TREE = search_statements(
    "neo4j",
    lambda label: f"CALL db.index.fulltext.queryNodes('{_FULLTEXT[label]}', $text) YIELD node",
)

# Declared at import so that the Cypher lint test sees every DDL statement.
ALL_STATEMENTS = [statement(index) for index in INDEXES]
