"""The organisation tree is the boundary: a caller bounded to subtrees sees nothing outside them.

For 200 random organisations of the seeded province, a context bounded to that
subtree asks every query of the schema. Every node in every answer must lie in
the subtree, what should be found must be, and every count must equal the one
computed from the generator's rows (``tests/fixtures/province_graph.py``),
never from the hub's own code.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from typing import Any

import pytest
from strawberry.relay import to_base64

from graphdb import Scope, Store
from tests.fixtures.asking import ask
from tests.fixtures.province_graph import Node, ProvinceGraph

SAMPLED = 200
ORGANIZATION_CODE = re.compile(r"ORG\d{7}")
NODE_TYPES = (
    "Organization",
    "CadrePost",
    "Person",
    "Member",
    "Enterprise",
    "FederationOrg",
    "Activity",
    "Registration",
    "ServiceRecord",
    "Transfer",
    "DuesPayment",
)
# Federation keys of the entity types.
ENTITY_KEYS = {"Organization": "id", "Member": "id", "Enterprise": "uscc", "Activity": "id"}
# What a record inside a trace stands for.
TRACE_RECORDS = {
    "HeldPost": "CadrePost",
    "RecentRegistration": "Registration",
    "RecentService": "ServiceRecord",
}
EVENT_RECORDS = {
    "POST_TAKEN": "CadrePost",
    "TRANSFER_REQUESTED": "Transfer",
    "TRANSFER_ANSWERED": "Transfer",
    "DUES_PAID": "DuesPayment",
    "REGISTERED": "Registration",
    "SERVED": "ServiceRecord",
}

LISTS = """
query ($root: String!) {
  members(first: 100) {
    totalCount
    edges { node { __typename key branch { __typename key parent { __typename key } } } }
  }
  under: members(where: {under: $root}, first: 5) { totalCount }
  organizations(first: 100) {
    totalCount
    edges { node { __typename key parentChain { __typename key }
      children { __typename key } posts { __typename key holder { __typename key } } } }
  }
  enterprises(first: 100) {
    totalCount edges { node { __typename key area { __typename key } } }
  }
  activities(first: 100) {
    totalCount edges { node { __typename key host { __typename key } } }
  }
}
"""
TRACES = """
query ($member: String!, $root: String!, $above: String!) {
  trace(memberKey: $member) {
    member { __typename key } branch { __typename key } chain { __typename key }
    posts { __typename key organization { __typename key } }
    transfers { __typename key from { __typename key } to { __typename key } }
    registrationCount recentRegistrations { __typename key }
    serviceCount recentService { __typename key }
    trajectory { kind key summary }
  }
  traceOrganization(code: $root) {
    organization { __typename key } chain { __typename key } members
    children { organization { __typename key } members }
    posts { __typename key holder { __typename key } }
    recentActivities { __typename key }
  }
  above: traceOrganization(code: $above) { members }
  organizationTree(root: $root, depth: 3) { ...Branches }
  aboveTree: organizationTree(root: $above, depth: 1) { organization { key } }
}
fragment Branches on TreeNode {
  organization { __typename key }
  children { organization { __typename key } children { organization { __typename key }
    children { organization { __typename key } } } }
}
"""
SEARCH = """
query ($text: String!) {
  search(text: $text, first: 100) { node { __typename ... on SourceRecord { key } } }
}
"""
NODES = """
query ($ids: [ID!]!, $representations: [_Any!]!) {
  nodes(ids: $ids) {
    __typename ... on SourceRecord { key }
    ... on Member { branch { __typename key } }
    ... on Person { member { __typename key branch { __typename key } } }
    ... on CadrePost { holder { __typename key } organization { __typename key } }
    ... on Registration { person { __typename key }
      activity { __typename key host { __typename key } } }
    ... on ServiceRecord { person { __typename key } }
    ... on Transfer { member { __typename key } from { __typename key } to { __typename key } }
    ... on DuesPayment { member { __typename key } }
    ... on FederationOrg { enterprise { __typename key area { __typename key } } }
  }
  _entities(representations: $representations) {
    __typename
    ... on Organization { key } ... on Member { key }
    ... on Enterprise { key } ... on Activity { key }
  }
}
"""
LOOKUPS = """
query ($code: String!, $member: String!, $uscc: String!, $activity: String!) {
  organization(code: $code) { __typename key }
  member(key: $member) { __typename key }
  enterprise(uscc: $uscc) { __typename key }
  activity(key: $activity) { __typename key }
}
"""
NEIGHBORHOOD = """
query ($id: ID!) {
  neighborhood(id: $id, hops: 2, first: 100) { distance node { __typename key } }
}
"""
PATH = """
query ($a: ID!, $b: ID!) {
  path(fromId: $a, toId: $b, maxHops: 6) { length nodes { __typename key } }
}
"""


def nodes_in(answer: Any) -> Iterator[Node]:
    """Every node an answer names, records inside traces included."""
    if isinstance(answer, list):
        for item in answer:
            yield from nodes_in(item)
    elif isinstance(answer, dict):
        kind = answer.get("__typename")
        if kind in NODE_TYPES and "key" in answer:
            yield (kind, answer["key"])
        elif kind in TRACE_RECORDS:
            yield (TRACE_RECORDS[kind], answer["key"])
        if answer.get("kind") in EVENT_RECORDS:
            yield (EVENT_RECORDS[answer["kind"]], answer["key"])
        for value in answer.values():
            yield from nodes_in(value)


class Caller:
    """Asks as a caller bounded to ``roots``, and checks each answer against the rebuilt graph."""

    def __init__(self, store: Store, graph: ProvinceGraph, *roots: str) -> None:
        self.store, self.graph, self.roots = store, graph, roots
        self.subtree = graph.subtree(roots)

    async def answer(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """The data of ``query`` asked of the schema; ``tests/hub/test_token_boundary.py``
        asks the same over HTTP with a bearer token."""
        data, _ = await ask(self.store, query, scope=Scope(*self.roots), **variables)
        return data

    async def ask(self, query: str, **variables: Any) -> dict[str, Any]:
        data = await self.answer(query, variables)
        outside = {node for node in nodes_in(data) if not self.graph.visible(node, self.roots)}
        assert outside == set(), (self.roots, query.split("{")[1])
        named = set(ORGANIZATION_CODE.findall(json.dumps(data, ensure_ascii=False)))
        assert named <= self.subtree, (self.roots, named - self.subtree)  # in any text too
        return data

    def sees(self, node: Node) -> bool:
        return self.graph.visible(node, self.roots)

    def count(self, type_name: str) -> int:
        return sum(self.sees((type_name, key)) for key in self.graph.nodes(type_name))


def sample(graph: ProvinceGraph, rng: random.Random, type_name: str, k: int) -> list[str]:
    keys = graph.nodes(type_name)
    return rng.sample(keys, min(k, len(keys)))


@pytest.fixture
def rng() -> random.Random:
    return random.Random(12)


async def test_a_subtree_sees_nothing_outside_it_through_any_query(
    seeded: Store, province_graph: ProvinceGraph, rng: random.Random
) -> None:
    graph = province_graph
    organizations = sorted(graph.lineage)
    assert len(organizations) >= SAMPLED
    for root in rng.sample(organizations, SAMPLED):
        caller = Caller(seeded, graph, root)
        await lists_are_bounded_and_counted(caller)
        await traces_are_bounded_and_counted(caller, rng)
        await lookups_find_exactly_what_the_caller_sees(caller, rng)
        await traversals_walk_only_what_the_caller_sees(caller, rng)
    for text in ("团", "王", "公司", "青年", "志愿"):
        await Caller(seeded, graph, "ORG0000003").ask(SEARCH, text=text)
        await Caller(seeded, graph, rng.choice(organizations)).ask(SEARCH, text=text)


async def lists_are_bounded_and_counted(caller: Caller) -> None:
    (root,) = caller.roots
    data = await caller.ask(LISTS, root=root)
    assert data["members"]["totalCount"] == caller.count("Member")
    assert data["under"]["totalCount"] == caller.count("Member")
    assert data["organizations"]["totalCount"] == len(caller.subtree)
    assert data["enterprises"]["totalCount"] == caller.count("Enterprise")
    assert data["activities"]["totalCount"] == caller.count("Activity")
    first = sorted(caller.subtree, key=lambda org: caller.graph.lineage[org])[:100]  # tree order
    assert [e["node"]["key"] for e in data["organizations"]["edges"]] == first


async def traces_are_bounded_and_counted(caller: Caller, rng: random.Random) -> None:
    graph, (root,) = caller.graph, caller.roots
    chain = graph.lineage[root]
    inside = [m for m, branch in graph.branch_of.items() if branch in caller.subtree]
    member = rng.choice(inside) if inside else rng.choice(sorted(graph.branch_of))
    above = chain[-2] if len(chain) > 1 else root
    data = await caller.ask(TRACES, member=member, root=root, above=above)
    trace = data["trace"]
    if not inside:
        assert trace is None
    else:
        assert trace["member"]["key"] == member
        registrations = [
            g for g in graph.registrations_of[member] if caller.sees(("Registration", g))
        ]
        assert trace["registrationCount"] == len(registrations)
        assert trace["serviceCount"] == len(graph.service_of[member])
        assert trace["chain"][-1]["key"] == root
    organization = data["traceOrganization"]
    assert organization["organization"]["key"] == root
    assert organization["chain"] == []  # nothing above the top of the scope
    assert organization["members"] == sum(
        n for branch, n in graph.members_in.items() if branch in caller.subtree
    )
    tree = data["organizationTree"]
    assert tree["organization"]["key"] == root
    found = {key for kind, key in nodes_in(tree) if kind == "Organization"}
    depth = len(chain)
    assert found == {o for o in caller.subtree if len(graph.lineage[o]) <= depth + 3}
    if above != root:
        assert data["above"] is None
        assert data["aboveTree"] is None


async def lookups_find_exactly_what_the_caller_sees(caller: Caller, rng: random.Random) -> None:
    graph = caller.graph
    wanted: list[Node] = [(t, key) for t in NODE_TYPES for key in sample(graph, rng, t, 4)]
    inside = sorted(caller.subtree)
    wanted += [("Organization", rng.choice(inside))]
    entities = [node for node in wanted if node[0] in ENTITY_KEYS]
    representations = [
        {"__typename": t, ENTITY_KEYS[t]: key if t == "Enterprise" else to_base64(t, key)}
        for t, key in entities
    ]
    data = await caller.ask(
        NODES, ids=[to_base64(t, key) for t, key in wanted], representations=representations
    )
    found = [(n["__typename"], n["key"]) if n else None for n in data["nodes"]]
    assert found == [node if caller.sees(node) else None for node in wanted]
    resolved = [(e["__typename"], e["key"]) if e else None for e in data["_entities"]]
    assert resolved == [node if caller.sees(node) else None for node in entities]
    picks = {t: rng.choice(graph.nodes(t)) for t in ("Organization", "Member", "Enterprise")}
    picks["Activity"] = rng.choice(graph.nodes("Activity"))
    data = await caller.ask(
        LOOKUPS,
        code=picks["Organization"],
        member=picks["Member"],
        uscc=picks["Enterprise"],
        activity=picks["Activity"],
    )
    for field, type_name in (
        ("organization", "Organization"),
        ("member", "Member"),
        ("enterprise", "Enterprise"),
        ("activity", "Activity"),
    ):
        seen = caller.sees((type_name, picks[type_name]))
        assert (data[field] is not None) == seen, (field, picks[type_name])


async def traversals_walk_only_what_the_caller_sees(caller: Caller, rng: random.Random) -> None:
    """Neighbourhoods of the root and of records reached through people the caller cannot
    see (two registrations of an outsider, two transfers of a member who left)."""
    graph, (root,) = caller.graph, caller.roots
    starts: list[Node] = [("Organization", root)]
    for type_name in ("Registration", "Transfer"):
        seen = [key for key in graph.nodes(type_name) if caller.sees((type_name, key))]
        starts += [(type_name, key) for key in rng.sample(seen, min(2, len(seen)))]
    for start in starts:
        data = await caller.ask(NEIGHBORHOOD, id=to_base64(*start))
        reachable = graph.distances(start, 2, caller.roots)
        ranked = sorted((d, key) for (_, key), d in reachable.items() if d > 0)[:100]
        assert [(n["distance"], n["node"]["key"]) for n in data["neighborhood"]] == ranked
        # A node the caller sees, nearer through what they do not: the path goes around.
        scoped = graph.distances(start, 6, caller.roots)
        shortcut = sorted(
            node
            for node, d in graph.distances(start, 2, None).items()
            if caller.sees(node) and scoped.get(node) != d
        )
        if shortcut:
            data = await caller.ask(PATH, a=to_base64(*start), b=to_base64(*shortcut[0]))
            length = data["path"]["length"] if data["path"] else None
            assert length == scoped.get(shortcut[0])
    members = [m for m, branch in graph.branch_of.items() if branch in caller.subtree]
    if len(members) < 2:
        return
    a, b = ("Member", rng.choice(members)), ("Member", rng.choice(members))
    data = await caller.ask(PATH, a=to_base64(*a), b=to_base64(*b))
    shortest = graph.distances(a, 6, caller.roots).get(b)
    if shortest is None:
        assert data["path"] is None
    else:
        assert data["path"]["length"] == shortest


async def test_two_subtrees_see_exactly_their_union(
    seeded: Store, province_graph: ProvinceGraph, rng: random.Random
) -> None:
    graph = province_graph
    cities = sorted(org for org, chain in graph.lineage.items() if len(chain) == 2)
    counties = sorted(org for org, chain in graph.lineage.items() if len(chain) == 3)
    county = next(c for c in counties if graph.lineage[c][1] != cities[0])
    both = Caller(seeded, graph, cities[0], county)
    assert both.subtree == graph.subtree([cities[0]]) | graph.subtree([county])
    data = await both.ask(LISTS, root=cities[0])
    assert data["members"]["totalCount"] == both.count("Member")
    assert both.count("Member") == Caller(seeded, graph, cities[0]).count("Member") + Caller(
        seeded, graph, county
    ).count("Member")
    assert data["organizations"]["totalCount"] == len(both.subtree)
    assert data["enterprises"]["totalCount"] == both.count("Enterprise")
    assert data["activities"]["totalCount"] == both.count("Activity")
    await lookups_find_exactly_what_the_caller_sees(both, rng)
    keys = [e["node"]["key"] for e in data["members"]["edges"]]
    assert len(keys) == len(set(keys))

    nested = Caller(seeded, graph, cities[0], graph.lineage[county][1], counties[0])
    data = await nested.ask(LISTS, root=cities[0])
    assert data["members"]["totalCount"] == nested.count("Member")  # overlaps counted once
