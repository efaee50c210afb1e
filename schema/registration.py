"""Registrations of people for activities (报名, 参加, 评议)."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from graphdb import model
from graphdb.domain import registration as cypher
from schema.activity import Activity
from schema.context import Context
from schema.node import GraphNode
from schema.person import Person


@strawberry.type(description="A person's registration for an activity (报名, 参加, 评议).")
class Registration(GraphNode):
    label = model.REGISTRATION
    by_ids = cypher.BY_IDS
    registered_on: dt.date | None
    attended: bool
    rating: int | None = strawberry.field(description="1 to 5, when the person rated it")
    person_id: strawberry.Private[str]
    activity_id: strawberry.Private[str]

    @strawberry.field
    async def person(self, info: Info[Context, None]) -> Person | None:
        return await Person.load(info, self.person_id)

    @strawberry.field
    async def activity(self, info: Info[Context, None]) -> Activity | None:
        return await Activity.load(info, self.activity_id)
