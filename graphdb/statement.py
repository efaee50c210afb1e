"""Cypher statements, declared once and registered by name.

Every statement the hub runs is a :class:`Statement`: the store accepts nothing
else, so the lint test (``tests/graphdb/test_cypher_lint.py``) sees every piece
of Cypher in the code base, and logs and errors can name a statement without
printing its parameters.

Three parameters are bound by the store, never by the caller:

* ``$scope``: the id of the organisation whose subtree bounds the query, or
  null for the whole tree. A scoped statement filters with
  ``$scope IS NULL OR $scope IN o.lineage``, where ``lineage`` is the list of
  organisation ids from the root down to ``o`` itself.
* ``$source`` and ``$synced_at``: provenance of a write, the connector that
  sent the rows and the instant (epoch milliseconds) they were written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Mode = Literal["read", "write", "schema"]

_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_registry: dict[str, Statement] = {}


@dataclass(frozen=True)
class Scope:
    """The part of the organisation tree a query may see: a subtree, or everything."""

    root: str | None = None

    @property
    def bounded(self) -> bool:
        return self.root is not None


EVERYTHING = Scope()


@dataclass(frozen=True)
class Provenance:
    """Where written rows came from: a connector name and the write instant (epoch ms)."""

    source: str
    synced_at: int


@dataclass(frozen=True)
class Statement:
    name: str
    text: str
    mode: Mode
    parameters: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", frozenset(_PARAMETER.findall(self.text)))

    @property
    def scoped(self) -> bool:
        return "scope" in self.parameters

    @property
    def carries_provenance(self) -> bool:
        return "source" in self.parameters


def _declare(name: str, text: str, mode: Mode) -> Statement:
    statement = Statement(name, " ".join(text.split()), mode)
    known = _registry.get(name)
    if known is not None and known != statement:
        raise ValueError(f"two different statements are named {name!r}; rename one")
    _registry[name] = statement
    return statement


def read(name: str, text: str) -> Statement:
    """Declare a read-only statement."""
    return _declare(name, text, "read")


def write(name: str, text: str) -> Statement:
    """Declare a statement that writes to the graph."""
    return _declare(name, text, "write")


def schema(name: str, text: str) -> Statement:
    """Declare a schema (DDL) statement of one backend."""
    return _declare(name, text, "schema")


def registered() -> list[Statement]:
    """Every statement declared so far, by name."""
    return [_registry[name] for name in sorted(_registry)]


def read_sorted(name: str, text: str, keys: dict[str, str]) -> dict[tuple[str, str], Statement]:
    """One read statement per sort key and direction, for lists that page with ``ORDER BY``.

    ``text`` holds ``{order}`` where the sort expression goes; ``keys`` maps a sort
    key's name to its expression. Ties are broken by whatever follows ``{order}``
    in the text, so pages are stable.
    """
    return {
        (key, direction): read(
            f"{name}.{key}.{direction.lower()}",
            text.replace("{order}", f"{expression} {direction}"),
        )
        for key, expression in keys.items()
        for direction in ("ASC", "DESC")
    }
