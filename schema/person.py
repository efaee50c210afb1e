"""People: anyone a youth platform knows. Personal fields come masked only."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from graphdb import model
from graphdb.domain import person as cypher
from schema.context import Context
from schema.member import Member
from schema.node import GraphNode


@strawberry.type(description="Anyone a youth platform knows: members, volunteers, cadres.")
class Person(GraphNode):
    label = model.PERSON
    by_ids = cypher.BY_IDS
    name: str
    gender: str = strawberry.field(description="F or M")
    birth_date: dt.date | None
    id_number_masked: str = strawberry.field(description="ID number, masked: 440103********1234")
    phone_masked: str = strawberry.field(description="mobile phone, masked: 138****5678")
    is_member: strawberry.Private[bool]

    @strawberry.field(description="The person as a league member; null if not a member.")
    async def member(self, info: Info[Context, None]) -> Member | None:
        return await Member.load(info, self.key) if self.is_member else None
