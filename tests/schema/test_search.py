"""Search and the organisation tree on the seeded province."""

from __future__ import annotations

from connectors.synthetic import SyntheticProvince
from graphdb import Scope, Store
from graphdb.domain.search import NAMES
from schema.search import SearchType
from tests.fixtures.asking import ask_result
from tests.fixtures.province_graph import ProvinceGraph


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
    assert {kind.value for kind in SearchType} == {label.name for label in NAMES}


SEARCH = """query ($text: String!, $types: [SearchType!]) {
  search(text: $text, types: $types, first: 100) {
    node { __typename ... on SourceRecord { key } } } }"""


def holding(names: dict[str, str], *typed: str) -> set[str]:
    """The keys whose name holds every typed word (the meaning, from the generator's rows)."""
    return {key for key, name in names.items() if all(word in name.lower() for word in typed)}


async def found(seeded: Store, text: str, kind: str, scope: Scope | None = None) -> set[str]:
    result, _ = await ask_result(
        seeded, SEARCH, scope=scope or Scope.everything(), text=text, types=[kind]
    )
    assert result.errors is None, result.errors
    return {hit["node"]["key"] for hit in result.data["search"]}


def assert_found(answer: set[str], expected: set[str]) -> None:
    """All of them, or (past a page of 100) a page of them."""
    if len(expected) <= 100:
        assert answer == expected
    else:
        assert len(answer) == 100
        assert answer <= expected


async def test_han_words_of_any_length_and_whole_names_are_found_anywhere_in_a_name(
    seeded: Store, province: SyntheticProvince
) -> None:
    """A district (3 characters), a piece across dictionary words (4), whole names."""
    orgs = {org.id: org.name for org in province.tree.orgs}
    people = {row["id"]: row["props"]["name"] for row in province.members()}
    people |= {row["id"]: row["props"]["name"] for row in province.people()}
    district = orgs["ORG0000004"].removeprefix("共青团")[:3]
    crossing = orgs["ORG0000100"][3:7]
    whole_person = next(name for name in people.values() if len(name) == 3)
    for text, names, kind in [
        (district, orgs, "ORGANIZATION"),
        (crossing, orgs, "ORGANIZATION"),
        (orgs["ORG0000004"], orgs, "ORGANIZATION"),
        (whole_person, people, "PERSON"),
    ]:
        expected = holding(names, text)
        assert expected, text
        assert_found(await found(seeded, text, kind), expected)


async def test_every_word_typed_must_hold(seeded: Store, province: SyntheticProvince) -> None:
    orgs = {org.id: org.name for org in province.tree.orgs}
    name = orgs["ORG0000100"]
    first, second = name[3:5], name[-3:]
    both = holding(orgs, first, second)
    assert both
    assert both < holding(orgs, first) | holding(orgs, second)  # AND, not OR
    assert_found(await found(seeded, f"{first}, {second}", "ORGANIZATION"), both)


async def test_the_new_meaning_holds_within_a_subtree(
    seeded: Store, province: SyntheticProvince, province_graph: ProvinceGraph
) -> None:
    orgs = {org.id: org.name for org in province.tree.orgs}
    for text in ("委员会", orgs["ORG0000004"].removeprefix("共青团")[:3]):
        inside = {o for o in holding(orgs, text) if "ORG0000003" in province_graph.lineage[o]}
        assert_found(await found(seeded, text, "ORGANIZATION", Scope("ORG0000003")), inside)
