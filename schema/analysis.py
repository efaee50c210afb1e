"""Analysts' queries: full-text search and the organisation tree."""

from __future__ import annotations

from enum import Enum

import strawberry
from strawberry.types import Info

from graphdb.domain import graph as graph_cypher
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


MAX_HOPS = 6
MAX_NEIGHBORHOOD_HOPS = 2
FRONTIER_CAP = 20_000  # neighbours read in one step of a path search


def _node_types() -> dict[str, type[GraphNode]]:
    from schema.catalog import NODE_TYPES

    return {kind.__name__: kind for kind in NODE_TYPES}


_LABEL_OF = {"CadrePost": "Post"}


def _label(type_name: str) -> str:
    return _LABEL_OF.get(type_name, type_name)


def _type_of(labels: list[str]) -> str:
    if "Member" in labels:
        return "Member"
    label = labels[0]
    return next((name for name, known in _LABEL_OF.items() if known == label), label)


def _decode(global_id: str) -> tuple[type[GraphNode], str]:
    from strawberry.relay import GlobalID, GlobalIDValueError

    from schema.errors import BadGlobalId

    try:
        decoded = GlobalID.from_id(global_id)
    except GlobalIDValueError:
        raise BadGlobalId(f"{global_id!r} is not a global id") from None
    kind = _node_types().get(decoded.type_name)
    if kind is None:
        raise BadGlobalId(f"{global_id!r} names no type of this graph")
    return kind, decoded.node_id


async def _load(
    info: Info[Context, None], refs: list[tuple[str, str]]
) -> dict[tuple[str, str], GraphNode]:
    """Nodes by (type, key), one round trip per type, each through its scoped loader."""
    types = _node_types()
    found: dict[tuple[str, str], GraphNode] = {}
    for type_name in dict.fromkeys(t for t, _ in refs):
        keys = [key for t, key in refs if t == type_name]
        nodes = await types[type_name].resolve_nodes(info=info, node_ids=keys)
        found |= {
            (type_name, key): node
            for key, node in zip(keys, nodes, strict=True)
            if node is not None
        }
    return found


@strawberry.type(description="A node near another, and how many relationships away.")
class Neighbor:
    node: GraphNode
    distance: int


async def neighborhood(
    info: Info[Context, None], global_id: str, hops: int, first: int
) -> list[Neighbor]:
    if not 1 <= hops <= MAX_NEIGHBORHOOD_HOPS:
        raise HubGraphQLError(f"hops must be 1 or {MAX_NEIGHBORHOOD_HOPS}")
    limit = info.context.limits.max_page
    if not 0 < first <= limit:
        raise HubGraphQLError(f"first must be between 1 and {limit}")
    kind, key = _decode(global_id)
    if await kind.load(info, key) is None:
        return []
    rows = await info.context.store.read(
        graph_cypher.NEIGHBORHOOD[_label(kind.__name__)],
        {"key": key, "hops": hops, "limit": first},
    )
    refs = [(_type_of(row["labels"]), str(row["key"])) for row in rows]
    nodes = await _load(info, refs)
    return [
        Neighbor(node=nodes[ref], distance=row["distance"])
        for ref, row in zip(refs, rows, strict=True)
        if ref in nodes
    ]


@strawberry.type(description="The shortest chain of relationships between two nodes.")
class GraphPath:
    length: int
    nodes: list[GraphNode]
    relationships: list[str] = strawberry.field(description="relationship types, in order")


async def path(
    info: Info[Context, None], from_id: str, to_id: str, max_hops: int
) -> GraphPath | None:
    """Breadth-first from both ends, one round trip per step; null if none within max_hops."""
    if not 1 <= max_hops <= MAX_HOPS:
        raise HubGraphQLError(f"maxHops must be between 1 and {MAX_HOPS}")
    ends = [_decode(from_id), _decode(to_id)]
    for kind, key in ends:
        if await kind.load(info, key) is None:
            return None
    store = info.context.store
    starts = []
    for kind, key in ends:
        rows = await store.read(graph_cypher.INTERNAL_ID[_label(kind.__name__)], {"key": key})
        starts.append(int(rows[0]["nid"]))
    refs: dict[int, tuple[str, str]] = {
        starts[0]: (ends[0][0].__name__, ends[0][1]),
        starts[1]: (ends[1][0].__name__, ends[1][1]),
    }
    # parent[side][node] = (previous node, relationship type); the two searches meet in the middle
    parents: list[dict[int, tuple[int, str] | None]] = [{starts[0]: None}, {starts[1]: None}]
    frontiers = [[starts[0]], [starts[1]]]
    depth: list[dict[int, int]] = [{starts[0]: 0}, {starts[1]: 0}]
    meet = starts[0] if starts[0] == starts[1] else None
    steps = 0
    while meet is None and steps < max_hops and all(frontiers):
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        rows = await store.read(
            graph_cypher.NEIGHBORS, {"nids": frontiers[side], "cap": FRONTIER_CAP}
        )
        steps += 1
        following: list[int] = []
        for row in rows:
            mid = int(row["mid"])
            if mid in parents[side]:
                continue
            nid = int(row["nid"])
            parents[side][mid] = (nid, str(row["via"]))
            depth[side][mid] = depth[side][nid] + 1
            refs.setdefault(mid, (_type_of(row["labels"]), str(row["key"])))
            following.append(mid)
        frontiers[side] = following
        meets = [n for n in following if n in depth[1 - side]]
        if meets:  # the shortest of this step's meetings: nearest on the other side
            meet = min(meets, key=lambda n: depth[1 - side][n])
    if meet is None:
        return None
    ordered = _walk(parents[0], meet)[::-1] + _walk(parents[1], meet)[1:]
    relationships = _vias(parents[0], meet)[::-1] + _vias(parents[1], meet)
    nodes = await _load(info, [refs[n] for n in ordered])
    if any(refs[n] not in nodes for n in ordered):
        return None  # part of the path lies outside the caller's scope
    return GraphPath(
        length=len(ordered) - 1,
        nodes=[nodes[refs[n]] for n in ordered],
        relationships=relationships,
    )


def _walk(parents: dict[int, tuple[int, str] | None], node: int) -> list[int]:
    """From ``node`` back to the search's start."""
    chain = [node]
    step = parents[node]
    while step is not None:
        chain.append(step[0])
        step = parents[step[0]]
    return chain


def _vias(parents: dict[int, tuple[int, str] | None], node: int) -> list[str]:
    """The relationship types from ``node`` back to the search's start."""
    vias = []
    step = parents[node]
    while step is not None:
        vias.append(step[1])
        step = parents[step[0]]
    return vias
