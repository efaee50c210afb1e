"""FalkorDB schema DDL, rendered from :data:`graphdb.domain.INDEXES`.

* lookup: ``CREATE INDEX FOR (n:L) ON (n.p)`` (a range index);
* unique: a range index, then ``GRAPH.CONSTRAINT CREATE g UNIQUE NODE L PROPERTIES 1 p``
  (FalkorDB requires the index first; the constraint is a command, not Cypher);
* fulltext: ``db.idx.fulltext.createNodeIndex`` on the hub's own search terms
  (``graphdb.search_text``: ASCII, so the index's tokenizer keeps them whole).

FalkorDB has no ``IF NOT EXISTS``: what exists is read from ``db.indexes()`` and
``db.constraints()`` and skipped, which makes migration idempotent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graphdb import statement as cypher
from graphdb.domain import INDEXES
from graphdb.domain.search import statements as search_statements
from graphdb.indexes import Index
from graphdb.store import Record

# The backend's look at its own DDL: schema statements, run only by ``apply_indexes``.
LIST_INDEXES = cypher.schema(
    "falkordb.list_indexes",
    "CALL db.indexes() YIELD label, properties, types RETURN label, properties, types",
)
LIST_CONSTRAINTS = cypher.schema(
    "falkordb.list_constraints",
    "CALL db.constraints() YIELD type, label, properties RETURN type, label, properties",
)


@dataclass(frozen=True)
class Step:
    name: str
    key: tuple[str, str, str]
    statement: cypher.Statement | None


def _range_index(label: str, prop: str) -> cypher.Statement:
    return cypher.schema(
        f"falkordb.index.{label}.{prop}", f"CREATE INDEX FOR (n:{label}) ON (n.{prop})"
    )


def _fulltext(index: Index) -> cypher.Statement:
    fields = ", ".join(f"'{prop}'" for prop in index.properties)
    return cypher.schema(
        f"falkordb.fulltext.{index.label}",
        f"CALL db.idx.fulltext.createNodeIndex({{label: '{index.label}', language: 'chinese'}},"
        f" {fields})",
    )


def steps(index: Index) -> list[Step]:
    """The DDL steps that put ``index`` in force, each keyed by what it creates."""
    label = index.label
    if index.kind == "fulltext":
        first = index.properties[0]
        return [Step(f"fulltext index on {label}", ("FULLTEXT", label, first), _fulltext(index))]
    (prop,) = index.properties
    found = [Step(f"index on {label}.{prop}", ("RANGE", label, prop), _range_index(label, prop))]
    if index.kind == "unique":
        found.append(Step(f"unique constraint on {label}.{prop}", ("UNIQUE", label, prop), None))
    return found


def constraint_command(graph: str, index: Index) -> list[str]:
    (prop,) = index.properties
    return [
        "GRAPH.CONSTRAINT",
        "CREATE",
        graph,
        "UNIQUE",
        "NODE",
        index.label,
        "PROPERTIES",
        "1",
        prop,
    ]


def present(indexes: Sequence[Record], constraints: Sequence[Record]) -> set[tuple[str, str, str]]:
    """What the engine already has, in the keys of :class:`Step`."""
    keys: set[tuple[str, str, str]] = set()
    for row in indexes:
        for prop, kinds in dict(row["types"]).items():
            for kind in kinds:
                keys.add((str(kind), str(row["label"]), str(prop)))
    for row in constraints:
        for prop in row["properties"]:
            keys.add((str(row["type"]), str(row["label"]), str(prop)))
    return keys


SEARCH, SEARCH_WHOLE_TREE = search_statements(
    "falkordb", lambda label: f"CALL db.idx.fulltext.queryNodes('{label}', $text) YIELD node"
)

# Declared at import so that the Cypher lint test sees every DDL statement.
ALL_STEPS = [step for index in INDEXES for step in steps(index)]
