"""Analysts' queries: full-text search and the organisation tree."""

from __future__ import annotations

from enum import Enum

import strawberry
from strawberry.types import Info

from graphdb.domain import organization as org_cypher
from schema.activity import Activity
from schema.context import Context
from schema.enterprise import Enterprise
from schema.errors import HubGraphQLError
from schema.node import GraphNode
from schema.organization import Organization
from schema.people import Person

MAX_TREE_DEPTH = 3


@strawberry.enum(description="What search can find.")
class SearchType(Enum):
    ORGANIZATION = "Organization"
    PERSON = "Person"
    ENTERPRISE = "Enterprise"
    ACTIVITY = "Activity"


_TYPES: dict[SearchType, type[GraphNode]] = {
    SearchType.ORGANIZATION: Organization,
    SearchType.PERSON: Person,
    SearchType.ENTERPRISE: Enterprise,
    SearchType.ACTIVITY: Activity,
}


@strawberry.type(description="One search result.")
class SearchHit:
    score: float
    node: GraphNode


async def search(
    info: Info[Context, None], text: str, types: list[SearchType] | None, first: int
) -> list[SearchHit]:
    limit = info.context.limits.max_page
    if not 0 < first <= limit:
        raise HubGraphQLError(f"first must be between 1 and {limit}")
    hits: list[tuple[float, SearchType, str]] = []
    for kind in types or list(SearchType):
        rows = await info.context.store.search(
            kind.value, text, limit=first, scope=info.context.scope
        )
        hits += [(float(row["score"]), kind, str(row["id"])) for row in rows]
    hits.sort(key=lambda hit: -hit[0])
    hits = hits[:first]
    found: list[SearchHit] = []
    for kind in {kind for _, kind, _ in hits}:
        keys = [key for _, k, key in hits if k == kind]
        nodes = await _TYPES[kind].resolve_nodes(info=info, node_ids=keys)
        by_key = {node.key: node for node in nodes if node is not None}
        found += [
            SearchHit(score=score, node=by_key[key])
            for score, k, key in hits
            if k == kind and key in by_key
        ]
    found.sort(key=lambda hit: -hit.score)
    return found


@strawberry.type(description="An organisation with the tree below it, to the depth asked.")
class TreeNode:
    organization: Organization
    children: list[TreeNode]


async def organization_tree(info: Info[Context, None], root: str, depth: int) -> TreeNode | None:
    if not 0 <= depth <= MAX_TREE_DEPTH:
        raise HubGraphQLError(
            f"depth must be between 0 and {MAX_TREE_DEPTH}; "
            "ask again from a lower organisation for more"
        )
    rows = await info.context.store.read(
        org_cypher.TREE, {"root": root, "depth": depth}, scope=info.context.scope
    )
    nodes: dict[str, TreeNode] = {}
    top: TreeNode | None = None
    for row in rows:  # parents come before their children
        organization = Organization.from_record(row["node"])
        node = nodes[organization.key] = TreeNode(organization=organization, children=[])
        parent = nodes.get(organization.lineage[-2]) if len(organization.lineage) > 1 else None
        if organization.key == root:
            top = node
        elif parent is not None:
            parent.children.append(node)
    return top
