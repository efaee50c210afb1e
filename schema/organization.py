"""GraphQL types and resolvers of the organisation tree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import strawberry
from strawberry.types import Info

from graphdb.domain import organization as cypher
from schema.context import Context, Loader


@strawberry.type(description="A league organisation: a committee (levels 1-4) or a branch (5).")
class Organization:
    id: strawberry.ID
    name: str
    level: int = strawberry.field(
        description="1 province, 2 city, 3 county, 4 grassroots, 5 branch"
    )
    kind: str = strawberry.field(description="committee or branch")
    field: str = strawberry.field(description="领域: school, community, rural, enterprise, ...")
    region_code: str = strawberry.field(description="GB/T 2260 administrative region code")
    founded_on: dt.date | None
    lineage: strawberry.Private[list[str]]

    @strawberry.field(description="The organisation this one belongs to; null for the root.")
    async def parent(self, info: Info[Context, None]) -> Organization | None:
        if len(self.lineage) < 2:
            return None
        return await organizations(info.context).load(self.lineage[-2])

    @strawberry.field(description="Every organisation above this one, parent first, root last.")
    async def parent_chain(self, info: Info[Context, None]) -> list[Organization]:
        chain = await organizations(info.context).load_many(self.lineage[-2::-1])
        return [found for found in chain if found is not None]

    @strawberry.field(description="The organisations directly under this one, by id.")
    async def children(self, info: Info[Context, None]) -> list[Organization]:
        return await children(info.context).load(self.id)


def from_record(record: dict[str, Any]) -> Organization:
    return Organization(
        id=strawberry.ID(record["id"]),
        name=record["name"],
        level=record["level"],
        kind=record["kind"],
        field=record["field"],
        region_code=record["region_code"],
        founded_on=record.get("founded_on"),
        lineage=record["lineage"],
    )


def organizations(context: Context) -> Loader[str, Organization | None]:
    async def batch(ids: Sequence[str]) -> list[Organization | None]:
        rows = await context.store.read(cypher.BY_IDS, {"ids": list(ids)}, scope=context.scope)
        found = {row["node"]["id"]: from_record(row["node"]) for row in rows}
        return [found.get(key) for key in ids]

    return context.loader("organization", batch)


def children(context: Context) -> Loader[str, list[Organization]]:
    async def batch(ids: Sequence[str]) -> list[list[Organization]]:
        rows = await context.store.read(cypher.CHILDREN_OF, {"ids": list(ids)}, scope=context.scope)
        found = {
            row["parent_id"]: [from_record(child) for child in row["children"]] for row in rows
        }
        return [found.get(key, []) for key in ids]

    return context.loader("organization.children", batch)
