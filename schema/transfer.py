"""Membership transfers (组织关系转接) from one organisation to another."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from graphdb import model
from graphdb.domain import transfer as cypher
from schema.context import Context
from schema.member import Member
from schema.node import GraphNode
from schema.organization import Organization


def instant(epoch_ms: int | None) -> dt.datetime | None:
    """An instant stored as epoch milliseconds, as a UTC datetime."""
    return None if epoch_ms is None else dt.datetime.fromtimestamp(epoch_ms / 1000, dt.UTC)


@strawberry.type(
    description="A membership transfer (组织关系转接) from one organisation to another."
)
class Transfer(GraphNode):
    label = model.TRANSFER
    by_ids = cypher.BY_IDS
    status: str = strawberry.field(description="pending, accepted or rejected")
    requested_at: strawberry.Private[int]
    responded_at: strawberry.Private[int | None]
    member_id: strawberry.Private[str]
    from_id: strawberry.Private[str | None]  # None: outside what the caller may see
    to_id: strawberry.Private[str | None]

    @strawberry.field(name="requestedAt")
    def requested(self) -> dt.datetime:
        found = instant(self.requested_at)
        assert found is not None
        return found

    @strawberry.field(name="respondedAt", description="null while pending")
    def responded(self) -> dt.datetime | None:
        return instant(self.responded_at)

    @strawberry.field
    async def member(self, info: Info[Context, None]) -> Member | None:
        return await Member.load(info, self.member_id)

    @strawberry.field(name="from")
    async def sending_organization(self, info: Info[Context, None]) -> Organization | None:
        return await Organization.load(info, self.from_id) if self.from_id else None

    @strawberry.field(name="to")
    async def receiving_organization(self, info: Info[Context, None]) -> Organization | None:
        return await Organization.load(info, self.to_id) if self.to_id else None
