"""Lists page in the tree order with keyset cursors, count from kept counts, and bound sorts.

Every expectation is computed from the generator's rows, never from the graph.
"""

from __future__ import annotations

import base64
import json
import random
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from connectors.synthetic import SyntheticProvince
from graphdb import Provenance, Scope, Store, migrate
from graphdb.domain import member, organization
from schema import Limits
from tests.fixtures.asking import ask, ask_result
from tests.schema.test_connection import lineage_of

MEMBERS = """
query ($where: MemberWhere, $first: Int, $after: String) {
  members(where: $where, first: $first, after: $after) {
    edges { cursor node { key } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""
ORGANIZATIONS = """
query ($where: OrganizationWhere, $first: Int, $after: String) {
  organizations(where: $where, first: $first, after: $after) {
    edges { node { code } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def walk(
    store: Store, query: str, field: str, key: str, *, scope: Scope | None = None, **variables: Any
) -> tuple[list[str], list[int]]:
    """Every key of a list, following endCursor to the end; and each page's round trips."""
    keys: list[str] = []
    trips: list[int] = []
    after = None
    while True:
        data, calls = await ask(
            store, query, scope=scope or Scope.everything(), after=after, **variables
        )
        connection = data[field]
        keys += [edge["node"][key] for edge in connection["edges"]]
        trips.append(calls)
        if not connection["pageInfo"]["hasNextPage"]:
            return keys, trips
        after = connection["pageInfo"]["endCursor"]
        assert len(trips) < 500, "the list does not end"


def in_tree_order(
    province: SyntheticProvince, keep: Callable[[dict[str, Any], list[str]], bool]
) -> list[str]:
    lineage = lineage_of(province)
    rows = [r for r in province.members() if keep(r, lineage[r["branch_id"]])]
    return [r["id"] for r in sorted(rows, key=lambda r: (lineage[r["branch_id"]], r["id"]))]


async def test_every_member_once_in_the_tree_order_at_the_same_cost_per_page(
    seeded: Store, province: SyntheticProvince
) -> None:
    keys, trips = await walk(seeded, MEMBERS, "members", "key", first=100)
    assert keys == in_tree_order(province, lambda row, lineage: True)
    assert set(trips[:-1]) == {2}  # the spans, one window: the last page as the first


async def test_a_subtree_pages_through_its_own_members_only(
    seeded: Store, province: SyntheticProvince
) -> None:
    lineage = lineage_of(province)
    counties = [o.id for o in province.tree.orgs if o.level == 3]
    for county in random.Random(3).sample(counties, 3):
        expected = in_tree_order(province, lambda row, chain, c=county: c in chain)  # type: ignore[misc]
        as_cadre, _ = await walk(seeded, MEMBERS, "members", "key", scope=Scope(county), first=37)
        asked_under, _ = await walk(
            seeded, MEMBERS, "members", "key", first=50, where={"under": county}
        )
        assert as_cadre == asked_under == expected
        assert all(county in lineage[branch] for branch in _branches(province, as_cadre))


def _branches(province: SyntheticProvince, keys: list[str]) -> list[str]:
    wanted = set(keys)
    return [r["branch_id"] for r in province.members() if r["id"] in wanted]


async def test_a_filter_that_leaves_windows_short_still_finds_every_match(
    seeded: Store, province: SyntheticProvince
) -> None:
    """Rare matches: pages come back short or empty, and following endCursor finds them all."""
    held = Counter(char for row in province.members() for char in set(row["props"]["name"]))
    rare = min(held, key=lambda char: abs(held[char] - 40))  # in about 40 of 4,579 names
    expected = in_tree_order(province, lambda row, lineage: rare in row["props"]["name"])
    assert 0 < len(expected) < 200
    keys, _ = await walk(seeded, MEMBERS, "members", "key", first=100, where={"nameContains": rare})
    assert keys == expected


async def test_organizations_page_in_the_tree_order(
    seeded: Store, province: SyntheticProvince
) -> None:
    lineage = lineage_of(province)
    codes, _ = await walk(seeded, ORGANIZATIONS, "organizations", "code", first=64)
    assert codes == sorted(lineage, key=lambda code: lineage[code])
    township = next(o.id for o in province.tree.orgs if o.level == 4)
    below, _ = await walk(
        seeded,
        ORGANIZATIONS,
        "organizations",
        "code",
        first=5,
        where={"under": township, "level": 5},
    )
    expected = [c for c in codes if township in lineage[c] and len(lineage[c]) == 5]
    assert below == expected


async def test_unfiltered_counts_are_kept_and_filtered_ones_counted(
    seeded: Store, province: SyntheticProvince
) -> None:
    city = next(o.id for o in province.tree.orgs if o.level == 2)
    lineage = lineage_of(province)
    under = [r for r in province.members() if city in lineage[r["branch_id"]]]
    query = """
    query ($city: String!) {
      all: members(where: {under: $city}, first: 0) { totalCount }
    }
    """
    data, calls = await ask(seeded, query, city=city)
    assert data["all"]["totalCount"] == len(under)
    assert calls == 1  # the span, which holds the kept count
    query = """
    query ($city: String!) {
      women: members(where: {under: $city, gender: "F"}, first: 0) { totalCount }
    }
    """
    data, calls = await ask(seeded, query, city=city)
    assert data["women"]["totalCount"] == sum(r["props"]["gender"] == "F" for r in under)
    assert calls == 2


async def test_sorts_and_filtered_counts_over_too_many_rows_are_refused(seeded: Store) -> None:
    small = Limits(max_scan=100)
    for query in (
        "{ members(orderBy: {field: NAME}) { edges { node { key } } } }",
        '{ members(where: {status: "active"}) { totalCount } }',
    ):
        result, _ = await ask_result(seeded, query, limits=small)
        assert result.errors[0].extensions["code"] == "SCAN_TOO_LARGE", query
        assert "narrow" in result.errors[0].message
    data, _ = await ask(seeded, "{ members(first: 3) { totalCount edges { node { key } } } }")
    assert len(data["members"]["edges"]) == 3  # the tree order has no such limit


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor",
        "é",  # not ASCII: the decoder must not fail on it
        "WyJ0IiwiYSIsbnVsbF0=",  # ["t","a",null]: a tree cursor with a text position
        "WyJuYW1lLkFTQyIsIngiLCJ5Il0=",  # a cursor of the NAME order
    ],
)
async def test_foreign_and_malformed_cursors_are_refused(seeded: Store, cursor: str) -> None:
    result, _ = await ask_result(seeded, MEMBERS, after=cursor)
    assert result.errors[0].extensions["code"] == "BAD_CURSOR"


async def test_writes_keep_the_counts_and_a_migration_numbers_an_old_graph(
    store: Store, province: SyntheticProvince
) -> None:
    """The upsert keeps the counts in the same statement; migrate numbers an unnumbered tree."""
    provenance = Provenance("test", 1)
    orgs = {o.id: o for o in province.tree.orgs[:6]}
    tree = [
        {"id": o.id, "parent_id": province.tree.orgs[o.parent].id if o.parent >= 0 else None}
        for o in orgs.values()
    ]
    for row in tree:
        props = {"name": row["id"], "level": 1, "kind": "committee"}
        statement = organization.UPSERT if row["parent_id"] else organization.UPSERT_ROOT
        await store.write(
            statement,
            {"rows": [{**row, "props": props, "founded_on": None}]},
            provenance=provenance,
        )
    assert await migrate(store)  # numbers the tree it finds unnumbered
    deepest = max(orgs.values(), key=lambda o: o.level).id
    people = [
        {
            "id": f"T{n}",
            "branch_id": deepest,
            "props": {"name": f"测试{n}"},
            "birth_date": None,
            "joined_on": None,
        }
        for n in range(7)
    ]
    await store.write(member.UPSERT, {"rows": people[:4]}, provenance=provenance)
    await store.write(member.UPSERT, {"rows": people[2:]}, provenance=provenance)
    root = province.tree.orgs[0].id
    data, _ = await ask(store, "{ members { totalCount edges { node { key } } } }")
    assert data["members"]["totalCount"] == 7
    data, _ = await ask(
        store, "query ($r: String) { members(where: {under: $r}) { totalCount } }", r=root
    )
    assert data["members"]["totalCount"] == 7


def forged(*parts: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode()


@pytest.mark.parametrize(
    ("order", "cursor"),
    [
        ("JOINED_ON", forged("joined_on.ASC", "notadate", "P00000001")),
        ("JOINED_ON", forged("joined_on.ASC", True, "P00000001")),
        ("JOINED_ON", forged("joined_on.ASC", "99999-01-01", "P00000001")),
        ("NAME", forged("name.ASC", 5, "P00000001")),
        ("NAME", forged("name.ASC", "王", "P0\u00001")),
        ("TREE", forged("t", 3, "\u0000")),
        ("TREE", forged("t", True, None)),
    ],
)
async def test_forged_cursors_are_refused_before_the_engine(
    seeded: Store, order: str, cursor: str
) -> None:
    query = """query ($order: MemberOrderField!, $after: String) {
      members(orderBy: {field: $order}, after: $after) { edges { node { key } } } }"""
    result, calls = await ask_result(seeded, query, order=order, after=cursor)
    assert result.errors[0].extensions["code"] == "BAD_CURSOR"
    assert calls == 0


async def test_a_branch_code_naming_a_committee_counts_what_it_lists(
    seeded: Store, province: SyntheticProvince
) -> None:
    """``branch`` keeps members enrolled in that very organisation: a committee has none."""
    query = """query ($code: String!) {
      members(where: {branch: $code}, first: 100) { totalCount edges { node { key } } } }"""
    city = next(o.id for o in province.tree.orgs if o.level == 2)
    branch = next(province.members())["branch_id"]
    for code in (city, branch):
        data, _ = await ask(seeded, query, code=code)
        enrolled = [r["id"] for r in province.members() if r["branch_id"] == code]
        assert data["members"]["totalCount"] == len(enrolled)
        assert sorted(e["node"]["key"] for e in data["members"]["edges"]) == sorted(enrolled)
