"""The GraphQL schema: an Apollo Federation v2 subgraph over the graph store."""

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from schema.catalog import NODE_TYPES
from schema.context import Context, Loader
from schema.errors import ErrorCodes, code_in_place
from schema.protection import Admission, Limits
from schema.query import Query


class HubSchema(strawberry.federation.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Client errors are answers, not incidents: :class:`ErrorCodes` logs the rest."""
        code_in_place(errors)


# Limits and introspection are per deployment: they come with each request's Context.
schema = HubSchema(
    query=Query,
    types=NODE_TYPES,
    extensions=[ErrorCodes, Admission],
)

__all__ = ["Context", "Limits", "Loader", "Query", "schema"]
