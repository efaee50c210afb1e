"""``neighborhood`` and ``path`` against a graph rebuilt from the generator's rows."""

from __future__ import annotations

import itertools
from collections import defaultdict, deque

from strawberry.relay import to_base64

from connectors.synthetic import SyntheticProvince
from graphdb import Store
from tests.fixtures.asking import ask

Node = tuple[str, str]  # (GraphQL type, key)


def adjacency(province: SyntheticProvince) -> dict[Node, set[Node]]:
    """Every relationship of the seeded graph, both ways."""
    near: dict[Node, set[Node]] = defaultdict(set)
    member_keys = {row["id"] for row in province.members()}

    def person(key: str) -> Node:
        return ("Member", key) if key in member_keys else ("Person", key)

    def link(a: Node, b: Node) -> None:
        near[a].add(b)
        near[b].add(a)

    tree = province.tree
    for org in tree.orgs:
        if org.parent >= 0:
            link(("Organization", org.id), ("Organization", tree.orgs[org.parent].id))
    for row in province.members():
        link(("Member", row["id"]), ("Organization", row["branch_id"]))
    for post in province.posts():
        link(("CadrePost", post["id"]), ("Organization", post["organization_id"]))
    for appointment in province.appointments():
        link(person(appointment["person_id"]), ("CadrePost", appointment["post_id"]))
    for row in province.enterprises():
        link(("Enterprise", row["uscc"]), ("Organization", row["area_id"]))
    for row in province.enterprise_bases():
        link(("Organization", row["organization_id"]), ("Enterprise", row["uscc"]))
    for row in province.federation_orgs():
        link(("FederationOrg", row["id"]), ("Enterprise", row["uscc"]))
    for row in province.activities():
        link(("Activity", row["id"]), ("Organization", row["host_id"]))
    for row in province.co_hosts():
        link(("Activity", row["activity_id"]), ("FederationOrg", row["federation_org_id"]))
    for row in province.registrations():
        link(person(row["person_id"]), ("Registration", row["id"]))
        link(("Registration", row["id"]), ("Activity", row["activity_id"]))
    for row in province.service_records():
        link(person(row["person_id"]), ("ServiceRecord", row["id"]))
    for row in province.transfers():
        link(("Member", row["member_id"]), ("Transfer", row["id"]))
        link(("Transfer", row["id"]), ("Organization", row["from_id"]))
        link(("Transfer", row["id"]), ("Organization", row["to_id"]))
    for row in province.dues_payments():
        link(("Member", row["member_id"]), ("DuesPayment", row["id"]))
    return near


def distances(near: dict[Node, set[Node]], start: Node, limit: int) -> dict[Node, int]:
    seen = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if seen[node] == limit:
            continue
        for other in near[node]:
            if other not in seen:
                seen[other] = seen[node] + 1
                queue.append(other)
    return seen


async def test_neighborhood_of_a_member(seeded: Store, province: SyntheticProvince) -> None:
    start: Node = ("Member", "P00000001")
    expected = {n: d for n, d in distances(adjacency(province), start, 1).items() if d == 1}
    data, _ = await ask(
        seeded,
        "query ($id: ID!) { neighborhood(id: $id, hops: 1, first: 100) "
        "{ distance node { __typename key } } }",
        id=to_base64(*start),
    )
    found = {
        (n["node"]["__typename"], n["node"]["key"]): n["distance"] for n in data["neighborhood"]
    }
    assert found == expected


async def test_path_between_members_is_a_shortest_one(
    seeded: Store, province: SyntheticProvince
) -> None:
    near = adjacency(province)
    start, end = ("Member", "P00000001"), ("Member", "P00000300")
    shortest = distances(near, start, 6)[end]
    data, _ = await ask(
        seeded,
        "query ($a: ID!, $b: ID!) { path(fromId: $a, toId: $b, maxHops: 6) "
        "{ length relationships nodes { __typename key } } }",
        a=to_base64(*start),
        b=to_base64(*end),
    )
    found = data["path"]
    nodes = [(n["__typename"], n["key"]) for n in found["nodes"]]
    assert found["length"] == shortest == len(nodes) - 1 == len(found["relationships"])
    assert (nodes[0], nodes[-1]) == (start, end)
    assert all(b in near[a] for a, b in itertools.pairwise(nodes))


async def test_no_path_within_the_hops_is_null(seeded: Store) -> None:
    data, _ = await ask(
        seeded,
        "query ($a: ID!, $b: ID!) { path(fromId: $a, toId: $b, maxHops: 1) { length } }",
        a=to_base64("Member", "P00000001"),
        b=to_base64("Member", "P00000300"),
    )
    assert data["path"] is None
