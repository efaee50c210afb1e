"""Connections: pages, cursors, filters, order, totals, against the generator's rows."""

from __future__ import annotations

from collections import Counter

from connectors.synthetic import AS_OF, SyntheticProvince
from graphdb import Store
from tests.fixtures.asking import ask_result


def lineage_of(province: SyntheticProvince) -> dict[str, list[str]]:
    """Each organisation's codes from the root down to itself, from the generator's tree."""
    orgs = province.tree.orgs
    found: dict[str, list[str]] = {}
    for org in orgs:
        chain, node = [org.id], org
        while node.parent >= 0:
            node = orgs[node.parent]
            chain.append(node.id)
        found[org.id] = chain[::-1]
    return found


async def test_a_hundred_members_with_branch_and_parent_cost_four_round_trips(
    seeded: Store, province: SyntheticProvince
) -> None:
    """The anchors' spans, one window of branches, the branches, their parents."""
    lineage = lineage_of(province)
    in_tree_order = sorted(province.members(), key=lambda r: (lineage[r["branch_id"]], r["id"]))
    query = (
        "{ members(first: 100) { edges { node { key branch { parent { name } } } } "
        "pageInfo { hasNextPage } } }"
    )
    result, calls = await ask_result(seeded, query)
    assert result.errors is None, result.errors
    edges = result.data["members"]["edges"]
    assert len(edges) == 100
    assert all(edge["node"]["branch"]["parent"]["name"] for edge in edges)
    assert [edge["node"]["key"] for edge in edges] == [r["id"] for r in in_tree_order[:100]]
    assert result.data["members"]["pageInfo"]["hasNextPage"] is True
    assert calls == 4


async def test_members_under_an_organisation_page_in_order(
    seeded: Store, province: SyntheticProvince
) -> None:
    lineage = lineage_of(province)
    expected = sorted(
        (row["props"]["name"], row["id"])
        for row in province.members()
        if "ORG0000003" in lineage[row["branch_id"]]
    )
    query = """
    query ($after: String) {
      members(where: {under: "ORG0000003"}, orderBy: {field: NAME}, first: 30, after: $after) {
        totalCount edges { node { key name } } pageInfo { endCursor hasNextPage }
      }
    }
    """
    first, _ = await ask_result(seeded, query)
    second, _ = await ask_result(
        seeded, query, after=first.data["members"]["pageInfo"]["endCursor"]
    )
    seen = [
        (e["node"]["name"], e["node"]["key"])
        for page in (first, second)
        for e in page.data["members"]["edges"]
    ]
    assert seen == expected[:60]
    assert first.data["members"]["totalCount"] == len(expected)


async def test_organizations_enterprises_and_activities_filter_and_count(
    seeded: Store, province: SyntheticProvince
) -> None:
    query = """
    {
      branches: organizations(where: {level: 5, regionCodePrefix: "4402"}) { totalCount }
      pool: enterprises(where: {cultivationPool: true},
                        orderBy: {field: EMPLOYEES, direction: DESC}, first: 20) {
        totalCount edges { node { employees cultivationPool } }
      }
      upcoming: activities(where: {startsFrom: "2026-07-01"}) { totalCount }
    }
    """
    result, _ = await ask_result(seeded, query)
    assert result.errors is None, result.errors
    levels = Counter((o.level, o.region.code[:4]) for o in province.tree.orgs)
    assert result.data["branches"]["totalCount"] == levels[(5, "4402")]
    pool = [e for e in province.enterprises() if e["props"]["cultivation_pool"]]
    assert result.data["pool"]["totalCount"] == len(pool)
    employees = [e["node"]["employees"] for e in result.data["pool"]["edges"]]
    assert employees == sorted((e["props"]["employees"] for e in pool), reverse=True)[:20]
    upcoming = [a for a in province.activities() if a["starts_on"] > AS_OF.isoformat()]
    assert result.data["upcoming"]["totalCount"] == len(upcoming)


async def test_oversized_pages_and_foreign_cursors_are_refused(seeded: Store) -> None:
    result, calls = await ask_result(seeded, "{ members(first: 100000) { totalCount } }")
    assert result.errors[0].extensions["code"] == "PAGE_TOO_LARGE"
    assert calls == 0
    result, _ = await ask_result(seeded, '{ members(after: "bm90LWEtY3Vyc29y") { totalCount } }')
    assert result.errors[0].extensions["code"] == "BAD_CURSOR"
