"""The synthetic province: deterministic, valid identifiers, exact counts in the graph."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re

from stdnum.cn import ric, uscc

from connectors import IdentityHasher
from connectors.synthetic import SCALES, SyntheticProvince, seed, streams
from connectors.synthetic.identifiers import id_number
from connectors.synthetic.regions import guangdong
from graphdb import WHOLE_TREE, Scope, Store
from graphdb import statement as cypher
from graphdb.domain import (
    activity,
    dues_payment,
    enterprise,
    federation_org,
    member,
    organization,
    person,
    post,
    registration,
    service_record,
    transfer,
)

EVERYTHING = Scope.everything()
HOLLOW_BRANCHES = cypher.read(
    "test.hollow_branches",
    "MATCH (b:Organization {kind: 'branch'}) WHERE NOT (b)<-[:MEMBER_OF]-() RETURN count(b) AS n",
    bound=WHOLE_TREE,
)
BRANCHES_WITHOUT_POST = cypher.read(
    "test.branches_without_post",
    "MATCH (b:Organization {kind: 'branch'}) WHERE NOT (b)<-[:POST_IN]-() RETURN count(b) AS n",
    bound=WHOLE_TREE,
)
ALL_TEXT = cypher.read(
    "test.all_text_properties",
    """
    MATCH (n) WHERE NOT n:Enterprise
    UNWIND keys(n) AS k WITH n[k] AS v WHERE v IS NOT NULL RETURN collect(v) AS vs
    """,
    bound=WHOLE_TREE,
)


def test_the_same_seed_gives_the_same_rows(hasher: IdentityHasher) -> None:
    first = SyntheticProvince(SCALES["tiny"], 3, hasher)
    again = SyntheticProvince(SCALES["tiny"], 3, hasher)
    other = SyntheticProvince(SCALES["tiny"], 4, hasher)
    for stream_a, stream_b in zip(streams(first), streams(again), strict=True):
        assert list(stream_a.rows()) == list(stream_b.rows()), stream_a.name
    assert list(itertools.islice(other.members(), 50)) != list(
        itertools.islice(first.members(), 50)
    )


def test_scales_keep_the_province_proportions() -> None:
    province, medium = SCALES["province"], SCALES["medium"]
    assert (province.organizations, province.branches, province.members, province.posts) == (
        254_620,
        237_998,
        4_578_844,
        352_251,
    )
    assert (
        province.enterprises,
        province.activities,
        province.registrations,
        province.service_records,
    ) == (200_000, 60_000, 2_000_000, 5_000_000)
    assert medium.members >= 1_000_000
    for scale in SCALES.values():
        assert abs(scale.branches / scale.organizations - 237_998 / 254_620) < 0.01
        assert scale.grassroots_committees > 0


def test_id_numbers_pass_the_national_check_for_every_real_county() -> None:
    cities, counties = guangdong()
    assert (len(cities), len(counties)) == (21, 122)
    rng = random.Random(1)
    for county in counties:
        born = dt.date(rng.randrange(1996, 2012), rng.randrange(1, 13), rng.randrange(1, 29))
        area = county.code if county.since <= born.year else county.city_code
        number = id_number(area, born, rng.randrange(1, 999))
        assert ric.is_valid(number), county


def test_people_carry_only_hashes_and_masks(province: SyntheticProvince) -> None:
    for row in itertools.islice(itertools.chain(province.members(), province.people()), 500):
        props = row["props"]
        assert re.fullmatch(r"44\d{4}\*{8}\d{3}[\dX]", props["id_number_masked"])
        assert re.fullmatch(r"1[3-9]\d\*{4}\d{4}", props["phone_masked"])
        assert re.fullmatch(r"[0-9a-f]{64}", props["id_number_hash"])
    hashes = [row["props"]["id_number_hash"] for row in province.members()]
    assert len(set(hashes)) == len(hashes)


def test_usccs_pass_the_national_check_and_are_unique(province: SyntheticProvince) -> None:
    codes = [row["uscc"] for row in province.enterprises()]
    assert all(uscc.is_valid(code) for code in codes)
    assert len(set(codes)) == len(codes) == province.scale.enterprises


async def test_seeded_counts_are_exact(seeded: Store, province: SyntheticProvince) -> None:
    scale = province.scale

    async def total(statement: cypher.Statement) -> int:
        value: int = (await seeded.read(statement, scope=EVERYTHING))[0]["total"]
        return value

    levels = {
        row["level"]: row["organizations"] for row in await seeded.read(organization.COUNT_BY_LEVEL)
    }
    assert levels == {
        1: 1,
        2: scale.cities,
        3: scale.counties,
        4: scale.grassroots_committees,
        5: scale.branches,
    }
    assert sum(levels.values()) == scale.organizations
    assert await total(person.COUNT) == scale.people
    assert await total(member.COUNT) == scale.members
    assert await total(post.COUNT) == scale.posts
    filled = (await seeded.read(post.COUNT_FILLED, scope=EVERYTHING))[0]
    assert (filled["posts"], filled["filled"]) == (scale.posts, scale.posts - scale.vacant_posts)
    assert await total(enterprise.COUNT) == scale.enterprises
    assert await total(federation_org.COUNT) == scale.federation_orgs
    assert await total(activity.COUNT) == scale.activities
    assert await total(registration.COUNT) == scale.registrations
    assert await total(service_record.COUNT) == scale.service_records
    assert await total(transfer.COUNT) == scale.transfers
    assert await total(dues_payment.COUNT) == scale.dues_payments


async def test_health_checks_have_something_to_find(
    seeded: Store, province: SyntheticProvince
) -> None:
    hollow = (await seeded.read(HOLLOW_BRANCHES, scope=EVERYTHING))[0]["n"]
    without_post = (await seeded.read(BRANCHES_WITHOUT_POST, scope=EVERYTHING))[0]["n"]
    assert hollow == province.scale.hollow_branches > 0
    assert without_post == province.scale.branches_without_post > 0


async def test_no_raw_identifier_reaches_the_graph(seeded: Store) -> None:
    """Outside enterprises (whose 18-character USCC is public), nothing looks like an ID."""
    values = (await seeded.read(ALL_TEXT, scope=EVERYTHING))[0]["vs"]
    raw_id = re.compile(r"\b\d{17}[\dX]\b")
    raw_phone = re.compile(r"\b1[3-9]\d{9}\b")
    leaks = [v for v in values if isinstance(v, str) and (raw_id.search(v) or raw_phone.search(v))]
    assert leaks == []


async def test_seeding_again_changes_nothing(store: Store, hasher: IdentityHasher) -> None:
    province = SyntheticProvince(SCALES["tiny"], 11, hasher)
    first = await seed(store, province)
    people = await store.read(person.COUNT, scope=EVERYTHING)
    second = await seed(store, province)
    assert first == second
    assert await store.read(person.COUNT, scope=EVERYTHING) == people
    assert (
        sum(row["organizations"] for row in await store.read(organization.COUNT_BY_LEVEL))
        == province.scale.organizations
    )
