"""The GraphQL schema: an Apollo Federation v2 subgraph over the graph store."""

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from schema.activity import Activity, Registration, ServiceRecord
from schema.context import Context, Loader
from schema.enterprise import Enterprise, FederationOrg
from schema.errors import ErrorCodes
from schema.membership import DuesPayment, Transfer
from schema.organization import CadrePost, Organization
from schema.people import Member, Person
from schema.query import Query


class HubSchema(strawberry.federation.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Client errors are answers, not incidents: :class:`ErrorCodes` logs the rest."""


schema = HubSchema(
    query=Query,
    types=[
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
    ],
    extensions=[ErrorCodes],
)

__all__ = ["Context", "Loader", "Query", "schema"]
