"""Dues payments (团费), one per member and month."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from graphdb import model
from graphdb.domain import dues_payment as cypher
from schema.context import Context
from schema.member import Member
from schema.node import GraphNode


@strawberry.type(description="One month's dues (团费) paid by a member.")
class DuesPayment(GraphNode):
    label = model.DUES_PAYMENT
    by_ids = cypher.BY_IDS
    month: str = strawberry.field(description="YYYY-MM")
    amount_fen: int = strawberry.field(description="amount in fen (1/100 yuan)")
    paid_on: dt.date | None
    member_id: strawberry.Private[str]

    @strawberry.field
    async def member(self, info: Info[Context, None]) -> Member | None:
        return await Member.load(info, self.member_id)
