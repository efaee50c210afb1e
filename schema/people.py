"""GraphQL types of people and league members. Personal fields come masked only."""

from __future__ import annotations

import datetime as dt
from typing import Self

import strawberry
from strawberry.types import Info

from graphdb.domain import person as cypher
from schema.context import Context
from schema.node import GraphNode
from schema.organization import Organization


@strawberry.type(description="Anyone a youth platform knows: members, volunteers, cadres.")
class Person(GraphNode):
    by_ids = cypher.PEOPLE_BY_IDS
    name: str
    gender: str = strawberry.field(description="F or M")
    birth_date: dt.date | None
    id_number_masked: str = strawberry.field(description="ID number, masked: 440103********1234")
    phone_masked: str = strawberry.field(description="mobile phone, masked: 138****5678")
    is_member: strawberry.Private[bool]

    @strawberry.field(description="The person as a league member; null if not a member.")
    async def member(self, info: Info[Context, None]) -> Member | None:
        return await Member.load(info, self.key) if self.is_member else None


@strawberry.federation.type(
    keys=["id"], description="A league member (团员): a person aged 14 to 28 in one branch."
)
class Member(GraphNode):
    by_ids = cypher.MEMBERS_BY_IDS
    name: str
    gender: str = strawberry.field(description="F or M")
    birth_date: dt.date | None
    id_number_masked: str = strawberry.field(description="ID number, masked: 440103********1234")
    phone_masked: str = strawberry.field(description="mobile phone, masked: 138****5678")
    status: str
    joined_on: dt.date | None
    branch_id: strawberry.Private[str]

    @strawberry.field(description="The branch the member is enrolled in.")
    async def branch(self, info: Info[Context, None]) -> Organization | None:
        return await Organization.load(info, self.branch_id)

    @classmethod
    async def resolve_reference(cls, info: Info[Context, None], id: strawberry.ID) -> Self | None:
        return await cls.load(info, cls.key_of(str(id)))
