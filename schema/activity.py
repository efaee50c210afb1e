"""Activities: the type, its list with filters and order, and the lookup by key."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Self

import strawberry
from strawberry.types import Info

from graphdb import model
from graphdb.domain import activity as cypher
from schema.connection import Connection, Direction, Listed, iso_date, page
from schema.context import Context
from schema.node import GraphNode, exactly_one
from schema.organization import Organization


@strawberry.federation.type(
    keys=["id"], description="An activity (活动) hosted by an organisation."
)
class Activity(GraphNode):
    label = model.ACTIVITY
    by_ids = cypher.BY_IDS
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


async def activity(
    info: Info[Context, None], id: strawberry.ID | None = None, key: str | None = None
) -> Activity | None:
    name, value = exactly_one(id=id, key=key)
    return await Activity.load(info, Activity.key_of(str(value)) if name == "id" else str(value))


@strawberry.input(description="Filters on activities; all given must hold.")
class ActivityWhere:
    title_contains: str | None = None
    under: str | None = strawberry.field(
        default=None, description="code of an ancestor of the host"
    )
    region_code_prefix: str | None = None
    status: str | None = strawberry.field(default=None, description="open or finished")
    starts_from: dt.date | None = None
    starts_to: dt.date | None = None


@strawberry.enum
class ActivityOrderField(Enum):
    TREE = "tree"
    KEY = "key"
    TITLE = "title"
    STARTS_ON = "starts_on"


@strawberry.input
class ActivityOrder:
    field: ActivityOrderField = ActivityOrderField.TREE
    direction: Direction = Direction.ASC


async def activities(
    info: Info[Context, None],
    where: ActivityWhere | None = None,
    order_by: ActivityOrder | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Connection[Activity]:
    where = where or ActivityWhere()
    order = order_by or ActivityOrder()
    filters = {
        "title": where.title_contains,
        "region": where.region_code_prefix,
        "status": where.status,
        "starts_from": iso_date(where.starts_from),
        "starts_to": iso_date(where.starts_to),
    }
    return await page(
        info,
        Listed.of(cypher.LISTING),
        anchors=None if where.under is None else [where.under],
        filters=filters,
        refined=any(value is not None for value in filters.values()),
        order=(order.field.value, order.direction.value),
        first=first,
        after=after,
        node=Activity.from_record,
    )
