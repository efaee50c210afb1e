"""Enterprises from the market regulator: the type, its list and the lookup by USCC."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Self

import strawberry
from strawberry.types import Info

from graphdb import model
from graphdb.domain import enterprise as cypher
from schema.connection import Connection, Direction, Listed, page
from schema.context import Context
from schema.node import GraphNode
from schema.organization import Organization


@strawberry.federation.type(keys=["uscc"], description="An enterprise, keyed by its USCC.")
class Enterprise(GraphNode):
    label = model.ENTERPRISE
    by_ids = cypher.BY_USCCS
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


async def enterprise(info: Info[Context, None], uscc: str) -> Enterprise | None:
    return await Enterprise.load(info, uscc.strip().upper())


@strawberry.input(description="Filters on enterprises; all given must hold.")
class EnterpriseWhere:
    name_contains: str | None = None
    under: str | None = strawberry.field(
        default=None, description="code of an organisation: enterprises in areas below it"
    )
    region_code_prefix: str | None = None
    status: str | None = strawberry.field(default=None, description="active, revoked, cancelled")
    industry: str | None = None
    cultivation_pool: bool | None = None


@strawberry.enum
class EnterpriseOrderField(Enum):
    TREE = "tree"
    USCC = "key"
    NAME = "name"
    REGISTERED_ON = "registered_on"
    EMPLOYEES = "employees"


@strawberry.input
class EnterpriseOrder:
    field: EnterpriseOrderField = EnterpriseOrderField.TREE
    direction: Direction = Direction.ASC


async def enterprises(
    info: Info[Context, None],
    where: EnterpriseWhere | None = None,
    order_by: EnterpriseOrder | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Connection[Enterprise]:
    where = where or EnterpriseWhere()
    order = order_by or EnterpriseOrder()
    filters = {
        "name": where.name_contains,
        "region": where.region_code_prefix,
        "status": where.status,
        "industry": where.industry,
        "pool": where.cultivation_pool,
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
        node=Enterprise.from_record,
    )
