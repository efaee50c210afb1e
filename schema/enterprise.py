"""GraphQL types of enterprises (market regulator) and federation organisations in them."""

from __future__ import annotations

import datetime as dt
from typing import Self

import strawberry
from strawberry.types import Info

from graphdb.domain import enterprise as enterprise_cypher
from graphdb.domain import federation as federation_cypher
from schema.context import Context
from schema.node import GraphNode
from schema.organization import Organization


@strawberry.federation.type(keys=["uscc"], description="An enterprise, keyed by its USCC.")
class Enterprise(GraphNode):
    by_ids = enterprise_cypher.BY_USCCS
    uscc: str = strawberry.field(description="Unified Social Credit Code (统一社会信用代码)")
    name: str
    industry: str
    region_code: str
    registered_on: dt.date | None
    status: str = strawberry.field(description="active, revoked or cancelled")
    employees: int
    young_employees: int = strawberry.field(description="employees aged 35 or under")
    cultivation_pool: bool = strawberry.field(description="in the cultivation pool (团建培育库)")
    area_id: strawberry.Private[str]

    @strawberry.field(description="The township or street committee responsible for it.")
    async def area(self, info: Info[Context, None]) -> Organization | None:
        return await Organization.load(info, self.area_id)

    @classmethod
    async def resolve_reference(cls, info: Info[Context, None], uscc: str) -> Self | None:
        return await cls.load(info, uscc)


@strawberry.type(description="A trade union or women's federation organised in an enterprise.")
class FederationOrg(GraphNode):
    by_ids = federation_cypher.BY_IDS
    kind: str = strawberry.field(description="trade_union or womens_federation")
    name: str
    founded_on: dt.date | None
    uscc: strawberry.Private[str]

    @strawberry.field
    async def enterprise(self, info: Info[Context, None]) -> Enterprise | None:
        return await Enterprise.load(info, self.uscc)
