"""The root query type."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from schema import analysis, lists
from schema.activity import Activity
from schema.analysis import GraphPath, Neighbor, SearchHit, SearchType, TreeNode
from schema.connection import Connection
from schema.context import Context
from schema.enterprise import Enterprise
from schema.lists import (
    ActivityOrder,
    ActivityWhere,
    EnterpriseOrder,
    EnterpriseWhere,
    MemberOrder,
    MemberWhere,
    OrganizationOrder,
    OrganizationWhere,
)
from schema.node import exactly_one
from schema.organization import Organization
from schema.people import Member
from schema.trace import MemberTrace, OrganizationTrace, member_trace, organization_trace


@strawberry.type
class Query:
    @strawberry.field(description="Members, filtered and ordered; at most 100 a page.")
    async def members(
        self,
        info: Info[Context, None],
        where: MemberWhere | None = None,
        order_by: MemberOrder | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Member]:
        return await lists.members(info, where, order_by, first, after)

    @strawberry.field(description="Organisations, filtered and ordered; at most 100 a page.")
    async def organizations(
        self,
        info: Info[Context, None],
        where: OrganizationWhere | None = None,
        order_by: OrganizationOrder | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Organization]:
        return await lists.organizations(info, where, order_by, first, after)

    @strawberry.field(description="Enterprises, filtered and ordered; at most 100 a page.")
    async def enterprises(
        self,
        info: Info[Context, None],
        where: EnterpriseWhere | None = None,
        order_by: EnterpriseOrder | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Enterprise]:
        return await lists.enterprises(info, where, order_by, first, after)

    @strawberry.field(description="Activities, filtered and ordered; at most 100 a page.")
    async def activities(
        self,
        info: Info[Context, None],
        where: ActivityWhere | None = None,
        order_by: ActivityOrder | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Activity]:
        return await lists.activities(info, where, order_by, first, after)

    node: relay.Node | None = relay.node(description="Any object by its global id.")
    nodes: list[relay.Node | None] = relay.node(description="Objects by global id, in order.")

    @strawberry.field(description="An organisation by global id or by code; null if unknown.")
    async def organization(
        self, info: Info[Context, None], id: strawberry.ID | None = None, code: str | None = None
    ) -> Organization | None:
        name, value = exactly_one(id=id, code=code)
        key = Organization.key_of(str(value)) if name == "id" else str(value)
        return await Organization.load(info, key)

    @strawberry.field(description="A member by global id or by key; null if unknown.")
    async def member(
        self, info: Info[Context, None], id: strawberry.ID | None = None, key: str | None = None
    ) -> Member | None:
        name, value = exactly_one(id=id, key=key)
        return await Member.load(info, Member.key_of(str(value)) if name == "id" else str(value))

    @strawberry.field(description="An enterprise by its USCC; null if unknown.")
    async def enterprise(self, info: Info[Context, None], uscc: str) -> Enterprise | None:
        return await Enterprise.load(info, uscc.strip().upper())

    @strawberry.field(
        description="A member's whole trajectory, from every source, dated; one round trip."
    )
    async def trace(
        self,
        info: Info[Context, None],
        member_id: strawberry.ID | None = None,
        member_key: str | None = None,
    ) -> MemberTrace | None:
        name, value = exactly_one(member_id=member_id, member_key=member_key)
        key = Member.key_of(str(value)) if name == "member_id" else str(value)
        return await member_trace(info, key)

    @strawberry.field(description="An organisation at a glance: chain, children, posts, work.")
    async def trace_organization(
        self, info: Info[Context, None], id: strawberry.ID | None = None, code: str | None = None
    ) -> OrganizationTrace | None:
        name, value = exactly_one(id=id, code=code)
        key = Organization.key_of(str(value)) if name == "id" else str(value)
        return await organization_trace(info, key)

    @strawberry.field(
        description="Full-text search on names and titles; words match as prefixes, best first."
    )
    async def search(
        self,
        info: Info[Context, None],
        text: str,
        types: list[SearchType] | None = None,
        first: int = 10,
    ) -> list[SearchHit]:
        return await analysis.search(info, text, types, first)

    @strawberry.field(description="An organisation and the tree below it, at most 3 levels deep.")
    async def organization_tree(
        self,
        info: Info[Context, None],
        root_code: Annotated[
            str, strawberry.argument(name="root", description="code of the top organisation")
        ],
        depth: int = 1,
    ) -> TreeNode | None:
        return await analysis.organization_tree(info, root_code, depth)

    @strawberry.field(description="Nodes within 1 or 2 relationships of a node, nearest first.")
    async def neighborhood(
        self, info: Info[Context, None], id: strawberry.ID, hops: int = 1, first: int = 50
    ) -> list[Neighbor]:
        return await analysis.neighborhood(info, str(id), hops, first)

    @strawberry.field(
        description="The shortest chain of relationships, either way, between two nodes; "
        "null if none within maxHops (at most 6)."
    )
    async def path(
        self,
        info: Info[Context, None],
        from_id: strawberry.ID,
        to_id: strawberry.ID,
        max_hops: int = 4,
    ) -> GraphPath | None:
        return await analysis.path(info, str(from_id), str(to_id), max_hops)

    @strawberry.field(description="An activity by global id or by key; null if unknown.")
    async def activity(
        self, info: Info[Context, None], id: strawberry.ID | None = None, key: str | None = None
    ) -> Activity | None:
        name, value = exactly_one(id=id, key=key)
        return await Activity.load(
            info, Activity.key_of(str(value)) if name == "id" else str(value)
        )
