"""Every statement a resolver can reach is bounded, and the resolvers reach every domain read.

The store refuses a read that declares no bound (``tests/graphdb/test_store.py``);
here every entry point of the schema, with every nested field and every sort
order, runs for a caller who sees everything, one bounded to a city, and one
bounded to two subtrees. Each statement they run must be declared and bounded,
and together they must run every read of the graph model.
"""

from __future__ import annotations

import re
from pathlib import Path

from strawberry.relay import to_base64

from graphdb import PUBLIC, SUBTREE, WHOLE_TREE, Scope, Store
from graphdb.security.audit import PiiKeys
from graphdb.statement import registered
from schema import Caller, Context, schema
from schema.caller import READ_SCOPES

DOC = Path(__file__).parents[2] / "docs" / "queries.md"
# Reads that no resolver runs, each with the reason.
NOT_FOR_RESOLVERS = {
    "organization.count_by_level": "the tree's shape, for `hub demo` and tools",
    "member.chain_to_root": "a member's chain as one read, for the load benchmark",
    "post.count_filled": "whole-graph figures, for tools and the seed tests",
    "listing.tree": "numbering the tree for lists, by migrate and seed",
    "listing.unnumbered": "whether migrate must number the tree",
    "organization.roots": "the root of the tree, looked up once when sign-on opens",
    **{
        f"account.{name}": "choosing the demo's people, by hub demo (hub.auth.demo)"
        for name in (
            "root",
            "posts_under",
            "organizations_under",
            "members_without_post_under",
            "people_without_post",
        )
    },
    **dict.fromkeys(
        (
            "account.by_id",
            "account.by_phone",
            "account.by_person",
            "account.person",
            "account.person_by_id_number",
            "oauth_client.by_id",
            "oauth_client.list",
            "oauth_client.known_organizations",
            "refresh_token.find",
            "revocation.unexpired",
            "signing_key.all",
        ),
        "sign-on's own records, read by the authorization server (hub.auth)",
    ),
    **{
        f"search.unindexed_{domain}": "names without search terms, for migrate"
        for domain in ("organization", "person", "enterprise", "activity")
    },
}
EVERYTHING_ELSE = """
query ($org: ID!, $member: ID!, $post: ID!, $uscc: String!, $fed: ID!, $registration: ID!,
       $service: ID!, $transfer: ID!, $dues: ID!, $person: ID!) {
  nodes(ids: [$org, $member, $post, $fed, $registration, $service, $transfer, $dues, $person]) {
    __typename
    ... on Organization { parent { key } parentChain { key } children { key }
      posts { holder { key member { key } } organization { key } } }
    ... on Member { branch { key } }
    ... on FederationOrg { enterprise { area { key } } }
    ... on Registration { person { key } activity { host { key } } }
    ... on ServiceRecord { person { key } }
    ... on Transfer { member { key } from { key } to { key } }
    ... on DuesPayment { member { key } }
    ... on Person { member { key } }
  }
  enterprise(uscc: $uscc) { key }
  neighborhood(id: $member, hops: 2, first: 20) { node { __typename } }
  path(fromId: $member, toId: $org, maxHops: 4) { length }
  search(text: "团") { score }
  trace(memberId: $member) { member { key } }
  traceOrganization(id: $org) { members posts { key } recentActivities { key } }
  organizationTree(root: "ORG0000002", depth: 2) { organization { key } }
}
"""


# A signed-in member's own record, full values (read for a declared purpose), the trail.
PERSONAL = """
query ($member: ID!) {
  viewer { key member { key branch { key } } }
  member(id: $member) { idNumber phone }
  auditTrail(first: 1) { edges { node { at } } }
}
"""


def every_order(alias: str, field: str, values: list[str], where: str = "") -> str:
    return "\n".join(
        f"{alias}_{value}_{direction}: {field}({where} orderBy: {{field: {value}, "
        f"direction: {direction}}}, first: 2) {{ totalCount edges {{ node {{ key }} }} }}"
        for value in values
        for direction in ("ASC", "DESC")
    )


LISTS = f"""
{{
  {every_order("members", "members", ["TREE", "KEY", "NAME", "JOINED_ON"])}
  {every_order("under", "members", ["TREE", "NAME"], 'where: {under: "ORG0000002"},')}
  {every_order("organizations", "organizations", ["TREE", "CODE", "NAME", "LEVEL"])}
  {every_order("enterprises", "enterprises", ["TREE", "USCC", "NAME", "REGISTERED_ON"])}
  {every_order("employers", "enterprises", ["EMPLOYEES"])}
  {every_order("activities", "activities", ["TREE", "KEY", "TITLE", "STARTS_ON"])}
  women: members(where: {{gender: "F"}}) {{ totalCount }}
  committees: organizations(where: {{kind: "committee"}}) {{ totalCount }}
  active: enterprises(where: {{status: "active"}}) {{ totalCount }}
  open: activities(where: {{status: "open"}}) {{ totalCount }}
}}
"""
_SORTED = re.compile(r"^(.*\.list_sorted)\.[a-z_]+\.(?:asc|desc)$")
_PER_LABEL = (
    "traversal.neighborhood.",
    "traversal.neighborhood_whole_tree.",
    "traversal.internal_id.",
    "falkordb.search.",
    "neo4j.search.",
)


def family(name: str) -> str:
    """A statement's name without its sort order or label: ``member.list_sorted``."""
    sorted_ = _SORTED.match(name)
    if sorted_:
        return sorted_.group(1)
    return name.rsplit(".", 1)[0] if name.startswith(_PER_LABEL) else name


async def test_every_statement_a_resolver_runs_is_bounded_and_every_read_is_run(
    seeded: Store, pii_keys: PiiKeys
) -> None:
    declared = {s.name: s for s in registered()}
    keys = {
        "org": to_base64("Organization", "ORG0000002"),
        "member": to_base64("Member", "P00000001"),
        "post": to_base64("CadrePost", "POST0000001"),
        "uscc": "x",
        "fed": to_base64("FederationOrg", "FED0000001"),
        "registration": to_base64("Registration", "REG00000001"),
        "service": to_base64("ServiceRecord", "SVC00000001"),
        "transfer": to_base64("Transfer", "TRF00000001"),
        "dues": to_base64("DuesPayment", "DUE00000001"),
        "person": to_base64("Person", "P00000002"),
    }
    documented = re.findall(r"```graphql\n(.*?)```", DOC.read_text(), flags=re.S)
    ran: set[str] = set()

    async def run(query: str, caller: Caller, **variables: str) -> None:
        context = Context(seeded, caller, pii=pii_keys)
        with seeded.round_trips.measure() as calls:
            result = await schema.execute(query, variable_values=variables, context_value=context)
        assert result.errors is None, result.errors
        ran.update(calls.statements)

    for scope in (Scope.everything(), Scope("ORG0000002"), Scope("ORG0000003", "ORG0000005")):
        await run(LISTS, Caller.tool(scope))
        await run(EVERYTHING_ELSE, Caller.tool(scope), **keys)
        account = Caller(
            "account",
            scope,
            frozenset(READ_SCOPES),
            subject="statements-test",
            person_id="P00000001",
            purpose="checking that every statement is bounded",
        )
        await run(PERSONAL, account, member=keys["member"])
        for query in documented:
            if "$" not in query:
                await run(query, Caller.tool(scope))
    unbounded = {
        name
        for name in ran
        if name not in declared
        or (
            declared[name].mode == "read"
            and declared[name].bound not in (SUBTREE, PUBLIC, WHOLE_TREE)
        )
    }
    assert unbounded == set()
    # The one write a query makes: the audit entry of the full values it answered.
    assert {name for name in ran if declared[name].mode != "read"} == {"audit.append"}
    backend = next(name.split(".")[0] for name in ran if ".search." in name)
    reads = {
        family(s.name)
        for s in declared.values()
        if s.mode == "read"
        and not s.name.startswith(("test.", "neo4j.", "falkordb."))
        and not s.name.endswith(".count")
    } | {f"{backend}.search"}
    assert reads - {family(name) for name in ran} == set(NOT_FOR_RESOLVERS)
