"""Organisations of the league tree: the type, its list and lookups, and the tree below one."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Self, cast

import strawberry
from strawberry.types import Info

from graphdb import Record, model
from graphdb.domain import organization as cypher
from schema.connection import Connection, Direction, Listed, page
from schema.context import Context
from schema.errors import HubGraphQLError
from schema.node import GraphNode, exactly_one, node_type

if TYPE_CHECKING:
    from schema.post import CadrePost

MAX_TREE_DEPTH = 3


@strawberry.federation.type(
    keys=["id"], description="A league organisation: a committee (levels 1-4) or a branch (5)."
)
class Organization(GraphNode):
    label = model.ORGANIZATION
    by_ids = cypher.BY_IDS
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
        loader = info.context.related(cypher.CHILDREN_OF, "parent_id", "children")
        return [Organization.from_record(child) for child in await loader.load(self.key)]

    @strawberry.field(description="The cadre posts of this organisation, vacant ones included.")
    async def posts(
        self, info: Info[Context, None]
    ) -> list[Annotated[CadrePost, strawberry.lazy("schema.post")]]:
        post_type = cast("type[CadrePost]", node_type(model.POST))  # schema.post imports this
        return await post_type.of_organization(info, self.key)

    @classmethod
    async def resolve_reference(cls, info: Info[Context, None], id: strawberry.ID) -> Self | None:
        return await cls.load(info, cls.key_of(str(id)))


async def organization(
    info: Info[Context, None], id: strawberry.ID | None = None, code: str | None = None
) -> Organization | None:
    name, value = exactly_one(id=id, code=code)
    key = Organization.key_of(str(value)) if name == "id" else str(value)
    return await Organization.load(info, key)


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
    TREE = "tree"
    CODE = "key"
    NAME = "name"
    LEVEL = "level"


@strawberry.input
class OrganizationOrder:
    field: OrganizationOrderField = OrganizationOrderField.TREE
    direction: Direction = Direction.ASC


async def organizations(
    info: Info[Context, None],
    where: OrganizationWhere | None = None,
    order_by: OrganizationOrder | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Connection[Organization]:
    where = where or OrganizationWhere()
    order = order_by or OrganizationOrder()
    filters = {
        "name": where.name_contains,
        "region": where.region_code_prefix,
        "level": where.level,
        "kind": where.kind,
        "field": where.field,
    }
    return await page(
        info,
        _LISTED,
        anchors=None if where.under is None else [where.under],
        filters=filters,
        refined=any(value is not None for value in filters.values()),
        order=(order.field.value, order.direction.value),
        first=first,
        after=after,
        node=Organization.from_record,
    )


_LISTED = Listed(
    cypher.LIST_WINDOW, cypher.LIST_SORTED, cypher.SORTS, cypher.COUNT_UNDER, kept=None
)


@strawberry.type(description="An organisation with the tree below it, to the depth asked.")
class TreeNode:
    organization: Organization
    children: list[TreeNode]


async def organization_tree(
    info: Info[Context, None],
    root_code: Annotated[  # ``root`` would be strawberry's parent value
        str, strawberry.argument(name="root", description="code of the top organisation")
    ],
    depth: int = 1,
) -> TreeNode | None:
    if not 0 <= depth <= MAX_TREE_DEPTH:
        raise HubGraphQLError(
            f"depth must be between 0 and {MAX_TREE_DEPTH}; "
            "ask again from a lower organisation for more"
        )
    rows = await info.context.store.read(
        cypher.TREE, {"root": root_code, "depth": depth}, scope=info.context.scope
    )
    nodes: dict[str, TreeNode] = {}
    top: TreeNode | None = None
    for row in rows:  # parents come before their children
        found = Organization.from_record(row["node"])
        node = nodes[found.key] = TreeNode(organization=found, children=[])
        parent = nodes.get(found.lineage[-2]) if len(found.lineage) > 1 else None
        if found.key == root_code:
            top = node
        elif parent is not None:
            parent.children.append(node)
    return top
