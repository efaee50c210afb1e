"""The top-level lists: members, organisations, enterprises, activities, with filters and order."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry
from strawberry.types import Info

from graphdb.domain import activity as activity_cypher
from graphdb.domain import enterprise as enterprise_cypher
from graphdb.domain import organization as org_cypher
from graphdb.domain import person as person_cypher
from schema.activity import Activity
from schema.connection import Connection, Direction, page
from schema.context import Context
from schema.enterprise import Enterprise
from schema.organization import Organization
from schema.people import Member


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


@strawberry.input(description="Filters on members; all given must hold.")
class MemberWhere:
    name_contains: str | None = None
    under: str | None = strawberry.field(
        default=None, description="code of an organisation: members anywhere below it"
    )
    branch: str | None = strawberry.field(default=None, description="code of their branch")
    status: str | None = None
    gender: str | None = None
    joined_from: dt.date | None = None
    joined_to: dt.date | None = None


@strawberry.enum
class MemberOrderField(Enum):
    KEY = "key"
    NAME = "name"
    JOINED_ON = "joined_on"


@strawberry.input
class MemberOrder:
    field: MemberOrderField = MemberOrderField.KEY
    direction: Direction = Direction.ASC


async def members(
    info: Info[Context, None],
    where: MemberWhere | None,
    order_by: MemberOrder | None,
    first: int | None,
    after: str | None,
) -> Connection[Member]:
    where = where or MemberWhere()
    order = order_by or MemberOrder()
    filters = {
        "branch": where.branch,
        "name": where.name_contains,
        "status": where.status,
        "gender": where.gender,
        "joined_from": _iso(where.joined_from),
        "joined_to": _iso(where.joined_to),
    }
    under = where.under or info.context.scope.root
    sort = (order.field.value, order.direction.value)
    if under is not None:  # anchored on the organisation, walking down
        return await page(
            info,
            statement=person_cypher.MEMBERS_UNDER[sort],
            count_statement=person_cypher.COUNT_MEMBERS_UNDER,
            filters={**filters, "under": under},
            first=first,
            after=after,
            node=Member.from_record,
        )
    return await page(
        info,
        statement=person_cypher.MEMBERS_SCAN[sort],
        count_statement=person_cypher.COUNT_MEMBERS_SCAN,
        filters=filters,
        first=first,
        after=after,
        node=Member.from_record,
    )


@strawberry.input(description="Filters on organisations; all given must hold.")
class OrganizationWhere:
    name_contains: str | None = None
    under: str | None = strawberry.field(default=None, description="code of an ancestor")
    region_code_prefix: str | None = strawberry.field(
        default=None, description="GB/T 2260 prefix: 44 a province, 4401 a city"
    )
    level: int | None = None
    kind: str | None = strawberry.field(default=None, description="committee or branch")
    field: str | None = None


@strawberry.enum
class OrganizationOrderField(Enum):
    CODE = "key"
    NAME = "name"
    LEVEL = "level"


@strawberry.input
class OrganizationOrder:
    field: OrganizationOrderField = OrganizationOrderField.CODE
    direction: Direction = Direction.ASC


async def organizations(
    info: Info[Context, None],
    where: OrganizationWhere | None,
    order_by: OrganizationOrder | None,
    first: int | None,
    after: str | None,
) -> Connection[Organization]:
    where = where or OrganizationWhere()
    order = order_by or OrganizationOrder()
    filters = {
        "under": where.under,
        "name": where.name_contains,
        "region": where.region_code_prefix,
        "level": where.level,
        "kind": where.kind,
        "field": where.field,
    }
    return await page(
        info,
        statement=org_cypher.LIST[(order.field.value, order.direction.value)],
        count_statement=org_cypher.COUNT_LIST,
        filters=filters,
        first=first,
        after=after,
        node=Organization.from_record,
    )


@strawberry.input(description="Filters on enterprises; all given must hold.")
class EnterpriseWhere:
    name_contains: str | None = None
    region_code_prefix: str | None = None
    status: str | None = strawberry.field(default=None, description="active, revoked, cancelled")
    industry: str | None = None
    cultivation_pool: bool | None = None


@strawberry.enum
class EnterpriseOrderField(Enum):
    USCC = "key"
    NAME = "name"
    REGISTERED_ON = "registered_on"
    EMPLOYEES = "employees"


@strawberry.input
class EnterpriseOrder:
    field: EnterpriseOrderField = EnterpriseOrderField.USCC
    direction: Direction = Direction.ASC


async def enterprises(
    info: Info[Context, None],
    where: EnterpriseWhere | None,
    order_by: EnterpriseOrder | None,
    first: int | None,
    after: str | None,
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
    statement = enterprise_cypher.LIST[(order.field.value, order.direction.value)]
    return await page(
        info,
        statement=statement,
        count_statement=enterprise_cypher.COUNT_LIST,
        filters=filters,
        first=first,
        after=after,
        node=Enterprise.from_record,
    )


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
    KEY = "key"
    TITLE = "title"
    STARTS_ON = "starts_on"


@strawberry.input
class ActivityOrder:
    field: ActivityOrderField = ActivityOrderField.KEY
    direction: Direction = Direction.ASC


async def activities(
    info: Info[Context, None],
    where: ActivityWhere | None,
    order_by: ActivityOrder | None,
    first: int | None,
    after: str | None,
) -> Connection[Activity]:
    where = where or ActivityWhere()
    order = order_by or ActivityOrder()
    filters = {
        "under": where.under,
        "title": where.title_contains,
        "region": where.region_code_prefix,
        "status": where.status,
        "starts_from": _iso(where.starts_from),
        "starts_to": _iso(where.starts_to),
    }
    statement = activity_cypher.LIST[(order.field.value, order.direction.value)]
    return await page(
        info,
        statement=statement,
        count_statement=activity_cypher.COUNT_LIST,
        filters=filters,
        first=first,
        after=after,
        node=Activity.from_record,
    )
