"""GraphQL types of the organisation tree: organisations and their cadre posts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry.types import Info

from graphdb import Record
from graphdb.domain import organization as org_cypher
from graphdb.domain import post as post_cypher
from schema.context import Context
from schema.node import GraphNode

if TYPE_CHECKING:
    from schema.people import Person


@strawberry.federation.type(
    keys=["id"], description="A league organisation: a committee (levels 1-4) or a branch (5)."
)
class Organization(GraphNode):
    by_ids = org_cypher.BY_IDS
    code: str = strawberry.field(description="The organisation code (组织代码).")
    name: str
    level: int = strawberry.field(
        description="1 province, 2 city, 3 county, 4 grassroots, 5 branch"
    )
    kind: str = strawberry.field(description="committee or branch")
    field: str = strawberry.field(description="领域: school, community, rural, enterprise, ...")
    region_code: str = strawberry.field(description="GB/T 2260 administrative region code")
    founded_on: dt.date | None
    lineage: strawberry.Private[list[str]]

    @classmethod
    def from_record(cls, record: Record) -> Self:
        return super().from_record({**record, "code": record["id"]})

    @strawberry.field(description="The organisation this one belongs to; null for the root.")
    async def parent(self, info: Info[Context, None]) -> Organization | None:
        if len(self.lineage) < 2:
            return None
        return await Organization.load(info, self.lineage[-2])

    @strawberry.field(description="Every organisation above this one, parent first, root last.")
    async def parent_chain(self, info: Info[Context, None]) -> list[Organization]:
        chain = await Organization.resolve_nodes(info=info, node_ids=self.lineage[-2::-1])
        return [found for found in chain if found is not None]

    @strawberry.field(description="The organisations directly under this one, by code.")
    async def children(self, info: Info[Context, None]) -> list[Organization]:
        async def batch(ids: Sequence[str]) -> list[list[Organization]]:
            rows = await info.context.store.read(
                org_cypher.CHILDREN_OF, {"ids": list(ids)}, scope=info.context.scope
            )
            found = {row["parent_id"]: row["children"] for row in rows}
            return [[Organization.from_record(c) for c in found.get(key, [])] for key in ids]

        return await info.context.loader(org_cypher.CHILDREN_OF.name, batch).load(self.key)

    @strawberry.field(description="The cadre posts of this organisation, vacant ones included.")
    async def posts(self, info: Info[Context, None]) -> list[CadrePost]:
        return await posts_of(info, self.key)

    @classmethod
    async def resolve_reference(cls, info: Info[Context, None], id: strawberry.ID) -> Self | None:
        return await cls.load(info, cls.key_of(str(id)))


@strawberry.type(
    description="A cadre post (团干部职务) of an organisation; vacant when no one holds it."
)
class CadrePost(GraphNode):
    by_ids = post_cypher.BY_IDS
    title: str = strawberry.field(description="secretary, deputy_secretary, committee_member, ...")
    mode: str = strawberry.field(description="full_time, seconded or part_time (专职/挂职/兼职)")
    vacant_since: dt.date | None = strawberry.field(description="null while the post is held")
    since: dt.date | None = strawberry.field(description="when the holder took the post")
    organization_id: strawberry.Private[str]
    holder_id: strawberry.Private[str | None]

    @strawberry.field
    async def organization(self, info: Info[Context, None]) -> Organization | None:
        return await Organization.load(info, self.organization_id)

    @strawberry.field(description="The person holding the post; null when vacant.")
    async def holder(
        self, info: Info[Context, None]
    ) -> Annotated[Person, strawberry.lazy("schema.people")] | None:
        from schema.people import Person

        return await Person.load(info, self.holder_id) if self.holder_id else None


async def posts_of(info: Info[Context, None], organization_key: str) -> list[CadrePost]:
    """The posts of an organisation, batched with every other organisation's of the request."""

    async def batch(ids: Sequence[str]) -> list[list[CadrePost]]:
        rows = await info.context.store.read(
            post_cypher.OF_ORGANIZATIONS, {"ids": list(ids)}, scope=info.context.scope
        )
        found = {row["organization_id"]: row["posts"] for row in rows}
        return [[CadrePost.from_record(p) for p in found.get(key, [])] for key in ids]

    return await info.context.loader(post_cypher.OF_ORGANIZATIONS.name, batch).load(
        organization_key
    )
