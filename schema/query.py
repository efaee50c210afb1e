"""The root query type: every entry point, each resolved by the module of its domain."""

from __future__ import annotations

import strawberry
from strawberry import relay

from schema.activity import activities, activity
from schema.audit import audit_trail
from schema.enterprise import enterprise, enterprises
from schema.member import member, members
from schema.node import RecordIds
from schema.organization import organization, organization_tree, organizations
from schema.person import viewer
from schema.search import search
from schema.trace import trace, trace_organization
from schema.traversal import neighborhood, path

_PAGE = "at most 100 a page"


@strawberry.type
class Query:
    node: relay.Node | None = relay.node(
        description="Any object by its global id.", extensions=[RecordIds()]
    )
    nodes: list[relay.Node | None] = relay.node(
        description="Objects by global id, in order.", extensions=[RecordIds()]
    )

    members = strawberry.field(
        resolver=members, description=f"Members, filtered and ordered; {_PAGE}."
    )
    organizations = strawberry.field(
        resolver=organizations,
        description=f"Organisations, filtered and ordered; {_PAGE}.",
    )
    enterprises = strawberry.field(
        resolver=enterprises,
        description=f"Enterprises, filtered and ordered; {_PAGE}.",
    )
    activities = strawberry.field(
        resolver=activities, description=f"Activities, filtered and ordered; {_PAGE}."
    )
    organization = strawberry.field(
        resolver=organization,
        description="An organisation by global id or by code; null if unknown.",
    )
    member = strawberry.field(
        resolver=member, description="A member by global id or by key; null if unknown."
    )
    enterprise = strawberry.field(
        resolver=enterprise, description="An enterprise by its USCC; null if unknown."
    )
    trace = strawberry.field(
        resolver=trace,
        description="A member's whole trajectory, from every source, dated; one round trip.",
    )
    trace_organization = strawberry.field(
        resolver=trace_organization,
        description="An organisation at a glance: chain, children, posts, work.",
    )
    search = strawberry.field(
        resolver=search,
        description="Full-text search on names and titles; words match as prefixes, best first.",
    )
    organization_tree = strawberry.field(
        resolver=organization_tree,
        description="An organisation and the tree below it, at most 3 levels deep.",
    )
    neighborhood = strawberry.field(
        resolver=neighborhood,
        description="Nodes within 1 or 2 relationships of a node, nearest first.",
    )
    path = strawberry.field(
        resolver=path,
        description="The shortest chain of relationships, either way, between two nodes; "
        "null if none within maxHops (at most 6).",
    )
    activity = strawberry.field(
        resolver=activity,
        description="An activity by global id or by key; null if unknown.",
    )
    viewer = strawberry.field(
        resolver=viewer,
        description="The signed-in person's own record; null without an account's token.",
    )
    audit_trail = strawberry.field(
        resolver=audit_trail,
        description="Reads of full ID numbers and phones, newest first; needs audit:read.",
    )
