"""The GraphQL schema: strawberry types and resolvers over the graph store."""

import strawberry

from schema.context import Context, Loader
from schema.query import Query

schema = strawberry.Schema(query=Query)

__all__ = ["Context", "Loader", "Query", "schema"]
