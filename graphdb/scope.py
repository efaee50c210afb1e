"""The part of the organisation tree a read may see, and the Cypher that holds a read to it.

Every organisation carries ``lineage``: the ids from the root down to itself. A
caller's :class:`Scope` is one or more subtree roots; an organisation lies in
the scope when a root is in its lineage. The store binds the roots as
``$scope`` (null for the whole tree), and a statement holds each organisation it
reads to them with :func:`within`, or a node of another label with
:func:`anchored_within`, through the organisation it belongs to.

The list predicate iterates over the *lineage*, not over ``$scope``: FalkorDB
4.16 places a filter whose list predicate iterates over a parameter before the
``MATCH`` that binds its node, and the filter then drops every row
(``tests/graphdb/test_scope.py`` keeps that case).
"""

from __future__ import annotations

import re


class Scope:
    """One or more subtrees of the organisation tree, or the whole tree asked for by name.

    ``Scope("ORG0000003")`` is one subtree, ``Scope("ORG0000003", "ORG0000007")``
    their union; :meth:`everything` is the whole tree, for administrators and
    tools. There is no default: every caller says which it is.
    """

    __slots__ = ("_roots",)

    def __init__(self, *roots: str) -> None:
        if not roots:
            raise ValueError(
                "a scope names at least one subtree root; "
                "for the whole tree ask for Scope.everything()"
            )
        if not all(isinstance(root, str) and root for root in roots):
            raise ValueError("subtree roots are organisation ids (non-empty strings)")
        self._roots: tuple[str, ...] | None = tuple(sorted(set(roots)))

    @classmethod
    def everything(cls) -> Scope:
        """The whole tree: for administrators and tools, never a default."""
        scope = cls.__new__(cls)
        scope._roots = None
        return scope

    @classmethod
    def nothing(cls) -> Scope:
        """No subtree at all: a caller who may see no organisation's records (a member
        account, which reads only its own record by key)."""
        scope = cls.__new__(cls)
        scope._roots = ()
        return scope

    @property
    def roots(self) -> tuple[str, ...] | None:
        """The subtree roots, sorted; None for the whole tree."""
        return self._roots

    @property
    def is_everything(self) -> bool:
        return self._roots is None

    @property
    def parameter(self) -> list[str] | None:
        """The value of ``$scope``: the roots, or null for the whole tree."""
        return None if self._roots is None else list(self._roots)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scope) and other._roots == self._roots

    def __hash__(self) -> int:
        return hash(self._roots)

    def __repr__(self) -> str:
        if self._roots is None:
            return "Scope.everything()"
        if not self._roots:
            return "Scope.nothing()"
        return f"Scope({', '.join(map(repr, self._roots))})"


def within(organization: str) -> str:
    """Cypher that is true when the organisation bound to ``organization`` lies in the scope."""
    return f"($scope IS NULL OR any(link IN {organization}.lineage WHERE link IN $scope))"


def anchored_within(pattern: str, organization: str) -> str:
    """Cypher that is true when ``pattern`` reaches an organisation in the scope.

    ``pattern`` runs from a bound node to the organisation it belongs to, named
    ``organization`` (``(m)-[:MEMBER_OF]->(b:Organization)``). A node the
    pattern leads nowhere from is outside every bounded scope.
    """
    return (
        f"($scope IS NULL OR size([{pattern} "
        f"WHERE any(link IN {organization}.lineage WHERE link IN $scope) | {organization}]) > 0)"
    )


def within_any(lineages: str) -> str:
    """Cypher that is true when one of the lineages in the list ``lineages`` lies in the scope."""
    return (
        f"($scope IS NULL OR any(lineage IN {lineages} "
        "WHERE any(link IN lineage WHERE link IN $scope)))"
    )


_WITHIN = re.compile(
    r"\(\$scope IS NULL OR any\(link IN \w+\.lineage WHERE link IN \$scope\)\)"
    r"|\(\$scope IS NULL OR any\(lineage IN \w+ WHERE any\(link IN lineage WHERE link IN"
    r" \$scope\)\)\)"
    r"|\(\$scope IS NULL OR size\(\[\(.*?\) WHERE any\(link IN \w+\.lineage WHERE link IN"
    r" \$scope\) \| \w+\]\) > 0\)"
)


def unbounded_uses(text: str) -> tuple[int, int]:
    """How many bounds ``text`` applies, and how many uses of ``$scope`` lie outside them."""
    bounds = _WITHIN.findall(text)
    rest = _WITHIN.sub("", text)
    return len(bounds), rest.count("$scope")
