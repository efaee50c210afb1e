"""Cadre posts (团干部职务) of organisations, and who holds them."""

from __future__ import annotations

import datetime as dt
from typing import Self

import strawberry
from strawberry.types import Info

from graphdb import model
from graphdb.domain import post as cypher
from schema.context import Context
from schema.node import GraphNode
from schema.organization import Organization
from schema.person import Person


@strawberry.type(
    description="A cadre post (团干部职务) of an organisation; vacant when no one holds it."
)
class CadrePost(GraphNode):
    label = model.POST
    by_ids = cypher.BY_IDS
    title: str = strawberry.field(description="secretary, deputy_secretary, committee_member, ...")
    mode: str = strawberry.field(description="full_time, seconded or part_time (专职/挂职/兼职)")
    vacant_since: dt.date | None = strawberry.field(description="null while the post is held")
    since: dt.date | None = strawberry.field(description="when the holder took the post")
    organization_id: strawberry.Private[str]
    holder_id: strawberry.Private[str | None]

    @strawberry.field
    async def organization(self, info: Info[Context, None]) -> Organization | None:
        return await Organization.load(info, self.organization_id)

    @strawberry.field(
        description="The person holding the post; null when vacant, or when the holder is "
        "not a member of a branch the caller may see (cadres past membership age belong "
        "to no branch: only callers who see the whole tree see them)."
    )
    async def holder(self, info: Info[Context, None]) -> Person | None:
        return await Person.load(info, self.holder_id) if self.holder_id else None

    @classmethod
    async def of_organization(cls, info: Info[Context, None], key: str) -> list[Self]:
        """The posts of an organisation, batched with every other organisation's of the request."""
        loader = info.context.related(cypher.OF_ORGANIZATIONS, "organization_id", "posts")
        return [cls.from_record(record) for record in await loader.load(key)]
