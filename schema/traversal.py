"""Analysts' traversals: a node's neighbourhood, and the shortest path between two nodes.

Both are held to the caller's scope inside the Cypher (``graphdb.domain.traversal``):
what they return, count and walk through is what the caller may see.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graphdb import model
from graphdb.domain import traversal as cypher
from schema.context import Context
from schema.errors import HubGraphQLError
from schema.node import GraphNode, Ref, decode, load_refs

MAX_HOPS = 6
MAX_NEIGHBORHOOD_HOPS = 2
FRONTIER_CAP = 20_000  # neighbours read in one step of a path search


def _ref(global_id: str) -> Ref:
    kind, key = decode(global_id)
    return kind.label, key


@strawberry.type(description="A node near another, and how many relationships away.")
class Neighbor:
    node: GraphNode
    distance: int


async def neighborhood(
    info: Info[Context, None], id: strawberry.ID, hops: int = 1, first: int = 50
) -> list[Neighbor]:
    if not 1 <= hops <= MAX_NEIGHBORHOOD_HOPS:
        raise HubGraphQLError(f"hops must be 1 or {MAX_NEIGHBORHOOD_HOPS}")
    limit = info.context.limits.max_page
    if not 0 < first <= limit:
        raise HubGraphQLError(f"first must be between 1 and {limit}")
    label, key = _ref(str(id))
    whole = info.context.scope.is_everything
    statements = cypher.NEIGHBORHOOD_WHOLE_TREE if whole else cypher.NEIGHBORHOOD
    rows = await info.context.store.read(
        statements[label.name],
        {"key": key, "hops": hops, "limit": first},
        scope=info.context.scope,
    )
    refs = [(model.label_of(row["labels"]), str(row["key"])) for row in rows]
    nodes = await load_refs(info, refs)
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
    info: Info[Context, None], from_id: strawberry.ID, to_id: strawberry.ID, max_hops: int = 4
) -> GraphPath | None:
    """Breadth-first from both ends, one round trip per step; null if none within max_hops."""
    if not 1 <= max_hops <= MAX_HOPS:
        raise HubGraphQLError(f"maxHops must be between 1 and {MAX_HOPS}")
    ends = [_ref(str(from_id)), _ref(str(to_id))]
    store, scope = info.context.store, info.context.scope
    neighbors = cypher.NEIGHBORS_WHOLE_TREE if scope.is_everything else cypher.NEIGHBORS
    starts = []
    for label, key in ends:
        rows = await store.read(cypher.INTERNAL_ID[label.name], {"key": key}, scope=scope)
        if not rows:
            return None  # unknown, or outside what the caller may see
        starts.append(int(rows[0]["nid"]))
    refs: dict[int, Ref] = {starts[0]: ends[0], starts[1]: ends[1]}
    # parent[side][node] = (previous node, relationship type); the two searches meet in the middle
    parents: list[dict[int, tuple[int, str] | None]] = [{starts[0]: None}, {starts[1]: None}]
    frontiers = [[starts[0]], [starts[1]]]
    depth: list[dict[int, int]] = [{starts[0]: 0}, {starts[1]: 0}]
    meet = starts[0] if starts[0] == starts[1] else None
    steps = 0
    while meet is None and steps < max_hops and all(frontiers):
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        rows = await store.read(
            neighbors, {"nids": frontiers[side], "cap": FRONTIER_CAP}, scope=scope
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
            refs.setdefault(mid, (model.label_of(row["labels"]), str(row["key"])))
            following.append(mid)
        frontiers[side] = following
        meets = [n for n in following if n in depth[1 - side]]
        if meets:  # the shortest of this step's meetings: nearest on the other side
            meet = min(meets, key=lambda n: depth[1 - side][n])
    if meet is None:
        return None
    ordered = _walk(parents[0], meet)[::-1] + _walk(parents[1], meet)[1:]
    relationships = _vias(parents[0], meet)[::-1] + _vias(parents[1], meet)
    nodes = await load_refs(info, [refs[n] for n in ordered])
    if any(refs[n] not in nodes for n in ordered):
        return None  # a node that names nothing its type can load: no path to show
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
