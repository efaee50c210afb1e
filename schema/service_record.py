"""Volunteer service records (志愿服务记录) from the volunteer platforms."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from graphdb import model
from graphdb.domain import service_record as cypher
from schema.context import Context
from schema.node import GraphNode
from schema.person import Person


@strawberry.type(description="Hours of volunteer service logged on a volunteer platform.")
class ServiceRecord(GraphNode):
    label = model.SERVICE_RECORD
    by_ids = cypher.BY_IDS
    platform: str
    project: str
    served_on: dt.date | None
    hours: float
    person_id: strawberry.Private[str]

    @strawberry.field
    async def person(self, info: Info[Context, None]) -> Person | None:
        return await Person.load(info, self.person_id)
