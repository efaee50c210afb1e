"""GraphQL types of activities, registrations for them, and volunteer service records."""

from __future__ import annotations

import datetime as dt
from typing import Self

import strawberry
from strawberry.types import Info

from graphdb.domain import activity as activity_cypher
from graphdb.domain import service as service_cypher
from schema.context import Context
from schema.node import GraphNode
from schema.organization import Organization
from schema.people import Person


@strawberry.federation.type(
    keys=["id"], description="An activity (活动) hosted by an organisation."
)
class Activity(GraphNode):
    by_ids = activity_cypher.BY_IDS
    title: str
    platform: str
    starts_on: dt.date | None
    region_code: str
    status: str = strawberry.field(description="open or finished")
    host_id: strawberry.Private[str]

    @strawberry.field
    async def host(self, info: Info[Context, None]) -> Organization | None:
        return await Organization.load(info, self.host_id)

    @classmethod
    async def resolve_reference(cls, info: Info[Context, None], id: strawberry.ID) -> Self | None:
        return await cls.load(info, cls.key_of(str(id)))


@strawberry.type(description="A person's registration for an activity (报名, 参加, 评议).")
class Registration(GraphNode):
    by_ids = activity_cypher.REGISTRATIONS_BY_IDS
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


@strawberry.type(description="Hours of volunteer service logged on a volunteer platform.")
class ServiceRecord(GraphNode):
    by_ids = service_cypher.BY_IDS
    platform: str
    project: str
    served_on: dt.date | None
    hours: float
    person_id: strawberry.Private[str]

    @strawberry.field
    async def person(self, info: Info[Context, None]) -> Person | None:
        return await Person.load(info, self.person_id)
