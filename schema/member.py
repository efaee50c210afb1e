"""GraphQL types and resolvers of league members. Personal fields come masked only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import strawberry
from strawberry.types import Info

from graphdb.domain import person as cypher
from schema.context import Context, Loader
from schema.organization import Organization, organizations


@strawberry.type(description="A league member (团员): a person aged 14 to 28 in one branch.")
class Member:
    id: strawberry.ID
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
        return await organizations(info.context).load(self.branch_id)


def from_record(record: dict[str, Any]) -> Member:
    return Member(
        id=strawberry.ID(record["id"]),
        name=record["name"],
        gender=record["gender"],
        birth_date=record.get("birth_date"),
        id_number_masked=record["id_number_masked"],
        phone_masked=record["phone_masked"],
        status=record["status"],
        joined_on=record.get("joined_on"),
        branch_id=record["branch_id"],
    )


def members(context: Context) -> Loader[str, Member | None]:
    async def batch(ids: Sequence[str]) -> list[Member | None]:
        rows = await context.store.read(
            cypher.MEMBERS_BY_IDS, {"ids": list(ids)}, scope=context.scope
        )
        found = {row["node"]["id"]: from_record(row["node"]) for row in rows}
        return [found.get(key) for key in ids]

    return context.loader("member", batch)
