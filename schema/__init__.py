"""The GraphQL schema: an Apollo Federation v2 subgraph over the graph store.

One module per domain (``schema/<domain>.py``, named as in ``graphdb.model``)
holds that domain's types, filters, lists and lookups; ``trace``, ``search``
and ``traversal`` cross domains; ``query`` lists the entry points.
"""

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from schema.context import Context, Loader
from schema.errors import ErrorCodes, code_in_place
from schema.node import node_types
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
    types=node_types(),
    extensions=[ErrorCodes, Admission],
)

__all__ = ["Context", "Limits", "Loader", "Query", "schema"]
