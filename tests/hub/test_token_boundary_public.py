"""Callers without a subtree see the public tree and their own record; a partner, its city.

Anonymous callers and a member's real token get organisation names and the
tree and nothing personal; the member's ``viewer`` is exactly their own record;
the demo partner's client-credentials token reads the members of its one city;
``viewer`` never lends a cadre records outside their token's subtrees. Every
answer is compared with the province rebuilt from the generator's rows.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from strawberry.relay import to_base64

from connectors import IdentityHasher
from connectors.synthetic import SyntheticProvince
from connectors.synthetic.identifiers import phone as synthetic_phone
from graphdb import Store
from hub.auth.accounts import Accounts
from hub.settings import DEMO_AUTH_SECRET
from tests.fixtures.bearer import (
    person_with_phone,
    post_graphql,
    posts_held,
)
from tests.fixtures.oauth import Place
from tests.fixtures.province_graph import Node, ProvinceGraph
from tests.fixtures.token_caller import (
    SEARCHED,
    TokenCaller,
    claims_of,
    platform,
    signed_in_token,
)
from tests.schema.test_boundary import (
    NODE_TYPES,
    ORGANIZATION_CODE,
    SEARCH,
    nodes_in,
    traces_are_bounded_and_counted,
)


@pytest.fixture
def rng() -> random.Random:
    return random.Random(29)


PUBLIC = """
query ($ids: [ID!]!, $representations: [_Any!]!, $root: String!, $member: ID!) {
  organizations(first: 100) { totalCount edges { node { __typename key } } }
  organizationTree(root: $root, depth: 2) {
    organization { __typename key }
    children { organization { __typename key } children { organization { __typename key } } }
  }
  organization(code: $root) { __typename key parentChain { key } children { key } }
  nodes(ids: $ids) { __typename ... on SourceRecord { key } }
  node(id: $member) { __typename }
  _entities(representations: $representations) { __typename ... on SourceRecord { key } }
  viewer { __typename key member { __typename key branch { __typename key } } }
}
"""
PUBLIC_SEARCH = """
query ($text: String!) {
  search(text: $text, first: 100) { node { __typename ... on SourceRecord { key } } }
}
"""
PUBLIC_TYPES = {"Organization", "OrganizationConnection", "OrganizationEdge", "TreeNode"}
PUBLIC_TYPES |= {"SearchHit"}
ENTITY_IDS = {"Organization": "id", "Member": "id", "Enterprise": "uscc", "Activity": "id"}


def personal(member: str, org: str, uscc: str, activity: str) -> list[str]:
    """One query for each personal (or not public) entry point and type, about real records."""
    member_id, org_id = to_base64("Member", member), to_base64("Organization", org)
    return [
        "{ members(first: 1) { totalCount } }",
        f'{{ members(where: {{under: "{org}"}}) {{ totalCount }} }}',
        f'{{ member(key: "{member}") {{ key }} }}',
        f'{{ trace(memberKey: "{member}") {{ registrationCount }} }}',
        f'{{ traceOrganization(code: "{org}") {{ members }} }}',
        "{ enterprises(first: 1) { totalCount } }",
        f'{{ enterprise(uscc: "{uscc}") {{ key }} }}',
        "{ activities(first: 1) { totalCount } }",
        f'{{ activity(key: "{activity}") {{ key }} }}',
        f'{{ neighborhood(id: "{org_id}") {{ distance }} }}',
        f'{{ path(fromId: "{org_id}", toId: "{member_id}") {{ length }} }}',
        '{ search(text: "王") { node { ... on Person { key } } } }',
        '{ search(text: "团") { node { ... on Member { key } } } }',
        f'{{ node(id: "{member_id}") {{ ... on Member {{ key name }} }} }}',
        f'{{ nodes(ids: ["{member_id}"]) {{ ... on Transfer {{ key }} }} }}',
        f'{{ _entities(representations: [{{__typename: "Member", id: "{member_id}"}}]) '
        "{ ... on Member { key } } }",
        f'{{ organization(code: "{org}") {{ posts {{ key }} }} }}',
        f'{{ organization(code: "{org}") {{ foundedOn }} }}',
        "{ auditTrail { edges { cursor } } }",
        "{ viewer { member { idNumber } } }",
    ]


def typenames(answer: Any) -> Iterator[str]:
    if isinstance(answer, list):
        for item in answer:
            yield from typenames(item)
    elif isinstance(answer, dict):
        if "__typename" in answer:
            yield answer["__typename"]
        for value in answer.values():
            yield from typenames(value)


async def sees_only_the_public_tree(
    http: httpx.AsyncClient,
    token: str | None,
    graph: ProvinceGraph,
    rng: random.Random,
    own: str | None,
) -> None:
    """Every personal query is refused before it runs; the public ones answer organisations
    only, and ``viewer`` the caller's own record (``own``), nothing else personal."""
    root = next(org for org, chain in graph.lineage.items() if len(chain) == 1)
    others = [m for m in graph.branch_of if m != own]
    member = rng.choice(others)
    picks = {t: rng.choice(graph.nodes(t)) for t in ("Organization", "Enterprise", "Activity")}
    for query in personal(member, picks["Organization"], picks["Enterprise"], picks["Activity"]):
        status, body = await post_graphql(http, query, token)
        assert status == 200, (query, body)
        assert body.get("data") is None, (query, body)
        assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}, (query, body)

    wanted: list[Node] = [(t, key) for t in NODE_TYPES for key in rng.sample(graph.nodes(t), 3)]
    if own is not None:
        wanted += [("Member", own), ("Person", own)]
    entities = [(t, rng.choice(graph.nodes(t))) for t in ENTITY_IDS]
    representations = [
        {"__typename": t, ENTITY_IDS[t]: key if t == "Enterprise" else to_base64(t, key)}
        for t, key in entities
    ]
    status, body = await post_graphql(
        http,
        PUBLIC,
        token,
        ids=[to_base64(t, key) for t, key in wanted],
        representations=representations,
        root=root,
        member=to_base64("Member", member),
    )
    assert status == 200, body
    assert "errors" not in body, body
    data = body["data"]
    assert data["organizations"]["totalCount"] == len(graph.lineage)
    tree = {key for kind, key in nodes_in(data["organizationTree"]) if kind == "Organization"}
    assert tree == {org for org, chain in graph.lineage.items() if len(chain) <= 3}
    assert data["organization"]["children"]
    mine = {("Member", own), ("Person", own)} if own else set()
    found = [(n["__typename"], n["key"]) if n else None for n in data["nodes"]]
    assert found == [n if n[0] == "Organization" or n in mine else None for n in wanted]
    assert data["node"] is None
    resolved = [(e["__typename"], e["key"]) if e else None for e in data["_entities"]]
    assert resolved == [n if n[0] == "Organization" else None for n in entities]
    if own is None:
        assert data["viewer"] is None
    else:
        viewer = data["viewer"]
        assert (viewer["__typename"], viewer["key"]) == ("Person", own)
        assert (viewer["member"]["__typename"], viewer["member"]["key"]) == ("Member", own)
        assert viewer["member"]["branch"]["key"] == graph.branch_of[own]
    personal_seen = set(nodes_in(data)) - {("Organization", o) for o in graph.lineage}
    assert personal_seen <= mine, personal_seen
    assert set(typenames(data)) <= PUBLIC_TYPES | {t for t, _ in mine}

    for text in SEARCHED:
        status, body = await post_graphql(http, PUBLIC_SEARCH, token, text=text)
        assert status == 200, body
        assert "errors" not in body, body
        assert set(typenames(body["data"])) <= PUBLIC_TYPES, (text, body)


async def test_anonymous_and_a_member_see_the_public_tree_and_their_own_record_only(
    place: Place,
    seeded: Store,
    province: SyntheticProvince,
    province_graph: ProvinceGraph,
    rng: random.Random,
) -> None:
    await sees_only_the_public_tree(place.http, None, province_graph, rng, own=None)
    person = person_with_phone(province, place.account("member")[0])
    assert person in province_graph.branch_of
    assert posts_held(province, person) == set()
    token = await signed_in_token(place, await platform(seeded), "member")
    assert "orgs" not in await claims_of(place.http, token)
    await sees_only_the_public_tree(place.http, token, province_graph, rng, own=person)


PARTNER_LISTS = """
query ($root: String!) {
  members(first: 100) {
    totalCount edges { node { __typename key branch { __typename key } } }
  }
  under: members(where: {under: $root}, first: 5) { totalCount }
  organizations(first: 100) { totalCount edges { node { __typename key } } }
  activities(first: 100) {
    totalCount edges { node { __typename key host { __typename key } } }
  }
}
"""
PARTNER_NODES = """
query ($ids: [ID!]!, $root: ID!) {
  nodes(ids: $ids) { __typename ... on SourceRecord { key } }
  neighborhood(id: $root, hops: 2, first: 100) { distance node { __typename key } }
}
"""
ENTERPRISES = ("Enterprise", "FederationOrg")


async def test_the_demo_partner_reads_the_members_of_its_city_only(
    place: Place,
    seeded: Store,
    province: SyntheticProvince,
    province_graph: ProvinceGraph,
    rng: random.Random,
) -> None:
    graph, http = province_graph, place.http
    partner = place.demo.clients[0]
    (city,) = posts_held(province, person_with_phone(province, place.account("city_cadre")[0]))
    issued = await http.post(
        "/oauth/token",
        auth=(partner.client_id, partner.client_secret),
        data={"grant_type": "client_credentials", "scope": "org:read member:read"},
    )
    assert issued.status_code == 200, issued.text
    token = issued.json()["access_token"]
    assert (await claims_of(http, token))["orgs"] == [city]
    caller = TokenCaller(http, token, seeded, graph, city)

    data = await caller.ask(PARTNER_LISTS, root=city)
    assert data["members"]["totalCount"] == caller.count("Member") > 0
    assert data["under"]["totalCount"] == caller.count("Member")
    assert data["organizations"]["totalCount"] == len(caller.subtree)
    assert data["activities"]["totalCount"] == caller.count("Activity")
    await traces_are_bounded_and_counted(caller, rng)
    for text in SEARCHED:
        hits = await caller.ask(SEARCH, text=text)
        assert not {kind for kind, _ in nodes_in(hits)} & set(ENTERPRISES), text

    wanted: list[Node] = [(t, key) for t in NODE_TYPES for key in rng.sample(graph.nodes(t), 4)]
    for t in (*ENTERPRISES, "Member"):  # some inside the city too
        inside = [key for key in graph.nodes(t) if caller.sees((t, key))]
        wanted += [(t, key) for key in rng.sample(inside, min(3, len(inside)))]
    data = await caller.ask(
        PARTNER_NODES,
        ids=[to_base64(t, key) for t, key in wanted],
        root=to_base64("Organization", city),
    )
    found = [(n["__typename"], n["key"]) if n else None for n in data["nodes"]]
    assert found == [n if caller.sees(n) and n[0] not in ENTERPRISES else None for n in wanted]
    near = {(n["node"]["__typename"], n["node"]["key"]) for n in data["neighborhood"]}
    assert near
    assert not {kind for kind, _ in near} & set(ENTERPRISES)

    uscc = next(key for key in graph.nodes("Enterprise") if caller.sees(("Enterprise", key)))
    for query in (
        "{ enterprises(first: 1) { totalCount } }",
        f'{{ enterprise(uscc: "{uscc}") {{ key }} }}',
        f'{{ organization(code: "{city}") {{ key }} enterprises {{ totalCount }} }}',
        '{ search(text: "公司") { node { ... on Enterprise { key } } } }',
    ):
        status, body = await post_graphql(http, query, token)
        assert status == 200, body
        assert body.get("data") is None, (query, body)
        assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}, (query, body)


# Found by this file: ``viewer`` primes the request's loaders of people, members and
# organisations with the caller's own records read under their own branch's bound, not
# the token's; a cadre whose branch lies outside their posts' subtree then gets that
# branch through any other path of the same request that loads it afterwards, and their
# own ``viewer.member`` answers null when another path loaded it first.
VIEWER_AND_POSTS = """
query ($code: String!) {
  viewer { key }
  traceOrganization(code: $code) {
    posts { key holder { key member { key branch { __typename key name } } } }
  }
}
"""
VIEWER_AND_MEMBER = """
query ($key: String!) {
  viewer { key member { key branch { key } } }
  member(key: $key) { key }
}
"""


async def cadre_from_elsewhere(
    place: Place,
    seeded: Store,
    hasher: IdentityHasher,
    province: SyntheticProvince,
    graph: ProvinceGraph,
) -> tuple[str, str, str]:
    """A member holding one post outside their own branch's subtree, signed in: their key,
    their post's organisation and their token (by the generator's rows)."""
    person, post_org = next(
        (person, org)
        for person in sorted(graph.branch_of)
        for org in [*posts_held(province, person)][:1]
        if len(posts_held(province, person)) == 1
        and org not in graph.lineage[graph.branch_of[person]]
    )
    phone, password = synthetic_phone(int(person[1:]) - 1), "elsewhere-" + person
    await Accounts(seeded, hasher, DEMO_AUTH_SECRET).create(person, phone, password)
    token = await signed_in_token(place, await platform(seeded), "", (phone, password))
    assert (await claims_of(place.http, token))["orgs"] == [post_org]
    return person, post_org, token


async def test_a_cadre_gets_their_own_branch_elsewhere_through_viewer_only(
    place: Place,
    seeded: Store,
    hasher: IdentityHasher,
    province: SyntheticProvince,
    province_graph: ProvinceGraph,
) -> None:
    graph = province_graph
    _, post_org, token = await cadre_from_elsewhere(place, seeded, hasher, province, graph)
    subtree = graph.subtree([post_org])
    status, body = await post_graphql(place.http, VIEWER_AND_POSTS, token, code=post_org)
    assert status == 200, body
    assert "errors" not in body, body
    named = set(ORGANIZATION_CODE.findall(json.dumps(body["data"]["traceOrganization"])))
    assert named <= subtree, named - subtree


async def test_the_viewer_reads_their_own_record_whatever_else_the_request_asks(
    place: Place,
    seeded: Store,
    hasher: IdentityHasher,
    province: SyntheticProvince,
    province_graph: ProvinceGraph,
) -> None:
    graph = province_graph
    person, _, token = await cadre_from_elsewhere(place, seeded, hasher, province, graph)
    status, body = await post_graphql(place.http, VIEWER_AND_MEMBER, token, key=person)
    assert status == 200, body
    viewer = body["data"]["viewer"]
    assert viewer["member"] == {"key": person, "branch": {"key": graph.branch_of[person]}}
