"""League members: the type, its list with filters and order, and the lookup by key."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Self

import strawberry
from strawberry.types import Info

from graphdb import Record, model
from graphdb.domain import member as cypher
from schema.audit import reveal
from schema.connection import Connection, Direction, Listed, iso_date, page
from schema.context import Context
from schema.node import GraphNode, exactly_one
from schema.organization import Organization

FULL_ID_NUMBER = (
    "The full ID number: needs pii:read and a purpose sent in X-Purpose; every read is "
    "audited. Null when the source sent none."
)
FULL_PHONE = (
    "The full mobile number: needs pii:read and a purpose sent in X-Purpose; every read is "
    "audited. Null when the source sent none."
)


@dataclass(frozen=True)
class Own:
    """A signed-in person's own member and branch records, read by ``viewer`` within their
    own branch. They answer ``viewer``'s fields only, never another path of the request:
    the request's loaders stay held to the token's subtrees."""

    member: Record | None
    branch: Record | None


@strawberry.federation.type(
    keys=["id"], description="A league member (团员): a person aged 14 to 28 in one branch."
)
class Member(GraphNode):
    label = model.MEMBER
    by_ids = cypher.BY_IDS
    name: str
    gender: str = strawberry.field(description="F or M")
    birth_date: dt.date | None
    id_number_masked: str = strawberry.field(description="ID number, masked: 440103********1234")
    phone_masked: str = strawberry.field(description="mobile phone, masked: 138****5678")
    status: str
    joined_on: dt.date | None
    branch_id: strawberry.Private[str]
    # Set under ``viewer`` only: the caller's own records, read within their own branch.
    own: strawberry.Private[Own | None] = None

    @strawberry.field(description=FULL_ID_NUMBER)
    async def id_number(self, info: Info[Context, None]) -> str | None:
        return await reveal(info, "Member", "idNumber", self.key)

    @strawberry.field(description=FULL_PHONE)
    async def phone(self, info: Info[Context, None]) -> str | None:
        return await reveal(info, "Member", "phone", self.key)

    @strawberry.field(description="The branch the member is enrolled in.")
    async def branch(self, info: Info[Context, None]) -> Organization | None:
        if self.own is not None:
            return Organization.from_record(self.own.branch) if self.own.branch else None
        return await Organization.load(info, self.branch_id)

    @classmethod
    async def resolve_reference(cls, info: Info[Context, None], id: strawberry.ID) -> Self | None:
        return await cls.load(info, cls.key_of(str(id)))


async def member(
    info: Info[Context, None], id: strawberry.ID | None = None, key: str | None = None
) -> Member | None:
    name, value = exactly_one(id=id, key=key)
    return await Member.load(info, Member.key_of(str(value)) if name == "id" else str(value))


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


@strawberry.enum(
    description="TREE: by branch in the organisation tree, then key; pages cost the same "
    "at any depth. The others sort every member under the anchor: allowed up to "
    "HUB_GRAPHQL_MAX_SCAN members (SCAN_TOO_LARGE above it)."
)
class MemberOrderField(Enum):
    TREE = "tree"
    KEY = "key"
    NAME = "name"
    JOINED_ON = "joined_on"


@strawberry.input
class MemberOrder:
    field: MemberOrderField = MemberOrderField.TREE
    direction: Direction = Direction.ASC


async def members(
    info: Info[Context, None],
    where: MemberWhere | None = None,
    order_by: MemberOrder | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Connection[Member]:
    where = where or MemberWhere()
    order = order_by or MemberOrder()
    filters = {
        "branch": where.branch,
        "under": where.under if where.branch else None,
        "name": where.name_contains,
        "status": where.status,
        "gender": where.gender,
        "joined_from": iso_date(where.joined_from),
        "joined_to": iso_date(where.joined_to),
    }
    # Anchored on the branch or organisation asked for, else on the caller's subtrees.
    anchor = where.branch or where.under
    return await page(
        info,
        Listed.of(cypher.LISTING),
        anchors=None if anchor is None else [anchor],
        filters=filters,
        # A branch's own members are counted: the code may name a committee, whose kept
        # count holds its whole subtree.
        refined=any(value is not None for value in filters.values()),
        order=(order.field.value, order.direction.value),
        first=first,
        after=after,
        node=Member.from_record,
    )
