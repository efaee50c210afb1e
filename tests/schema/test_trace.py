"""``trace`` and ``traceOrganization`` on the seeded province, against the generator's rows."""

from __future__ import annotations

from collections import Counter

from connectors.synthetic import SyntheticProvince
from graphdb import Scope, Store
from tests.fixtures.asking import ask

TRACE = """
query ($key: String!) {
  trace(memberKey: $key) {
    member { key name idNumberMasked }
    branch { code level }
    chain { code level }
    posts { key title organization { code } }
    transfers { key status from { code } to { code } }
    dues { month amountFen }
    registrationCount recentRegistrations { key title }
    serviceCount serviceHours recentService { key hours }
    trajectory { on kind key source }
  }
}
"""


def busiest_member(province: SyntheticProvince) -> str:
    """A member who holds a post, has transferred and paid dues: the richest trace."""
    holders = {a["person_id"] for a in province.appointments()}
    movers = Counter(t["member_id"] for t in province.transfers())
    return next(str(key) for key, _ in movers.most_common() if key in holders)


async def test_trace_matches_every_source_in_one_round_trip(
    seeded: Store, province: SyntheticProvince
) -> None:
    key = busiest_member(province)
    data, calls = await ask(seeded, TRACE, key=key)
    trace = data["trace"]
    member = next(row for row in province.members() if row["id"] == key)
    assert trace["member"]["key"] == key
    assert trace["branch"]["code"] == member["branch_id"]
    assert [org["level"] for org in trace["chain"]] == [5, 4, 3, 2, 1]

    appointed = {a["post_id"] for a in province.appointments() if a["person_id"] == key}
    assert {p["key"] for p in trace["posts"]} == appointed
    transfers = {t["id"]: t for t in province.transfers() if t["member_id"] == key}
    assert {
        t["key"]: (t["status"], t["from"]["code"], t["to"]["code"]) for t in trace["transfers"]
    } == {k: (t["props"]["status"], t["from_id"], t["to_id"]) for k, t in transfers.items()}
    dues = sorted(
        (d["props"]["month"], d["props"]["amount_fen"])
        for d in province.dues_payments()
        if d["member_id"] == key
    )
    assert [(d["month"], d["amountFen"]) for d in trace["dues"]] == dues
    registrations = [g for g in province.registrations() if g["person_id"] == key]
    assert trace["registrationCount"] == len(registrations)
    service = [s for s in province.service_records() if s["person_id"] == key]
    assert trace["serviceCount"] == len(service)
    assert trace["serviceHours"] == sum(s["props"]["hours"] for s in service)

    days = [event["on"] for event in trace["trajectory"]]
    assert days == sorted(days)
    kinds = Counter(event["kind"] for event in trace["trajectory"])
    assert kinds["JOINED"] == 1
    assert kinds["TRANSFER_REQUESTED"] == len(transfers)
    assert kinds["DUES_PAID"] == len(dues)
    assert {event["source"] for event in trace["trajectory"]} == {"synthetic"}
    assert calls == 1  # the statement brings every organisation the trace names


async def test_trace_outside_the_scope_is_null(seeded: Store, province: SyntheticProvince) -> None:
    key = next(province.members())["id"]  # under the first city
    data, _ = await ask(seeded, TRACE, scope=Scope("ORG0000003"), key=key)
    assert data["trace"] is None


async def test_a_scoped_trace_stops_at_the_scope(
    seeded: Store, province: SyntheticProvince
) -> None:
    """A city cadre sees a member who moved in from another city, not that city's branch."""
    orgs = province.tree.orgs
    by_id = {org.id: org for org in orgs}

    def city_of(code: str) -> str:
        org = by_id[code]
        while org.level > 2:
            org = orgs[org.parent]
        return org.id

    moved = next(
        t
        for t in province.transfers()
        if t["props"]["status"] == "accepted" and city_of(t["from_id"]) != city_of(t["to_id"])
    )
    city = city_of(moved["to_id"])
    data, calls = await ask(seeded, TRACE, scope=Scope(city), key=moved["member_id"])
    trace = data["trace"]
    assert [org["level"] for org in trace["chain"]] == [5, 4, 3, 2]
    assert trace["chain"][-1]["code"] == city
    (seen,) = (t for t in trace["transfers"] if t["key"] == moved["id"])
    assert seen["from"] is None  # the other city's branch is out of scope
    assert seen["to"] == {"code": moved["to_id"]}
    assert calls == 1


async def test_trace_organization_counts_its_children(
    seeded: Store, province: SyntheticProvince
) -> None:
    query = """
    query ($code: String!) {
      traceOrganization(code: $code) {
        organization { code level } chain { code }
        members
        children { organization { code } members cadres vacancies }
        posts { key vacantSince holder { key } }
        activityCount recentActivities { key host { code } }
      }
    }
    """
    data, calls = await ask(seeded, query, code="ORG0000002")
    got = data["traceOrganization"]
    tree = province.tree
    parent_of = {org.id: tree.orgs[org.parent].id if org.parent >= 0 else None for org in tree.orgs}

    def under(code: str, org: str | None) -> bool:
        while org is not None:
            if org == code:
                return True
            org = parent_of[org]
        return False

    branches = Counter(row["branch_id"] for row in province.members())
    members_under = {c: sum(n for b, n in branches.items() if under(c, b)) for c in parent_of}
    assert got["organization"] == {"code": "ORG0000002", "level": 2}
    assert got["chain"] == [{"code": "ORG0000001"}]
    assert got["members"] == members_under["ORG0000002"]
    children = {c["organization"]["code"]: c for c in got["children"]}
    assert set(children) == {o for o, p in parent_of.items() if p == "ORG0000002"}
    posts = list(province.posts())
    for code, child in children.items():
        assert child["members"] == members_under[code]
        own = [p for p in posts if p["organization_id"] == code]
        assert child["vacancies"] == sum(1 for p in own if p["vacant_since"])
        assert child["cadres"] == len(own) - child["vacancies"]
    hosted = [
        a
        for a in province.activities()
        if under("ORG0000002", a["host_id"]) and a["host_id"] == "ORG0000002"
    ]
    assert got["activityCount"] == len(hosted)
    assert calls == 4  # trace (with its organisations), posts, their holders, activities
