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
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet
from strawberry.relay import to_base64

from connectors.synthetic import SyntheticProvince
from graphdb import Endpoint, Store
from hub.auth.clients import ClientRegistry
from tests.fixtures.bearer import (
    cadre_token,
    hub_settings,
    person_with_phone,
    post_graphql,
    posts_held,
)
from tests.fixtures.hub import hub_client
from tests.fixtures.oauth import REDIRECT, Pkce, Place, code_flow, sign_in
from tests.fixtures.province_graph import Node, ProvinceGraph
from tests.schema.test_boundary import (
    NODE_TYPES,
    SEARCH,
    Caller,
    lists_are_bounded_and_counted,
    lookups_find_exactly_what_the_caller_sees,
    nodes_in,
    traces_are_bounded_and_counted,
    traversals_walk_only_what_the_caller_sees,
)

SAMPLED = 200
NOWHERE = "ORG9999999"  # names no organisation
NOBODY = "P99999999"  # names no person
SEARCHED = ("团", "王", "公司", "青年", "志愿")

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


class TokenCaller(Caller):
    """A caller whose queries go to ``/graphql`` with ``token``; the checks are the schema
    test's (every node inside ``roots``' subtree, every organisation code in the text too)."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        token: str,
        store: Store,
        graph: ProvinceGraph,
        *roots: str,
    ) -> None:
        super().__init__(store, graph, *roots)
        self.http, self.token = http, token

    async def answer(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        status, body = await post_graphql(self.http, query, self.token, **variables)
        assert status == 200, body
        assert "errors" not in body, (self.roots, body["errors"])
        data: dict[str, Any] = body["data"]
        return data


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
    organizations = sorted(graph.lineage)
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
