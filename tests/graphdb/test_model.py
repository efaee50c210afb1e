"""The graph model: every label the graph holds is declared, with its key and its anchor."""

from __future__ import annotations

import pytest

from graphdb import LABELS, WHOLE_TREE, Scope, Store, model
from graphdb import statement as cypher
from graphdb.domain import INDEXES
from graphdb.security import INDEXES as SECURITY_INDEXES

LABELS_IN_GRAPH = cypher.read(
    "test.labels_in_graph", "MATCH (n) RETURN DISTINCT labels(n) AS labels", bound=WHOLE_TREE
)


def test_a_member_is_known_by_its_most_specific_label() -> None:
    assert model.label_of(["Person", "Member"]) is model.MEMBER
    assert model.label_of(["Person"]) is model.PERSON
    assert model.label_of(["Post"]).type_name == "CadrePost"


def test_every_key_is_unique_and_indexed() -> None:
    keys = {(i.label, i.properties) for i in INDEXES if i.kind == "unique"}
    sign_on = {(i.label, i.properties) for i in SECURITY_INDEXES if i.kind == "unique"}
    assert keys - sign_on == {(label.name, (label.key,)) for label in LABELS}
    assert sign_on == {
        ("SigningKey", ("kid",)),
        ("OAuthClient", ("client_id",)),
        ("Account", ("id",)),
        ("RefreshToken", ("hash",)),
        ("Revocation", ("jti",)),
    }


async def test_every_label_the_seeded_graph_holds_is_declared(seeded: Store) -> None:
    """A node of an undeclared label would have no bound: every bounded traversal hides it."""
    rows = await seeded.read(LABELS_IN_GRAPH, scope=Scope.everything())
    sign_on = {index.label for index in SECURITY_INDEXES}  # the hub's own, beside the tree
    found = {label for row in rows for label in row["labels"]} - sign_on
    assert found == {label.name for label in LABELS}
    everything_but_members = {label for label in found if label != "Member"}
    assert {model.label_of([label]).name for label in everything_but_members} == (
        everything_but_members
    )


RELATIONSHIPS_IN_GRAPH = cypher.read(
    "test.relationships_in_graph",
    "MATCH (a)-[r]->(b) RETURN DISTINCT labels(a) AS a, type(r) AS r, labels(b) AS b",
    bound=WHOLE_TREE,
)


async def test_every_relationship_the_seeded_graph_holds_is_declared(seeded: Store) -> None:
    """The traversals' anchor lookups are checked against these, when the model loads."""
    rows = await seeded.read(RELATIONSHIPS_IN_GRAPH, scope=Scope.everything())
    found = {
        (model.label_of(row["a"]).name, row["r"], model.label_of(row["b"]).name) for row in rows
    }
    declared = {
        (model.label_of([a]).name, r, model.label_of([b]).name) for a, r, b in model.RELATIONSHIPS
    }
    person_as_member = {
        (a.replace("Person", "Member"), r, b.replace("Person", "Member")) for a, r, b in declared
    }
    assert found <= declared | person_as_member
    assert {r for _, r, _ in found} == {r for _, r, _ in model.RELATIONSHIPS}


def test_anchors_merged_by_shape_reach_only_each_label_s_own_organisations() -> None:
    model.check_shapes(model.RELATIONSHIPS)
    extended = (*model.RELATIONSHIPS, ("Activity", "IN_AREA_OF", "Organization"))
    with pytest.raises(ValueError, match=r"would let a Activity belong .*IN_AREA_OF"):
        model.check_shapes(extended)
