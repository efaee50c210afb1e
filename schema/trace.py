"""Traces: a member's whole trajectory, and an organisation at a glance.

``trace`` answers from one statement, whatever is asked of it: the statement
also returns every organisation the trace names, and the request's organisation
loader is primed with them. ``traceOrganization`` is one statement too, plus one
round trip per kind of thing asked for beyond it (posts, their holders,
activities).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.types import Info

from graphdb import Record
from graphdb.domain import trace as cypher
from schema.activity import Activity
from schema.context import Context
from schema.member import Member
from schema.node import exactly_one
from schema.organization import Organization
from schema.post import CadrePost
from schema.transfer import Transfer

RECENT = 20


@strawberry.type(description="One dated step of a member's trajectory (行为轨迹).")
class TrajectoryEvent:
    on: dt.date
    kind: str = strawberry.field(
        description="JOINED, POST_TAKEN, TRANSFER_REQUESTED, TRANSFER_ANSWERED, DUES_PAID, "
        "REGISTERED or SERVED"
    )
    summary: str
    key: str | None = strawberry.field(description="key of the record behind the event")
    source: str | None = strawberry.field(description="the connector that reported it")


@strawberry.type(description="A post a member holds.")
class HeldPost:
    key: str
    title: str
    mode: str
    since: dt.date | None
    organization: Organization | None


@strawberry.type(description="One month's dues payment.")
class DuesMonth:
    month: str
    amount_fen: int
    paid_on: dt.date | None


@strawberry.type(description="A registration for an activity, with the activity's title.")
class RecentRegistration:
    key: str
    title: str
    starts_on: dt.date | None
    registered_on: dt.date | None
    attended: bool
    rating: int | None


@strawberry.type(description="A volunteer service session.")
class RecentService:
    key: str
    platform: str
    project: str
    served_on: dt.date | None
    hours: float


@strawberry.type(description="A member and everything the graph knows of them, dated.")
class MemberTrace:
    member: Member
    branch: Organization | None = strawberry.field(description="The member's branch.")
    chain: list[Organization] = strawberry.field(
        description="The branch and every organisation above it, up to the root "
        "(or up to the top of what the caller may see)."
    )
    posts: list[HeldPost] = strawberry.field(
        description="posts held in organisations the caller may see"
    )
    transfers: list[Transfer] = strawberry.field(
        description="transfers from or to organisations the caller may see"
    )
    dues: list[DuesMonth] = strawberry.field(description="payments by month, oldest first")
    recent_registrations: list[RecentRegistration] = strawberry.field(
        description=f"the latest {RECENT} registrations, newest first"
    )
    registration_count: int = strawberry.field(
        description="registrations for activities of organisations the caller may see"
    )
    recent_service: list[RecentService] = strawberry.field(
        description=f"the latest {RECENT} service sessions, newest first"
    )
    service_count: int
    service_hours: float
    trajectory: list[TrajectoryEvent] = strawberry.field(
        description="every dated event above, oldest first"
    )


async def trace(
    info: Info[Context, None],
    member_id: strawberry.ID | None = None,
    member_key: str | None = None,
) -> MemberTrace | None:
    name, value = exactly_one(member_id=member_id, member_key=member_key)
    key = Member.key_of(str(value)) if name == "member_id" else str(value)
    rows = await info.context.store.read(
        cypher.MEMBER, {"id": key, "recent": RECENT}, scope=info.context.scope
    )
    if not rows:
        return None
    row = rows[0]
    lineage: list[str] = row["lineage"]
    organizations = named_organizations(
        info,
        row["organizations"],
        [
            *lineage,
            *(p["organization_id"] for p in row["posts"]),
            *(t[end] for t in row["transfers"] for end in ("from_id", "to_id") if t[end]),
        ],
    )
    member = Member.from_record(row["member"])
    posts = [
        HeldPost(
            key=p["id"],
            title=p["title"],
            mode=p["mode"],
            since=p["since"],
            organization=organizations.get(p["organization_id"]),
        )
        for p in row["posts"]
    ]
    transfers = [Transfer.from_record({**t, "member_id": member.key}) for t in row["transfers"]]
    return MemberTrace(
        member=member,
        branch=organizations.get(lineage[-1]),
        chain=[organizations[key] for key in reversed(lineage) if key in organizations],
        posts=posts,
        transfers=transfers,
        dues=[
            DuesMonth(month=d["month"], amount_fen=d["amount_fen"], paid_on=d["paid_on"])
            for d in row["dues"]
        ],
        recent_registrations=[
            RecentRegistration(
                key=g["id"],
                title=g["title"],
                starts_on=g["starts_on"],
                registered_on=g["registered_on"],
                attended=g["attended"],
                rating=g["rating"],
            )
            for g in row["registrations"]
        ],
        registration_count=row["registered"],
        recent_service=[
            RecentService(
                key=s["id"],
                platform=s["platform"],
                project=s["project"],
                served_on=s["served_on"],
                hours=s["hours"],
            )
            for s in row["service"]
        ],
        service_count=row["served"],
        service_hours=float(row["service_hours"] or 0.0),
        trajectory=trajectory(row),
    )


def named_organizations(
    info: Info[Context, None], records: list[Record], named: list[str]
) -> dict[str, Organization]:
    """The organisations a trace statement returned (those the caller may see), by key.

    The request's organisation loader is primed with them, and with null for
    the named ones the statement left out, so nothing asks for them again.
    """
    info.context.prime(Organization.by_ids, named, records)
    return {record["id"]: Organization.from_record(record) for record in records}


_ELSEWHERE = "an organisation outside your scope"


def trajectory(row: Record) -> list[TrajectoryEvent]:
    """The events of a trace row, oldest first."""
    events: list[TrajectoryEvent] = []

    def add(on: dt.date | None, kind: str, summary: str, record: dict[str, Any]) -> None:
        if on is not None:
            events.append(
                TrajectoryEvent(
                    on=on,
                    kind=kind,
                    summary=summary,
                    key=record.get("id"),
                    source=record.get("source"),
                )
            )

    member = row["member"]
    add(row["joined_on"], "JOINED", f"joined branch {member['branch_id']}", member)
    for p in row["posts"]:
        add(p["since"], "POST_TAKEN", f"took post {p['title']} in {p['organization_id']}", p)
    for t in row["transfers"]:
        add(
            _day(t["requested_at"]),
            "TRANSFER_REQUESTED",
            f"requested a transfer from {t['from_id'] or _ELSEWHERE} to {t['to_id'] or _ELSEWHERE}",
            t,
        )
        add(_day(t["responded_at"]), "TRANSFER_ANSWERED", f"transfer {t['status']}", t)
    for d in row["dues"]:
        add(d["paid_on"], "DUES_PAID", f"paid {d['month']} dues: {d['amount_fen']} fen", d)
    for g in row["registrations"]:
        add(g["registered_on"], "REGISTERED", f"registered for {g['title']}", g)
    for s in row["service"]:
        add(s["served_on"], "SERVED", f"served {s['hours']} h at {s['project']}", s)
    events.sort(key=lambda event: (event.on, event.kind))
    return events


def _day(epoch_ms: int | None) -> dt.date | None:
    return None if epoch_ms is None else dt.datetime.fromtimestamp(epoch_ms / 1000, dt.UTC).date()


@strawberry.type(description="A child organisation with its head counts.")
class ChildSummary:
    members: int = strawberry.field(description="members in the child's whole subtree")
    cadres: int = strawberry.field(description="posts of the child that someone holds")
    vacancies: int = strawberry.field(description="posts of the child left vacant")
    organization: Organization


@strawberry.type(description="An organisation at a glance: its place, its children, its work.")
class OrganizationTrace:
    organization: Organization
    chain: list[Organization] = strawberry.field(
        description="Every organisation above this one, parent first "
        "(up to the top of what the caller may see)."
    )
    children: list[ChildSummary]
    members: int = strawberry.field(description="members in the whole subtree")
    activity_keys: strawberry.Private[list[str]]
    activity_count: int

    @strawberry.field(description="Its cadre posts, vacant ones with the date they fell vacant.")
    async def posts(self, info: Info[Context, None]) -> list[CadrePost]:
        return await CadrePost.of_organization(info, self.organization.key)

    @strawberry.field(description=f"Its latest {RECENT} activities, newest first.")
    async def recent_activities(self, info: Info[Context, None]) -> list[Activity]:
        found = await Activity.resolve_nodes(info=info, node_ids=self.activity_keys)
        return [activity for activity in found if activity is not None]


async def trace_organization(
    info: Info[Context, None], id: strawberry.ID | None = None, code: str | None = None
) -> OrganizationTrace | None:
    name, value = exactly_one(id=id, code=code)
    key = Organization.key_of(str(value)) if name == "id" else str(value)
    rows = await info.context.store.read(
        cypher.ORGANIZATION, {"id": key, "recent": RECENT}, scope=info.context.scope
    )
    if not rows:
        return None
    row = rows[0]
    lineage: list[str] = row["lineage"]
    children = row["children"]
    organizations = named_organizations(
        info, row["organizations"], [*lineage, *(c["id"] for c in children)]
    )
    return OrganizationTrace(
        organization=organizations[lineage[-1]],
        chain=[organizations[key] for key in lineage[-2::-1] if key in organizations],
        children=[
            ChildSummary(
                members=c["members"],
                cadres=c["cadres"],
                vacancies=c["vacancies"],
                organization=organizations[c["id"]],
            )
            for c in children
        ],
        members=row["members"],
        activity_keys=row["activities"],
        activity_count=row["activity_count"],
    )
