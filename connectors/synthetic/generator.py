"""A deterministic synthetic province: the same scale and seed give the same graph, row for row.

Rows are produced stream by stream (organisations, people, members, posts,
enterprises, ...) in the shapes the ``graphdb.domain`` upsert statements take.
Each stream draws from its own random generator seeded from ``(seed, stream)``,
so streams are reproducible on their own. The tree is built by ``tree.py``,
posts and their holders planned by ``cadres.py``, identifiers made by
``identifiers.py``; personal identifiers leave this module only as keyed hash
and masked form, and sealed (``*_sealed``) when the province is given a
:class:`~graphdb.security.seal.Sealer` (purpose ``pii``, from the same key as the
hasher): the raw values then open behind ``pii:read``. Seals take a fresh nonce
each time, so sealed rows are the same row for row once opened, not as text.
"""

from __future__ import annotations

import datetime as dt
import random
from array import array
from collections.abc import Iterator
from typing import Any

from connectors.identity import IdentityHasher
from connectors.synthetic import names
from connectors.synthetic.cadres import plan_posts
from connectors.synthetic.identifiers import (
    activity_id,
    birth_date,
    enterprise_uscc,
    id_number,
    person_id,
    phone,
)
from connectors.synthetic.regions import Region
from connectors.synthetic.scales import Scale
from connectors.synthetic.tree import AREA_FIELDS, ENTERPRISE_FIELDS, Tree, build_tree, kind
from graphdb.security.seal import Sealer

Row = dict[str, Any]

AS_OF = dt.date(2026, 6, 30)  # the synthetic "today": fixed so that output never drifts
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_HOUR_MS = 3_600_000


class SyntheticProvince:
    """Every row of one synthetic province, stream by stream."""

    def __init__(
        self, scale: Scale, seed: int, hasher: IdentityHasher, *, sealer: Sealer | None = None
    ) -> None:
        self.scale = scale
        self.seed = seed
        self.hasher = hasher
        self.sealer = sealer
        self._tree: Tree | None = None
        self._member_branch: array[int] | None = None
        self._enterprise_counties: list[Region] | None = None
        self._post_plan: list[dict[str, Any]] | None = None

    # -- streams -------------------------------------------------------------

    def organizations(self, level: int) -> Iterator[Row]:
        """The organisations of one level of the tree (1 province to 5 branch)."""
        tree = self.tree
        rng = self._rng(f"organizations:{level}")
        for org in tree.orgs:
            if org.level != level:
                continue
            founded = AS_OF - dt.timedelta(days=rng.randrange(365, 365 * 40))
            yield {
                "id": org.id,
                "parent_id": tree.orgs[org.parent].id if org.parent >= 0 else None,
                "founded_on": founded.isoformat(),
                "props": {
                    "name": org.name,
                    "level": org.level,
                    "kind": kind(org.level),
                    "field": org.field,
                    "region_code": org.region.code,
                },
            }

    def members(self) -> Iterator[Row]:
        """Members (people ``0 .. members-1``), each with their branch."""
        rng = self._rng("members")
        orgs, branches = self.tree.orgs, self.tree.branches
        serial: dict[tuple[str, int, bool], int] = {}
        for index, branch in enumerate(self.member_branch):
            org = orgs[branches[branch]]
            row = self._person(rng, serial, index, org.region, 14, 28)
            joined = AS_OF - dt.timedelta(days=rng.randrange(30, 365 * 10))
            row["branch_id"] = org.id
            row["joined_on"] = joined.isoformat()
            row["props"]["status"] = "active"
            yield row

    def people(self) -> Iterator[Row]:
        """People who are not members: youths on the platforms, then adult cadres."""
        scale = self.scale
        rng = self._rng("people")
        serial: dict[tuple[str, int, bool], int] = {}
        regions = [org.region for org in self.tree.orgs if org.level == 3]
        first_adult = scale.members + scale.non_member_youths
        for index in range(scale.members, scale.people):
            youngest, oldest = (14, 35) if index < first_adult else (29, 50)
            yield self._person(rng, serial, index, rng.choice(regions), youngest, oldest)

    def _person(
        self,
        rng: random.Random,
        serial: dict[tuple[str, int, bool], int],
        index: int,
        region: Region,
        youngest: int,
        oldest: int,
    ) -> Row:
        female = rng.random() < 0.5
        birth = birth_date(rng, youngest, oldest, AS_OF)
        # Members and other people draw ID sequence numbers from disjoint halves.
        half = 0 if index < self.scale.members else 250
        id_number = self._id_number(serial, region, birth, female, half)
        protected_id = self.hasher.protect_id_number(id_number)
        raw_phone = phone(index)
        protected_phone = self.hasher.phone(raw_phone)
        props = {
            "name": names.person_name(rng, female),
            "gender": "F" if female else "M",
            "id_number_hash": protected_id.hash,
            "id_number_masked": protected_id.masked,
            "phone_hash": protected_phone.hash,
            "phone_masked": protected_phone.masked,
        }
        if self.sealer is not None:
            props["id_number_sealed"] = self.sealer.seal(id_number)
            props["phone_sealed"] = self.sealer.seal(raw_phone)
        return {"id": person_id(index), "birth_date": birth.isoformat(), "props": props}

    def posts(self) -> Iterator[Row]:
        """Posts of every organisation; vacant ones carry ``vacant_since``."""
        for post in self.post_plan:
            yield {
                "id": post["id"],
                "organization_id": post["organization_id"],
                "vacant_since": post["vacant_since"],
                "props": {"title": post["title"], "mode": post["mode"]},
            }

    def appointments(self) -> Iterator[Row]:
        for post in self.post_plan:
            if post["holder"] is not None:
                yield {"post_id": post["id"], "person_id": post["holder"], "since": post["since"]}

    def enterprises(self) -> Iterator[Row]:
        scale = self.scale
        rng = self._rng("enterprises")
        areas = self._areas()
        counties = self._enterprise_county_list()
        for index in range(scale.enterprises):
            county = counties[index]
            registered = AS_OF - dt.timedelta(days=rng.randrange(30, 365 * 25))
            employees = max(1, int(rng.lognormvariate(2.8, 1.2)))
            young = min(employees, int(employees * rng.uniform(0.0, 0.8)))
            status = rng.choices(("active", "revoked", "cancelled"), (92, 3, 5))[0]
            industry = rng.choice(names.INDUSTRIES)
            yield {
                "uscc": enterprise_uscc(index, county.code),
                "area_id": rng.choice(areas[county.code]),
                "registered_on": registered.isoformat(),
                "props": {
                    "name": f"{county.name[:-1]}{names.brand(rng)}{industry}有限公司",
                    "industry": industry,
                    "region_code": county.code,
                    "status": status,
                    "employees": employees,
                    "young_employees": young,
                    "cultivation_pool": status == "active" and rng.random() < 0.3,
                },
            }

    def enterprise_bases(self) -> Iterator[Row]:
        """Enterprise committees ``BASED_IN`` an enterprise of their own county."""
        by_county: dict[str, list[int]] = {}
        for index, county in enumerate(self._enterprise_county_list()):
            by_county.setdefault(county.code, []).append(index)
        for org_index in self.tree.grassroots:
            org = self.tree.orgs[org_index]
            pool = by_county.get(org.region.code)
            if org.field in ENTERPRISE_FIELDS and pool:
                yield {
                    "organization_id": org.id,
                    "uscc": enterprise_uscc(pool.pop(), org.region.code),
                }

    def federation_orgs(self) -> Iterator[Row]:
        rng = self._rng("federation_orgs")
        counties = self._enterprise_county_list()
        chosen = rng.sample(range(self.scale.enterprises), self.scale.federation_orgs)
        for index, enterprise in enumerate(chosen):
            union = rng.random() < 0.7
            founded = AS_OF - dt.timedelta(days=rng.randrange(30, 365 * 15))
            yield {
                "id": f"FED{index + 1:07d}",
                "uscc": enterprise_uscc(enterprise, counties[enterprise].code),
                "founded_on": founded.isoformat(),
                "props": {
                    "kind": "trade_union" if union else "womens_federation",
                    "name": "企业工会委员会" if union else "企业妇女联合会",
                },
            }

    def activities(self) -> Iterator[Row]:
        rng = self._rng("activities")
        orgs = self.tree.orgs
        branches, committees = self.tree.branches, self.tree.committees()
        for index in range(self.scale.activities):
            host = orgs[rng.choice(branches) if rng.random() < 0.7 else rng.choice(committees)]
            starts = AS_OF - dt.timedelta(days=rng.randrange(-60, 730))
            yield {
                "id": activity_id(index),
                "host_id": host.id,
                "starts_on": starts.isoformat(),
                "props": {
                    "title": f"{host.region.name}{rng.choice(names.ACTIVITY_TOPICS)}",
                    "platform": "青年之声",
                    "region_code": host.region.code,
                    "status": "open" if starts > AS_OF else "finished",
                },
            }

    def co_hosts(self) -> Iterator[Row]:
        rng = self._rng("co_hosts")
        chosen = rng.sample(range(self.scale.activities), self.scale.co_hosted_activities)
        for activity in chosen:
            federation = rng.randrange(self.scale.federation_orgs)
            yield {
                "activity_id": activity_id(activity),
                "federation_org_id": f"FED{federation + 1:07d}",
            }

    def registrations(self) -> Iterator[Row]:
        rng = self._rng("registrations")
        people, activities = self.scale.people, self.scale.activities
        for index in range(self.scale.registrations):
            attended = rng.random() < 0.8
            rated = attended and rng.random() < 0.2
            registered = AS_OF - dt.timedelta(days=rng.randrange(0, 760))
            yield {
                "id": f"REG{index + 1:08d}",
                "person_id": person_id(rng.randrange(people)),
                "activity_id": activity_id(rng.randrange(activities)),
                "registered_on": registered.isoformat(),
                "props": {"attended": attended, "rating": rng.randint(1, 5) if rated else None},
            }

    def service_records(self) -> Iterator[Row]:
        rng = self._rng("service_records")
        people = self.scale.members + self.scale.non_member_youths
        for index in range(self.scale.service_records):
            served = AS_OF - dt.timedelta(days=rng.randrange(0, 365 * 3))
            yield {
                "id": f"SVC{index + 1:08d}",
                "person_id": person_id(rng.randrange(people)),
                "served_on": served.isoformat(),
                "props": {
                    "platform": "i志愿" if rng.random() < 0.6 else "志愿汇",
                    "project": rng.choice(names.SERVICE_PROJECTS),
                    "hours": rng.randint(2, 16) / 2,
                },
            }

    def transfers(self) -> Iterator[Row]:
        """Accepted transfers end in the member's branch; pending ones start there."""
        rng = self._rng("transfers")
        orgs, branches, member_branch = self.tree.orgs, self.tree.branches, self.member_branch
        for index in range(self.scale.transfers):
            member = rng.randrange(self.scale.members)
            here = orgs[branches[member_branch[member]]].id
            there = orgs[rng.choice(branches)].id
            status = rng.choices(("accepted", "pending", "rejected"), (85, 10, 5))[0]
            requested = _ms(AS_OF) - rng.randrange(0, 730) * 24 * _HOUR_MS
            hours = rng.choice((rng.randrange(1, 72), rng.randrange(72, 720)))
            responded = None if status == "pending" else requested + hours * _HOUR_MS
            yield {
                "id": f"TRF{index + 1:08d}",
                "member_id": person_id(member),
                "from_id": there if status == "accepted" else here,
                "to_id": here if status == "accepted" else there,
                "props": {"status": status, "requested_at": requested, "responded_at": responded},
            }

    def dues_payments(self) -> Iterator[Row]:
        """At most one payment per member and month."""
        rng = self._rng("dues_payments")
        members = self.scale.members
        for index in range(self.scale.dues_payments):
            member, nth = index % members, index // members
            year, month = _month_back(AS_OF, nth + member % 3)
            paid = dt.date(year, month, rng.randint(1, 28))
            yield {
                "id": f"DUE{index + 1:08d}",
                "member_id": person_id(member),
                "paid_on": paid.isoformat(),
                "props": {
                    "month": f"{year:04d}-{month:02d}",
                    "amount_fen": rng.choice((20, 20, 20, 50, 100)),
                },
            }

    # -- structure -----------------------------------------------------------

    @property
    def tree(self) -> Tree:
        if self._tree is None:
            self._tree = build_tree(self.scale, self._rng("tree"))
        return self._tree

    @property
    def member_branch(self) -> array[int]:
        """For each member, the index (into ``tree.branches``) of their branch."""
        if self._member_branch is None:
            rng = self._rng("member_branch")
            count = len(self.tree.branches)
            hollow = set(rng.sample(range(count), self.scale.hollow_branches))
            live = [index for index in range(count) if index not in hollow]
            assigned = array("i", live[: self.scale.members])
            assigned.extend(rng.choice(live) for _ in range(self.scale.members - len(assigned)))
            self._member_branch = assigned
        return self._member_branch

    def _areas(self) -> dict[str, list[str]]:
        """Per county, the township and street committees responsible for enterprises."""
        areas: dict[str, list[str]] = {}
        fallback: dict[str, list[str]] = {}
        for index in self.tree.grassroots:
            org = self.tree.orgs[index]
            fallback.setdefault(org.region.code, []).append(org.id)
            if org.field in AREA_FIELDS:
                areas.setdefault(org.region.code, []).append(org.id)
        return {code: areas.get(code) or ids for code, ids in fallback.items()}

    def _enterprise_county_list(self) -> list[Region]:
        if self._enterprise_counties is None:
            rng = self._rng("enterprise_counties")
            counties = sorted(
                {self.tree.orgs[i].region for i in self.tree.grassroots},
                key=lambda region: region.code,
            )
            self._enterprise_counties = rng.choices(counties, k=self.scale.enterprises)
        return self._enterprise_counties

    @property
    def post_plan(self) -> list[dict[str, Any]]:
        """Every post with its holder: decided once, shared by ``posts`` and ``appointments``."""
        if self._post_plan is None:
            self._post_plan = list(
                plan_posts(self.scale, self._rng("posts"), self.tree, self.member_branch, AS_OF)
            )
        return self._post_plan

    def _id_number(
        self,
        serial: dict[tuple[str, int, bool], int],
        region: Region,
        birth: dt.date,
        female: bool,
        half: int,
    ) -> str:
        # A county code younger than the person was not theirs at birth: use the city's.
        area = region.code if region.since <= birth.year else region.city_code
        key = (area, birth.toordinal(), female)
        count = serial.get(key, 0)
        serial[key] = count + 1
        return id_number(area, birth, 2 * (half + count % 249) + (2 if female else 1))

    def _rng(self, stream: str) -> random.Random:
        return random.Random(f"{self.seed}:{stream}")


def _ms(day: dt.date) -> int:
    return int(
        (dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) - _EPOCH).total_seconds() * 1000
    )


def _month_back(day: dt.date, months: int) -> tuple[int, int]:
    total = day.year * 12 + day.month - 1 - months
    return total // 12, total % 12 + 1
