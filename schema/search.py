"""Full-text search across organisations, people, enterprises and activities."""

from __future__ import annotations

from enum import Enum

import strawberry
from strawberry.types import Info

from graphdb import model
from schema.context import Context
from schema.errors import HubGraphQLError
from schema.node import GraphNode, node_type


@strawberry.enum(description="What search can find.")
class SearchType(Enum):
    ORGANIZATION = "Organization"
    PERSON = "Person"
    ENTERPRISE = "Enterprise"
    ACTIVITY = "Activity"


@strawberry.type(description="One search result.")
class SearchHit:
    score: float
    node: GraphNode


async def search(
    info: Info[Context, None], text: str, types: list[SearchType] | None = None, first: int = 10
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
        nodes = await node_type(model.label_of([kind.value])).resolve_nodes(
            info=info, node_ids=keys
        )
        by_key = {node.key: node for node in nodes if node is not None}
        found += [
            SearchHit(score=score, node=by_key[key])
            for score, k, key in hits
            if k == kind and key in by_key
        ]
    found.sort(key=lambda hit: -hit.score)
    return found
