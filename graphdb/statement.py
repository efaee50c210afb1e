"""Cypher statements, declared once and registered by name.

Every statement the hub runs is a :class:`Statement`: the store accepts nothing
else, so the lint test (``tests/graphdb/test_cypher_lint.py``) sees every piece
of Cypher in the code base, and logs and errors can name a statement without
printing its parameters.

A read declares how it is bounded, and the store runs no read that does not:

* :data:`SUBTREE`: held to the caller's :class:`~graphdb.scope.Scope` inside the
  Cypher, with :func:`~graphdb.scope.within` or
  :func:`~graphdb.scope.anchored_within`, and nowhere else uses ``$scope``;
* :data:`PUBLIC`: organisation names and the tree only (no label but
  ``Organization``, no relationship but ``SUB_OF``), for anyone;
* :data:`WHOLE_TREE`: for callers who see the whole tree only
  (``Scope.everything()``: administrators and tools); the store refuses it for
  a bounded caller. A traversal declares one of these beside its subtree-bounded
  twin, so that whoever sees everything does not pay for looking bounds up.

Three parameters are bound by the store, never by the caller: ``$scope`` (the
subtree roots, or null for the whole tree), and ``$source`` and ``$synced_at``,
the provenance of a write: the connector that sent the rows and the instant
(epoch milliseconds) they were written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

from graphdb.scope import unbounded_uses

Mode = Literal["read", "write", "schema"]


class Bound(Enum):
    """How a read is held to what its caller may see."""

    SUBTREE = "subtree"
    PUBLIC = "public"
    WHOLE_TREE = "whole tree"


SUBTREE = Bound.SUBTREE
PUBLIC = Bound.PUBLIC
WHOLE_TREE = Bound.WHOLE_TREE

_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
# Labels and types: ``(o:Organization)``, ``[:SUB_OF*1..3]``, ``x:Member``, ``[:FROM|TO]``.
_LABEL_OR_TYPE = re.compile(r":\s*`?([A-Z]\w*)|\|\s*:?([A-Z][A-Z_]+)\b")
_PUBLIC_NAMES = frozenset({"Organization", "SUB_OF"})
# Ways a public read could step off the tree without naming a label or a type.
_UNTYPED_STEP = re.compile(r"--|-\[\s*\w*\s*(?:\*[\d.]*)?\s*\]")
_BARE_NODE = re.compile(r"(?<![\w.])\(\s*(\w*)\s*(?:\{[^}]*\})?\s*\)")  # (n), (), not count(n)
_AROUND = re.compile(r"\b(?:labels|type|nodes|relationships|startNode|endNode)\s*\(")
_registry: dict[str, Statement] = {}


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
    bound: Bound | None = None
    # A write whose rows carry a searchable name in ``props[search]``: the store adds
    # each row's ``search_terms`` (graphdb.search_text), which the statement sets.
    search: str | None = None
    parameters: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", frozenset(_PARAMETER.findall(self.text)))

    @property
    def scoped(self) -> bool:
        return self.bound is SUBTREE

    @property
    def carries_provenance(self) -> bool:
        return "source" in self.parameters


def _declare(
    name: str, text: str, mode: Mode, bound: Bound | None = None, search: str | None = None
) -> Statement:
    statement = Statement(name, " ".join(text.split()), mode, bound, search)
    _check_bound(statement)
    if search is not None and "r.search_terms" not in statement.text:
        raise ValueError(f"{name!r} declares a searchable name: set it from r.search_terms")
    known = _registry.get(name)
    if known is not None and known != statement:
        raise ValueError(f"two different statements are named {name!r}; rename one")
    _registry[name] = statement
    return statement


def _check_bound(statement: Statement) -> None:
    bounds, loose = unbounded_uses(statement.text)
    if statement.bound is SUBTREE:
        if not bounds or loose:
            raise ValueError(
                f"statement {statement.name!r} is bounded by the subtree: hold it to the "
                "scope with within() or anchored_within(), and use $scope nowhere else"
            )
    elif "scope" in statement.parameters:
        raise ValueError(f"statement {statement.name!r} uses $scope: declare it bound=SUBTREE")
    if statement.bound is PUBLIC:
        _check_public(statement)
    if statement.mode == "read" and statement.bound is None:
        raise ValueError(
            f"read {statement.name!r} declares no bound: bound=SUBTREE (held to the caller's "
            "subtree), bound=PUBLIC (organisation names and the tree only) or "
            "bound=WHOLE_TREE (for callers who see everything only)"
        )


def _check_public(statement: Statement) -> None:
    """A public read names only organisations and ``SUB_OF``, and steps nowhere unnamed.

    A guard against mistakes, not a proof: review a public statement as one.
    """
    text = statement.text
    names = {a or b for a, b in _LABEL_OR_TYPE.findall(text)}
    labelled = set(re.findall(r"\((\w+)\s*:\s*Organization\b", text))
    unnamed = [node or "()" for node in _BARE_NODE.findall(text) if node not in labelled]
    if names - _PUBLIC_NAMES:
        problem = f"reads {sorted(names - _PUBLIC_NAMES)}"
    elif _UNTYPED_STEP.search(text):
        problem = "follows a relationship without naming its type"
    elif unnamed:
        problem = f"reaches nodes without a label ({', '.join(unnamed)})"
    elif _AROUND.search(text):
        problem = "asks for labels, types or paths"
    else:
        return
    raise ValueError(
        f"public statement {statement.name!r} {problem}: public reads see organisations and "
        "the tree only; declare it bound=SUBTREE"
    )


def read(name: str, text: str, *, bound: Bound) -> Statement:
    """Declare a read-only statement and how it is bounded."""
    return _declare(name, text, "read", bound)


def write(
    name: str, text: str, *, bound: Bound | None = None, search: str | None = None
) -> Statement:
    """Declare a statement that writes to the graph (``bound=SUBTREE`` if it reads a scope).

    ``search``: the property of each row's ``props`` that search finds the node by;
    the store gives each row the ``search_terms`` to set from it.
    """
    return _declare(name, text, "write", bound, search)


def schema(name: str, text: str) -> Statement:
    """Declare a schema (DDL) statement of one backend, or a backend's look at its own DDL."""
    return _declare(name, text, "schema")


def registered() -> list[Statement]:
    """Every statement declared so far, by name."""
    return [_registry[name] for name in sorted(_registry)]


def read_sorted(
    name: str, text: str, keys: dict[str, str], *, bound: Bound
) -> dict[tuple[str, str], Statement]:
    """One read statement per sort key and direction, for lists that page with ``ORDER BY``.

    ``text`` holds ``{order}`` where the sort expression goes; ``keys`` maps a sort
    key's name to its expression. Ties are broken by whatever follows ``{order}``
    in the text, so pages are stable.
    """
    return {
        (key, direction): read(
            f"{name}.{key}.{direction.lower()}",
            text.replace("{order}", f"{expression} {direction}"),
            bound=bound,
        )
        for key, expression in keys.items()
        for direction in ("ASC", "DESC")
    }
