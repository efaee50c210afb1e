"""Every node type of the schema, in one list."""

from schema.activity import Activity, Registration, ServiceRecord
from schema.enterprise import Enterprise, FederationOrg
from schema.membership import DuesPayment, Transfer
from schema.node import GraphNode
from schema.organization import CadrePost, Organization
from schema.people import Member, Person

NODE_TYPES: list[type[GraphNode]] = [
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
