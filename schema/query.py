"""The root query type."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from schema.context import Context
from schema.member import Member, members
from schema.organization import Organization, organizations


@strawberry.type
class Query:
    @strawberry.field(description="An organisation by its code; null if unknown or out of scope.")
    async def organization(
        self, info: Info[Context, None], id: strawberry.ID
    ) -> Organization | None:
        return await organizations(info.context).load(str(id))

    @strawberry.field(description="A member by id; null if unknown or out of scope.")
    async def member(self, info: Info[Context, None], id: strawberry.ID) -> Member | None:
        return await members(info.context).load(str(id))
