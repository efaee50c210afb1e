"""What the graph is keyed and indexed on, declared once; each backend renders its DDL.

Each domain module lists its own :class:`Index` entries beside its Cypher;
:data:`graphdb.domain.INDEXES` gathers them. ``graphdb.falkordb_backend.ddl``
and ``graphdb.neo4j_backend.ddl`` turn them into the DDL of their engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

IndexKind = Literal["unique", "lookup", "fulltext"]


@dataclass(frozen=True)
class Index:
    kind: IndexKind
    label: str
    properties: tuple[str, ...]

    @property
    def name(self) -> str:
        """A stable name, used by Neo4j and in messages."""
        return f"{self.label.lower()}_{'_'.join(self.properties)}_{self.kind}"


def unique(label: str, prop: str) -> Index:
    """A key: unique and indexed."""
    return Index("unique", label, (prop,))


def lookup(label: str, prop: str) -> Index:
    """An exact-match and range index for a property queries look nodes up by."""
    return Index("lookup", label, (prop,))


def fulltext(label: str, *props: str) -> Index:
    """A full-text index over text properties, searched through one store method."""
    return Index("fulltext", label, props)
