"""Search and the organisation tree on the seeded province."""

from __future__ import annotations

from connectors.synthetic import SyntheticProvince
from graphdb import Scope, Store
from graphdb.domain.search import SEARCHABLE
from schema.search import SearchType
from tests.fixtures.asking import ask_result


async def test_search_finds_organisations_by_name_prefix(
    seeded: Store, province: SyntheticProvince
) -> None:
    result, _ = await ask_result(
        seeded,
        '{ search(text: "荔湾", types: [ORGANIZATION], first: 100) '
        "{ score node { key ... on Organization { name } } } }",
    )
    assert result.errors is None, result.errors
    names = [hit["node"]["name"] for hit in result.data["search"]]
    expected = [org.name for org in province.tree.orgs if "荔湾区" in org.name]
    assert names
    assert all("荔湾" in name for name in names)
    assert set(names) <= set(expected)


async def test_search_spans_types_and_respects_the_scope(seeded: Store) -> None:
    everywhere, _ = await ask_result(
        seeded, '{ search(text: "王", first: 20) { node { __typename } } }'
    )
    assert {hit["node"]["__typename"] for hit in everywhere.data["search"]} == {"Person"}
    inside, _ = await ask_result(
        seeded,
        '{ search(text: "荔湾", types: [ORGANIZATION], first: 50) '
        "{ node { ... on Organization { code } } } }",
        scope=Scope("ORG0000003"),
    )
    assert inside.data["search"] == []  # 荔湾 lies under the other city


async def test_search_text_with_query_syntax_is_only_words(seeded: Store) -> None:
    result, _ = await ask_result(
        seeded, '{ search(text: "@name:(*) | -荔湾", types: [ORGANIZATION]) { node { key } } }'
    )
    assert result.errors is None, result.errors
    empty, _ = await ask_result(seeded, '{ search(text: "*** ---") { node { key } } }')
    assert empty.data["search"] == []


async def test_the_tree_below_a_city_to_depth_two(
    seeded: Store, province: SyntheticProvince
) -> None:
    result, _ = await ask_result(
        seeded,
        '{ organizationTree(root: "ORG0000002", depth: 2) { '
        "organization { code } children { organization { code } "
        "children { organization { code level } children { organization "
        "{ code } } } } } }",
    )
    assert result.errors is None, result.errors
    tree = province.tree
    children = {
        o.id: [c.id for c in tree.orgs if c.parent >= 0 and tree.orgs[c.parent].id == o.id]
        for o in tree.orgs
    }
    top = result.data["organizationTree"]
    assert top["organization"]["code"] == "ORG0000002"
    assert [c["organization"]["code"] for c in top["children"]] == children["ORG0000002"]
    for county in top["children"]:
        code = county["organization"]["code"]
        assert [g["organization"]["code"] for g in county["children"]] == children[code]
        assert all(g["children"] == [] for g in county["children"])  # depth 2 stops here


async def test_the_tree_refuses_more_than_three_levels(seeded: Store) -> None:
    result, _ = await ask_result(
        seeded, '{ organizationTree(root: "ORG0000001", depth: 4) { organization { code } } }'
    )
    assert result.errors[0].extensions["code"] == "BAD_REQUEST"


async def test_an_unknown_type_in_search_is_a_validation_error(seeded: Store) -> None:
    result, _ = await ask_result(
        seeded, '{ search(text: "x", types: [MEMBERSHIP_CARD]) { score } }'
    )
    assert result.errors[0].extensions["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "MEMBERSHIP_CARD" in result.errors[0].message


def test_what_search_can_find_is_what_the_store_searches() -> None:
    assert {kind.value for kind in SearchType} == set(SEARCHABLE)
