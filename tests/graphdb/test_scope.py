"""Scopes, and the statements that declare how they are bounded."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import graphdb
from graphdb import PUBLIC, SUBTREE, WHOLE_TREE, Scope, Store, model
from graphdb import statement as cypher
from graphdb.domain import member
from graphdb.scope import within


def test_a_scope_names_its_subtrees_or_asks_for_everything_by_name() -> None:
    with pytest.raises(ValueError, match=r"Scope.everything\(\)"):
        Scope()
    with pytest.raises(ValueError, match="organisation ids"):
        Scope("")
    assert Scope("B", "A", "B") == Scope("A", "B")
    assert Scope("A", "B").parameter == ["A", "B"]
    everything = Scope.everything()
    assert everything == Scope.everything() != Scope("A")
    assert (everything.roots, everything.parameter, everything.is_everything) == (None, None, True)
    assert repr(Scope("A")) == "Scope('A')"


@pytest.mark.parametrize(
    ("text", "bound", "says"),
    [
        ("MATCH (o:Organization) RETURN o.id AS id", SUBTREE, "hold it to the scope"),
        (
            f"MATCH (o:Organization) WHERE {within('o')} OR $scope IS NULL RETURN o.id AS id",
            SUBTREE,
            "use $scope nowhere else",
        ),
        (
            "MATCH (o:Organization) WHERE $scope IN o.lineage RETURN o.id AS id",
            PUBLIC,
            "declare it bound=SUBTREE",
        ),
        (
            "MATCH (o:Organization)<-[:MEMBER_OF]-(m:Member) RETURN m.name AS name",
            PUBLIC,
            "public reads see organisations and the tree only",
        ),
        ("MATCH (o:Organization)-[:FROM|TO]-(x) RETURN o.id AS id", PUBLIC, "['FROM', 'TO']"),
        ("MATCH (o:Organization)<--(m) RETURN m.name AS n", PUBLIC, "without naming its type"),
        (
            'MATCH (o:Organization)<-[r]-(m) WHERE type(r) = "MEMBER_OF" RETURN m.name AS n',
            PUBLIC,
            "without naming its type",
        ),
        ("MATCH (o:Organization)<-[:SUB_OF]-(m) RETURN m.name AS n", PUBLIC, "without a label (m)"),
        ("MATCH (n) RETURN n.name AS n", PUBLIC, "without a label (n)"),
        ("MATCH (o:Organization) RETURN labels(o) AS n", PUBLIC, "labels, types or paths"),
        (
            f"MATCH (o:Organization) WHERE {within('o')} RETURN o.id AS id",
            WHOLE_TREE,
            "uses $scope: declare it bound=SUBTREE",
        ),
    ],
)
def test_a_read_that_does_not_keep_its_bound_is_refused_where_it_is_declared(
    text: str, bound: cypher.Bound, says: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(says)):
        cypher.read("test.refused", text, bound=bound)


def test_a_public_read_may_walk_the_tree() -> None:
    walk = cypher.read(
        "test.public_children",
        """
        MATCH (o:Organization {id: $id})
        WITH o
        MATCH (o)<-[:SUB_OF*1..2]-(c:Organization)
        RETURN c.name AS name, count(c) AS n
        """,
        bound=PUBLIC,
    )
    assert walk.bound is PUBLIC


def test_a_read_must_declare_a_bound() -> None:
    with pytest.raises(ValueError, match="declares no bound"):
        cypher._declare("test.no_bound", "MATCH (o:Organization) RETURN o.id AS id", "read")


def test_every_read_of_the_code_base_declares_how_it_is_bounded() -> None:
    for module in pkgutil.walk_packages(graphdb.__path__, "graphdb."):
        importlib.import_module(module.name)  # every statement is declared on import
    reads = [s for s in cypher.registered() if s.mode == "read"]
    assert reads
    assert [s.name for s in reads if s.bound is None] == []
    public = sorted(s.name for s in reads if s.bound is PUBLIC and not s.name.startswith("test."))
    assert public == ["organization.count_by_level", "organization.roots"]


async def test_the_bound_holds_after_a_with(seeded: Store) -> None:
    """``member.by_ids`` binds the branch in a ``MATCH`` after ``WITH``: where FalkorDB 4.16
    misplaces a filter whose list predicate iterates over ``$scope`` and returns nothing."""
    (row,) = await seeded.read(member.BY_IDS, {"ids": ["P00000001"]}, scope=Scope.everything())
    lineage = [
        r["node"]["id"]
        for r in await seeded.read(
            member.CHAIN_TO_ROOT, {"id": "P00000001"}, scope=Scope.everything()
        )
    ]
    for root in lineage:
        found = await seeded.read(member.BY_IDS, {"ids": ["P00000001"]}, scope=Scope(root))
        assert found == [row], root
    assert model.MEMBER.bounded("m").count("$scope") == 2
