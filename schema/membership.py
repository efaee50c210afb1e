"""GraphQL types of what happens to a membership: transfers and dues."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from graphdb.domain import dues as dues_cypher
from graphdb.domain import transfer as transfer_cypher
from schema.context import Context
from schema.node import GraphNode
from schema.organization import Organization
from schema.people import Member


def _instant(epoch_ms: int | None) -> dt.datetime | None:
    return None if epoch_ms is None else dt.datetime.fromtimestamp(epoch_ms / 1000, dt.UTC)


@strawberry.type(
    description="A membership transfer (组织关系转接) from one organisation to another."
)
class Transfer(GraphNode):
    by_ids = transfer_cypher.BY_IDS
    status: str = strawberry.field(description="pending, accepted or rejected")
    requested_at: strawberry.Private[int]
    responded_at: strawberry.Private[int | None]
    member_id: strawberry.Private[str]
    from_id: strawberry.Private[str]
    to_id: strawberry.Private[str]

    @strawberry.field(name="requestedAt")
    def requested(self) -> dt.datetime:
        found = _instant(self.requested_at)
        assert found is not None
        return found

    @strawberry.field(name="respondedAt", description="null while pending")
    def responded(self) -> dt.datetime | None:
        return _instant(self.responded_at)

    @strawberry.field
    async def member(self, info: Info[Context, None]) -> Member | None:
        return await Member.load(info, self.member_id)

    @strawberry.field(name="from")
    async def source(self, info: Info[Context, None]) -> Organization | None:
        return await Organization.load(info, self.from_id)

    @strawberry.field(name="to")
    async def destination(self, info: Info[Context, None]) -> Organization | None:
        return await Organization.load(info, self.to_id)


@strawberry.type(description="One month's dues (团费) paid by a member.")
class DuesPayment(GraphNode):
    by_ids = dues_cypher.BY_IDS
    month: str = strawberry.field(description="YYYY-MM")
    amount_fen: int = strawberry.field(description="amount in fen (1/100 yuan)")
    paid_on: dt.date | None
    member_id: strawberry.Private[str]

    @strawberry.field
    async def member(self, info: Info[Context, None]) -> Member | None:
        return await Member.load(info, self.member_id)
