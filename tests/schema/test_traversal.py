"""``neighborhood`` and ``path`` against a graph rebuilt from the generator's rows."""

from __future__ import annotations

import itertools

from strawberry.relay import to_base64

from graphdb import Scope, Store
from tests.fixtures.asking import ask
from tests.fixtures.province_graph import Node, ProvinceGraph

NEIGHBORHOOD = """query ($id: ID!, $hops: Int!, $first: Int!) {
  neighborhood(id: $id, hops: $hops, first: $first) { distance node { __typename key } }
}"""
PATH = """query ($a: ID!, $b: ID!, $hops: Int!) {
  path(fromId: $a, toId: $b, maxHops: $hops) { length relationships nodes { __typename key } }
}"""


async def test_neighborhood_of_a_member(seeded: Store, province_graph: ProvinceGraph) -> None:
    start: Node = ("Member", "P00000001")
    expected = {n: d for n, d in province_graph.distances(start, 1, None).items() if d == 1}
    data, _ = await ask(seeded, NEIGHBORHOOD, id=to_base64(*start), hops=1, first=100)
    found = {
        (n["node"]["__typename"], n["node"]["key"]): n["distance"] for n in data["neighborhood"]
    }
    assert found == expected


async def test_a_scoped_neighborhood_fills_its_page_from_what_the_caller_sees(
    seeded: Store, province_graph: ProvinceGraph
) -> None:
    """A county's neighbourhood within the county: its own page of five, none from above."""
    county = next(org for org, chain in province_graph.lineage.items() if len(chain) == 3)
    start: Node = ("Organization", county)
    reachable = province_graph.distances(start, 2, [county])
    ranked = sorted((d, n[1]) for n, d in reachable.items() if d > 0)
    data, _ = await ask(
        seeded, NEIGHBORHOOD, scope=Scope(county), id=to_base64(*start), hops=2, first=5
    )
    assert [(n["distance"], n["node"]["key"]) for n in data["neighborhood"]] == ranked[:5]
    assert len(data["neighborhood"]) == 5


async def test_path_between_members_is_a_shortest_one(
    seeded: Store, province_graph: ProvinceGraph
) -> None:
    start, end = ("Member", "P00000001"), ("Member", "P00000300")
    shortest = province_graph.distances(start, 6, None)[end]
    data, _ = await ask(seeded, PATH, a=to_base64(*start), b=to_base64(*end), hops=6)
    found = data["path"]
    nodes = [(n["__typename"], n["key"]) for n in found["nodes"]]
    assert found["length"] == shortest == len(nodes) - 1 == len(found["relationships"])
    assert (nodes[0], nodes[-1]) == (start, end)
    assert all(b in province_graph.near[a] for a, b in itertools.pairwise(nodes))


async def test_no_path_within_the_hops_is_null(seeded: Store) -> None:
    data, _ = await ask(
        seeded,
        PATH,
        a=to_base64("Member", "P00000001"),
        b=to_base64("Member", "P00000300"),
        hops=1,
    )
    assert data["path"] is None
