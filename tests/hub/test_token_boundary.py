"""The token decides what a caller sees: the subtree boundary proved over HTTP with bearer tokens.

``tests/schema/test_boundary.py`` proves the boundary on the schema with a
``Scope`` built by hand; here the same queries go to ``/graphql`` with the
token in the ``Authorization`` header, so the bearer check, the ``orgs`` claim
and the scopes decide the caller. Every answer is compared with the province
rebuilt from the generator's rows (``tests/fixtures/province_graph.py``): a
cadre's token of 200 random subtrees, the demo cadres' real tokens from the
code flow, anonymous and member callers (the public tree and their own record
only) and the demo partner's client-credentials token (the members of one city).
"""

from __future__ import annotations

import json
import random

import pytest
from strawberry.relay import to_base64

from connectors.synthetic import SyntheticProvince
from graphdb import Endpoint, Store
from tests.fixtures.bearer import (
    cadre_token,
    hub_settings,
    person_with_phone,
    post_graphql,
    posts_held,
)
from tests.fixtures.hub import hub_client
from tests.fixtures.oauth import Place
from tests.fixtures.province_graph import ProvinceGraph
from tests.fixtures.token_caller import (
    SEARCHED,
    TokenCaller,
    claims_of,
    platform,
    signed_in_token,
)
from tests.schema.test_boundary import (
    SEARCH,
    lists_are_bounded_and_counted,
    lookups_find_exactly_what_the_caller_sees,
    traces_are_bounded_and_counted,
    traversals_walk_only_what_the_caller_sees,
)

SAMPLED = 200
NOWHERE = "ORG9999999"  # names no organisation
NOBODY = "P99999999"  # names no person

# Everything that takes an organisation or a node the caller names.
NAMED = """
query ($code: String!, $member: String!, $memberId: ID!, $orgId: ID!, $root: ID!) {
  members(where: {under: $code}, first: 5) { totalCount edges { node { key } } }
  organizations(where: {under: $code}, first: 5) { totalCount edges { node { key } } }
  enterprises(where: {under: $code}, first: 5) { totalCount edges { node { key } } }
  activities(where: {under: $code}, first: 5) { totalCount edges { node { key } } }
  organization(code: $code) { key }
  byId: organization(id: $orgId) { key }
  organizationTree(root: $code) { organization { key } }
  traceOrganization(code: $code) { members }
  member(key: $member) { key }
  trace(memberKey: $member) { registrationCount }
  node(id: $memberId) { __typename }
  orgNode: node(id: $orgId) { __typename }
  neighborhood(id: $orgId, hops: 1) { distance }
  path(fromId: $root, toId: $memberId, maxHops: 6) { length }
}
"""


@pytest.fixture
def rng() -> random.Random:
    return random.Random(29)


async def test_a_cadre_token_sees_nothing_outside_its_subtree_through_any_query(
    engine: Endpoint,
    seeded_graph: str,
    seeded: Store,
    province_graph: ProvinceGraph,
    rng: random.Random,
) -> None:
    graph = province_graph
    # A token naming the province's root sees everything, people in no branch too: the
    # province administrator's, checked with the demo's accounts below.
    organizations = sorted(org for org, chain in graph.lineage.items() if len(chain) > 1)
    assert len(organizations) >= SAMPLED
    settings = hub_settings(engine, seeded_graph)
    async with hub_client(engine, seeded_graph, operator=False) as http:
        for root in rng.sample(organizations, SAMPLED):
            token = await cadre_token(seeded, settings, [root])
            caller = TokenCaller(http, token, seeded, graph, root)
            await lists_are_bounded_and_counted(caller)
            await traces_are_bounded_and_counted(caller, rng)
            await lookups_find_exactly_what_the_caller_sees(caller, rng)
            await traversals_walk_only_what_the_caller_sees(caller, rng)
            await outside_answers_as_nowhere(caller, rng)
        for text in SEARCHED:
            await caller.ask(SEARCH, text=text)


async def outside_answers_as_nowhere(caller: TokenCaller, rng: random.Random) -> None:
    """An organisation or member outside the subtree answers, byte for byte, as one that
    does not exist: the parent of the root, and another organisation outside."""
    graph, (root,) = caller.graph, caller.roots
    outside = sorted(set(graph.lineage) - caller.subtree)
    if not outside:
        return  # the root of the province: nothing is outside
    codes = {graph.lineage[root][-2], rng.choice(outside)}
    strangers = [m for m, branch in graph.branch_of.items() if branch not in caller.subtree]
    nowhere = await named(caller, NOWHERE, NOBODY)
    assert '"errors"' not in nowhere, nowhere  # nothing there: empty lists and nulls
    for code in codes:
        assert await named(caller, code, rng.choice(strangers)) == nowhere, code


async def named(caller: TokenCaller, code: str, member: str) -> str:
    """The whole body of ``NAMED`` for ``code`` and ``member``, both written as placeholders."""
    (root,) = caller.roots
    status, body = await post_graphql(
        caller.http,
        NAMED,
        caller.token,
        code=code,
        member=member,
        memberId=to_base64("Member", member),
        orgId=to_base64("Organization", code),
        root=to_base64("Organization", root),
    )
    assert status == 200, body
    text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    for value, placeholder in (
        (to_base64("Member", member), "<member id>"),
        (to_base64("Organization", code), "<organization id>"),
        (code, "<code>"),
        (member, "<member>"),
    ):
        text = text.replace(value, placeholder)
    return text


# Real tokens: the demo's people sign in to a platform granted every scope a query below needs.
async def test_the_demo_cadres_real_tokens_stay_inside_their_posts(
    place: Place,
    seeded: Store,
    province: SyntheticProvince,
    province_graph: ProvinceGraph,
    rng: random.Random,
) -> None:
    graph, client = province_graph, await platform(seeded)
    for role, level in (("township_cadre", 4), ("city_cadre", 2)):
        person = person_with_phone(province, place.account(role)[0])
        held = posts_held(province, person)  # by the generator's appointments, not the hub
        assert held, (role, person)
        assert any(len(graph.lineage[org]) == level for org in held), (role, held)
        token = await signed_in_token(place, client, role)
        assert set((await claims_of(place.http, token))["orgs"]) == held
        caller = TokenCaller(place.http, token, seeded, graph, *sorted(held))
        await lookups_find_exactly_what_the_caller_sees(caller, rng)
        for text in SEARCHED:
            await caller.ask(SEARCH, text=text)
        if len(held) == 1:
            await lists_are_bounded_and_counted(caller)
            await traces_are_bounded_and_counted(caller, rng)
            await traversals_walk_only_what_the_caller_sees(caller, rng)
            await outside_answers_as_nowhere(caller, rng)

    # The province administrator's post is in the root: the token sees the whole province.
    token = await signed_in_token(place, client, "province_admin")
    status, body = await post_graphql(
        place.http,
        "{ members { totalCount } organizations { totalCount } enterprises { totalCount } }",
        token,
    )
    assert status == 200, body
    assert body["data"] == {
        "members": {"totalCount": len(graph.branch_of)},
        "organizations": {"totalCount": len(graph.lineage)},
        "enterprises": {"totalCount": len(graph.nodes("Enterprise"))},
    }


# What anonymous callers and members may ask: organisations and the tree, their own record.
