"""The GraphQL schema: an Apollo Federation v2 subgraph over the graph store."""

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.types import ExecutionContext

from schema.activity import Activity, Registration, ServiceRecord
from schema.context import Context, Loader
from schema.enterprise import Enterprise, FederationOrg
from schema.errors import ErrorCodes, code_in_place
from schema.membership import DuesPayment, Transfer
from schema.organization import CadrePost, Organization
from schema.people import Member, Person
from schema.protection import IntrospectionSwitch, Limits, QueryLimits
from schema.query import Query

TYPES = [
    Organization,
    CadrePost,
    Person,
    Member,
    Enterprise,
    FederationOrg,
    Activity,
    Registration,
    ServiceRecord,
    Transfer,
    DuesPayment,
]


class HubSchema(strawberry.federation.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Client errors are answers, not incidents: :class:`ErrorCodes` logs the rest."""
        code_in_place(errors)


# Limits and introspection are per deployment: they come with each request's Context.
schema = HubSchema(
    query=Query,
    types=TYPES,
    extensions=[
        ErrorCodes,
        IntrospectionSwitch,
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        QueryLimits,
    ],
)

__all__ = ["Context", "Limits", "Loader", "Query", "schema"]
