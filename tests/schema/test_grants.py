"""Scopes gate types and fields: each opens its part of the schema, and only that part.

Refusals come before anything runs (``FORBIDDEN``, naming the scope to ask
for); entry points over several types (``node``, ``search``, ``neighborhood``,
``_entities``) answer only the types the caller may read, as if the others did
not exist. A signed-in person reads their own record through ``viewer``.
"""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLObjectType
from strawberry.relay import to_base64

from connectors.synthetic import SyntheticProvince
from graphdb import Scope, Store
from schema import schema
from schema.caller import (
    AUDIT_READ,
    ENTERPRISE_READ,
    MEMBER_READ,
    ORG_READ,
    PII_READ,
    READ_SCOPES,
    Caller,
)
from schema.grants import TYPES
from tests.fixtures.asking import ask, ask_result
from tests.fixtures.province_graph import ProvinceGraph

ROOT = "ORG0000001"
ANONYMOUS = Caller.anonymous()


def with_scopes(*grants: str, scope: Scope | None = None) -> Caller:
    """A partner's caller; its token also holds scopes that gate nothing in GraphQL."""
    held = frozenset({*grants, "openid", "profile"})
    return Caller("client", scope or Scope.everything(), held, client_id="partner")


def refusals(result: Any) -> list[tuple[str, str]]:
    return [(str(e.extensions["code"]), e.message) for e in result.errors or ()]


async def test_anonymous_sees_organisation_names_and_the_tree(seeded: Store) -> None:
    data, _ = await ask(
        seeded,
        """{
          organization(code: "ORG0000001") { code name level kind field regionCode }
          organizations(first: 3) { totalCount edges { node { name parent { name } } } }
          organizationTree(root: "ORG0000001", depth: 2) {
            organization { name } children { organization { name parentChain { code } } } }
        }""",
        caller=ANONYMOUS,
    )
    assert data["organization"]["code"] == ROOT
    assert data["organizations"]["totalCount"] > 3
    assert data["organizationTree"]["children"]
    assert all(
        child["organization"]["parentChain"][-1]["code"] == ROOT
        for child in data["organizationTree"]["children"]
    )


@pytest.mark.parametrize(
    ("query", "scope"),
    [
        ("{ members(first: 1) { totalCount } }", MEMBER_READ),
        ('{ trace(memberKey: "P00000001") { serviceCount } }', MEMBER_READ),
        ("{ enterprises(first: 1) { totalCount } }", ENTERPRISE_READ),
        ('{ organization(code: "ORG0000001") { posts { title } } }', ORG_READ),
        ('{ organization(code: "ORG0000001") { foundedOn } }', ORG_READ),
        ('{ traceOrganization(code: "ORG0000001") { members } }', ORG_READ),
        ("{ auditTrail { edges { cursor } } }", AUDIT_READ),
        (
            '{ node(id: "TWVtYmVyOlAwMDAwMDAwMQ==") { id ... on Member { name } } }',
            MEMBER_READ,
        ),
        ('{ search(text: "团") { node { ... on Person { name } } } }', MEMBER_READ),
        (
            '{ _entities(representations: [{__typename: "Member", id: "x"}]) '
            "{ ... on Member { name } } }",
            MEMBER_READ,
        ),
        ("{ nodes(ids: []) { ...Who } } fragment Who on Enterprise { name }", ENTERPRISE_READ),
    ],
)
async def test_anonymous_is_refused_what_is_not_public_before_anything_runs(
    seeded: Store, query: str, scope: str
) -> None:
    result, calls = await ask_result(seeded, query, caller=ANONYMOUS)
    assert result.data is None
    assert calls == 0
    ((code, message),) = refusals(result)
    assert code == "FORBIDDEN"
    assert f"needs the scope {scope}" in message


# One query per part of the schema, with the scopes that open it.
PARTS = {
    '{ organization(code: "ORG0000001") { name children { code } } }': frozenset(),
    '{ organization(code: "ORG0000001") { foundedOn posts { title } } }': {ORG_READ},
    "{ activities(first: 1) { edges { node { title host { name } } } } }": {ORG_READ},
    '{ traceOrganization(code: "ORG0000001") { members } }': {ORG_READ},
    "{ members(first: 1) { edges { node { name branch { name } } } } }": {MEMBER_READ},
    '{ trace(memberKey: "P00000001") { member { name } dues { month } } }': {MEMBER_READ},
    "{ enterprises(first: 1) { edges { node { name uscc } } } }": {ENTERPRISE_READ},
    "{ auditTrail(first: 1) { edges { cursor } } }": {AUDIT_READ},
    '{ member(key: "P00000001") { idNumberMasked } }': {MEMBER_READ},
    '{ member(key: "P00000001") { idNumber } }': {MEMBER_READ, PII_READ},
    '{ organization(code: "ORG0000001") { posts { holder { name } } } }': {
        ORG_READ,
        MEMBER_READ,
    },
}


@pytest.mark.parametrize("grant", [*READ_SCOPES, "none"])
async def test_each_scope_opens_its_part_and_only_it(seeded: Store, grant: str) -> None:
    caller = with_scopes(grant)
    for query, needed in PARTS.items():
        result, _ = await ask_result(seeded, query, caller=caller)
        codes = [code for code, _ in refusals(result)]
        if needed <= caller.grants:
            assert "FORBIDDEN" not in codes, (grant, query, result.errors)
        else:
            assert codes, (grant, query)
            assert set(codes) == {"FORBIDDEN"}, (grant, query)


async def test_a_field_needs_the_scope_of_the_type_it_returns(seeded: Store) -> None:
    query = '{ organization(code: "ORG0000001") { posts { title holder { name } } } }'
    result, _ = await ask_result(seeded, query, caller=with_scopes(ORG_READ))
    assert refusals(result) == [
        ("FORBIDDEN", "CadrePost.holder needs the scope member:read; ask for a token granted it")
    ]


def test_every_object_type_of_the_schema_has_its_scopes_declared() -> None:
    declared = set(TYPES) | {"Query"}
    objects = {
        name
        for name, kind in schema._schema.type_map.items()
        if isinstance(kind, GraphQLObjectType) and not name.startswith("__")
    }
    assert objects - declared == set()


async def test_node_of_a_type_the_caller_may_not_read_answers_as_if_it_did_not_exist(
    seeded: Store,
) -> None:
    ids = [to_base64("Member", "P00000001"), to_base64("Organization", ROOT)]
    query = "query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"
    data, _ = await ask(seeded, query, caller=ANONYMOUS, ids=ids)
    assert data["nodes"] == [None, {"__typename": "Organization", "id": ids[1]}]
    data, _ = await ask(seeded, query, caller=with_scopes(MEMBER_READ), ids=ids)
    assert [node["__typename"] for node in data["nodes"]] == ["Member", "Organization"]
    representations = [{"__typename": "Member", "id": ids[0]}]
    entities = "query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }"
    data, _ = await ask(seeded, entities, caller=ANONYMOUS, r=representations)
    assert data["_entities"] == [None]


async def test_search_looks_only_in_the_types_the_caller_may_read(
    seeded: Store, province: SyntheticProvince
) -> None:
    surname = next(province.members())["props"]["name"][0]
    query = """query ($text: String!) {
      search(text: $text, first: 50) { node { __typename } } }"""
    everything, _ = await ask(seeded, query, text=surname)
    assert "Person" in {hit["node"]["__typename"] for hit in everything["search"]}
    anonymous, _ = await ask(seeded, query, caller=ANONYMOUS, text=surname)
    assert {hit["node"]["__typename"] for hit in anonymous["search"]} <= {"Organization"}
    people = "query ($text: String!) { search(text: $text, types: [PERSON]) { score } }"
    data, calls = await ask(seeded, people, caller=ANONYMOUS, text=surname)
    assert data["search"] == []
    assert calls == 0


async def test_neighborhood_leaves_out_the_types_the_caller_may_not_read(
    seeded: Store, province_graph: ProvinceGraph
) -> None:
    area = next(
        key
        for (kind, key), near in sorted(province_graph.near.items())
        if kind == "Organization" and any(other[0] == "Enterprise" for other in near)
    )
    query = """query ($id: ID!) {
      neighborhood(id: $id, hops: 1, first: 100) { node { __typename } } }"""
    area_id = to_base64("Organization", area)
    everything, _ = await ask(seeded, query, id=area_id)
    assert "Enterprise" in {n["node"]["__typename"] for n in everything["neighborhood"]}
    bounded, _ = await ask(seeded, query, caller=with_scopes(MEMBER_READ), id=area_id)
    kinds = {n["node"]["__typename"] for n in bounded["neighborhood"]}
    assert kinds
    assert kinds.isdisjoint({"Enterprise", "FederationOrg", "CadrePost", "Activity"})


VIEWER = """{
  viewer { key name idNumberMasked member { key status branch { code name } } }
}"""


async def test_a_member_reads_their_own_record_and_nothing_else(
    seeded: Store, province: SyntheticProvince
) -> None:
    row = next(province.members())
    account = Caller("account", Scope.nothing(), subject="s-1", person_id=row["id"])
    data, _ = await ask(seeded, VIEWER, caller=account)
    assert data["viewer"]["name"] == row["props"]["name"]
    assert data["viewer"]["idNumberMasked"] == row["props"]["id_number_masked"]
    assert data["viewer"]["member"]["branch"]["code"] == row["branch_id"]
    # Others' records, and what hangs from their own branch, stay closed.
    result, _ = await ask_result(seeded, "{ members { totalCount } }", caller=account)
    assert [code for code, _ in refusals(result)] == ["FORBIDDEN"]
    deeper = "{ viewer { member { branch { posts { holder { name } } } } } }"
    result, _ = await ask_result(seeded, deeper, caller=account)
    assert [code for code, _ in refusals(result)] == ["FORBIDDEN"]
    other = await ask(
        seeded,
        "query ($id: ID!) { node(id: $id) { id } }",
        caller=account,
        id=to_base64("Member", "P00000002"),
    )
    assert other[0] == {"node": None}


async def test_viewer_is_null_without_an_account(seeded: Store) -> None:
    for caller in (ANONYMOUS, with_scopes(*READ_SCOPES), Caller.tool(Scope.everything())):
        data, calls = await ask(seeded, VIEWER, caller=caller)
        assert data == {"viewer": None}
        assert calls == 0
