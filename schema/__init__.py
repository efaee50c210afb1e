"""The GraphQL schema: an Apollo Federation v2 subgraph over the graph store.

One module per domain (``schema/<domain>.py``, named as in ``graphdb.model``)
holds that domain's types, filters, lists and lookups; ``trace``, ``search``
and ``traversal`` cross domains; ``query`` lists the entry points.
"""

import importlib

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from graphdb import LABELS
from schema.audit import AuditTrail
from schema.caller import Caller
from schema.context import Context, Loader
from schema.errors import ErrorCodes, code_in_place
from schema.grants import Grants
from schema.node import GraphNode, node_type
from schema.protection import Admission, Limits
from schema.query import Query


class HubSchema(strawberry.federation.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Client errors are answers, not incidents: :class:`ErrorCodes` logs the rest."""
        code_in_place(errors)

    def get_extensions(self, sync: bool = False) -> list[SchemaExtension]:
        """Without the (asynchronous) audit trail when run synchronously: no full value then."""
        found = super().get_extensions(sync)
        return [e for e in found if not (sync and isinstance(e, AuditTrail))]


def node_types() -> list[type[GraphNode]]:
    """The node type of every label of the graph model, each from its domain's module."""
    for label in LABELS:
        importlib.import_module(f"schema.{label.domain}")
    return [node_type(label) for label in LABELS]


# Limits and introspection are per deployment: they come with each request's Context.
schema = HubSchema(
    query=Query,
    types=node_types(),
    # Grants adds its rule to the validation Admission runs, so it comes first.
    extensions=[ErrorCodes, Grants, Admission, AuditTrail],
    # The newest both Apollo's composer and the Guild's (Hive) know; 2.10 and 2.11 are
    # Apollo-only. tests/schema/test_federation_composition.py composes with both.
    federation_version="2.9",
)

__all__ = ["Caller", "Context", "Limits", "Loader", "Query", "schema"]
