"""Accounts on the seeded province: made with the person's own phone, subtrees from their posts."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import AsyncIterator

import pytest
from argon2 import PasswordHasher

from connectors import IdentityHasher
from connectors.synthetic import SyntheticProvince
from connectors.synthetic.identifiers import phone
from graphdb import Scope, Store
from graphdb import statement as cypher
from graphdb.domain import post
from graphdb.security import account
from graphdb.security.audit import PiiKeys
from hub.auth.accounts import Account, AccountError, Accounts
from hub.auth.clients import Client, SubjectType
from tests.fixtures.sign_on import signing_on

SECRET = "tests-only-pairwise-secret-0123"
PASSWORD = "correct horse battery"
STORED = cypher.read(
    "test.account_properties",
    "MATCH (a:Account {id: $id}) RETURN properties(a) AS props",
    bound=cypher.WHOLE_TREE,
)
UNAPPOINT = cypher.write(
    "test.unappoint",
    """
    MATCH (:Person {id: $person_id})-[s:SERVES_IN]->(p:Post {id: $post_id})
    DELETE s
    SET p.vacant_since = date($vacant_since)
    """,
)


def phone_of(person_id: str) -> str:
    return phone(int(person_id[1:]) - 1)


@pytest.fixture
async def accounts(seeded: Store, hasher: IdentityHasher) -> AsyncIterator[Accounts]:
    async with signing_on(seeded) as store:
        yield Accounts(store, hasher, SECRET)


@pytest.fixture(scope="module")
def posts_held(province: SyntheticProvince) -> dict[str, set[str]]:
    """Person -> the organisations of the posts they hold, from the generator's rows."""
    org_of = {row["id"]: row["organization_id"] for row in province.posts()}
    held: dict[str, set[str]] = defaultdict(set)
    for row in province.appointments():
        held[row["person_id"]].add(org_of[row["post_id"]])
    return held


@pytest.fixture(scope="module")
def branch_of(province: SyntheticProvince) -> dict[str, str]:
    return {row["id"]: row["branch_id"] for row in province.members()}


def client(client_id: str, subject_type: SubjectType = "pairwise") -> Client:
    return Client(client_id, "App", "public", ("openid",), ("https://a/cb",), (), subject_type, 0)


async def test_a_cadre_sees_the_organisations_of_their_posts(
    accounts: Accounts, posts_held: dict[str, set[str]], branch_of: dict[str, str]
) -> None:
    for person_id in sorted(posts_held)[::40]:
        made = await accounts.create(person_id, phone_of(person_id), PASSWORD)
        assert made.person_id == person_id
        assert set(made.orgs) == posts_held[person_id]
        assert made.role == "cadre"
        assert made.branch_id == branch_of.get(person_id)
        assert made.phone_masked == phone_of(person_id)[:3] + "****" + phone_of(person_id)[-4:]
        assert await accounts.by_id(made.id) == made
        assert await accounts.by_person(person_id) == made


async def test_the_subtree_follows_appointments(
    accounts: Accounts, seeded: Store, province: SyntheticProvince, posts_held: dict[str, set[str]]
) -> None:
    vacant = next(row for row in province.posts() if row["vacant_since"] is not None)
    person_id = min(posts_held)
    made = await accounts.create(person_id, phone_of(person_id), PASSWORD)
    appointed = {"post_id": vacant["id"], "person_id": person_id, "since": "2026-01-01"}
    await seeded.write(post.APPOINT, {"rows": [appointed]})
    try:
        now = await accounts.by_id(made.id)
        assert now is not None
        assert set(now.orgs) == posts_held[person_id] | {vacant["organization_id"]}
    finally:
        await seeded.write(
            UNAPPOINT,
            {
                "person_id": person_id,
                "post_id": vacant["id"],
                "vacant_since": vacant["vacant_since"],
            },
        )


async def test_a_member_without_a_post_sees_their_own_record(
    accounts: Accounts, posts_held: dict[str, set[str]], branch_of: dict[str, str]
) -> None:
    person_id = next(p for p in sorted(branch_of) if p not in posts_held)
    made = await accounts.create(person_id, phone_of(person_id), PASSWORD)
    assert (made.role, made.orgs, made.branch_id) == ("member", (), branch_of[person_id])
    assert await accounts.by_phone(phone_of(person_id)) == made
    assert await accounts.by_phone("+86 " + phone_of(person_id)) == made


async def test_the_password_is_checked_and_never_stored(
    accounts: Accounts, seeded: Store, branch_of: dict[str, str]
) -> None:
    person_id = min(branch_of)
    made = await accounts.create(person_id, phone_of(person_id), PASSWORD)
    assert await accounts.verify_password(phone_of(person_id), PASSWORD) == made
    assert await accounts.verify_password(phone_of(person_id), PASSWORD + "!") is None
    assert await accounts.verify_password(phone_of(person_id), "") is None
    assert await accounts.verify_password(phone(10_000_000), PASSWORD) is None  # no account
    assert await accounts.verify_password("12345", PASSWORD) is None  # not a phone
    rows = await seeded.read(STORED, {"id": made.id}, scope=Scope.everything())
    props = rows[0]["props"]
    assert PASSWORD not in repr(props)
    assert phone_of(person_id) not in repr(props)
    assert props["password_hash"].startswith("$argon2id$")


async def test_one_account_per_person_and_a_new_password_replaces_the_old(
    accounts: Accounts, branch_of: dict[str, str]
) -> None:
    person_id = min(branch_of)
    first = await accounts.create(person_id, phone_of(person_id), PASSWORD)
    again = await accounts.create(person_id, phone_of(person_id), "another long password")
    assert again.id == first.id
    assert await accounts.verify_password(phone_of(person_id), PASSWORD) is None
    assert await accounts.verify_password(phone_of(person_id), "another long password") == again


async def test_an_old_hash_is_upgraded_at_sign_in(
    accounts: Accounts, seeded: Store, branch_of: dict[str, str]
) -> None:
    person_id = min(branch_of)
    made = await accounts.create(person_id, phone_of(person_id), PASSWORD)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    await seeded.write(account.SET_PASSWORD_HASH, {"id": made.id, "password_hash": weak})
    assert await accounts.verify_password(phone_of(person_id), PASSWORD) == made
    rows = await seeded.read(STORED, {"id": made.id}, scope=Scope.everything())
    assert rows[0]["props"]["password_hash"] != weak
    assert not PasswordHasher().check_needs_rehash(rows[0]["props"]["password_hash"])
    assert await accounts.verify_password(phone_of(person_id), PASSWORD) == made


async def test_a_disabled_account_cannot_sign_in(
    accounts: Accounts, branch_of: dict[str, str]
) -> None:
    person_id = min(branch_of)
    made = await accounts.create(person_id, phone_of(person_id), PASSWORD)
    assert await accounts.disable(made.id)
    assert await accounts.verify_password(phone_of(person_id), PASSWORD) is None
    found = await accounts.by_id(made.id)
    assert found is not None
    assert found.disabled
    assert not await accounts.disable("a_unknown")


@pytest.mark.parametrize(
    ("password", "phone_index", "person_id", "says"),
    [
        ("short", 0, "P00000001", "at least 10 characters"),
        (PASSWORD, 1, "P00000001", "not the one on record"),
        (PASSWORD, 0, "P99999999", "no person has the id"),
        (PASSWORD, -1, "P00000001", "11-digit"),
    ],
)
async def test_accounts_refused_say_why(
    accounts: Accounts, password: str, phone_index: int, person_id: str, says: str
) -> None:
    typed = "138" if phone_index < 0 else phone(phone_index)
    with pytest.raises(AccountError, match=says) as refused:
        await accounts.create(person_id, typed, password)
    assert typed not in str(refused.value) or phone_index < 0
    assert await accounts.by_phone(phone(0)) is None
    assert await accounts.by_person("P00000001") is None


async def test_subjects_are_pairwise_per_client_and_never_personal_data(
    accounts: Accounts, seeded: Store, hasher: IdentityHasher, branch_of: dict[str, str]
) -> None:
    person_id = min(branch_of)
    made = await accounts.create(person_id, phone_of(person_id), PASSWORD)
    one, two = client("c_aaaaaaaaaaaaaaaa"), client("c_bbbbbbbbbbbbbbbb")
    first = accounts.subject_for(made, one)
    assert first != accounts.subject_for(made, two)
    assert first == Accounts(seeded, hasher, SECRET).subject_for(made, one)  # stable
    assert first != Accounts(seeded, hasher, SECRET + "x").subject_for(made, one)
    assert len(first) == 64
    assert int(first, 16) >= 0
    public = accounts.subject_for(made, client("c_aaaaaaaaaaaaaaaa", "public"))
    assert public == accounts.subject_for(made, client("c_bbbbbbbbbbbbbbbb", "public"))
    rows = await seeded.read(
        cypher.read(
            "test.person_identifiers",
            "MATCH (p:Person {id: $id}) RETURN p.id_number_hash AS id, p.phone_hash AS phone",
            bound=cypher.WHOLE_TREE,
        ),
        {"id": person_id},
        scope=Scope.everything(),
    )
    personal = [rows[0]["id"], rows[0]["phone"], phone_of(person_id), person_id]
    for subject in (first, public):
        assert not any(value in subject or subject in value for value in personal)


async def test_the_phone_hash_for_a_one_time_code(
    accounts: Accounts, hasher: IdentityHasher, branch_of: dict[str, str]
) -> None:
    person_id = min(branch_of)
    made = await accounts.create(person_id, phone_of(person_id), PASSWORD)
    assert await accounts.phone_hash_of(made.id) == hasher.phone(phone_of(person_id)).hash
    assert await accounts.phone_hash_of("a_unknown") is None


def test_an_account_is_a_cadre_when_it_holds_posts() -> None:
    member = Account("a_x", "P1", "Name", "138****0000", (), "ORG0000009")
    assert member.role == "member"
    assert dataclasses.replace(member, orgs=("ORG0000001",)).role == "cadre"


async def test_an_account_is_matched_by_id_number_and_checked_by_phone(
    accounts: Accounts, province: SyntheticProvince, pii_keys: PiiKeys
) -> None:
    person = next(province.people())
    raw_id = pii_keys.sealer.open(person["props"]["id_number_sealed"])
    made = await accounts.register(raw_id, phone_of(person["id"]), PASSWORD)
    assert made.person_id == person["id"]
    assert await accounts.register(raw_id.lower(), phone_of(person["id"]), PASSWORD) == made
    with pytest.raises(AccountError, match="not the one on record"):
        await accounts.register(raw_id, phone_of("P00000002"), PASSWORD)
    wrong_check = raw_id[:-1] + ("0" if raw_id[-1] != "0" else "1")
    with pytest.raises(AccountError) as refused:
        await accounts.register(wrong_check, phone_of(person["id"]), PASSWORD)
    assert wrong_check not in str(refused.value)  # never the raw value in an error
    unknown = "11010519491231002X"  # valid, and nobody's in the province
    with pytest.raises(AccountError, match="no person has this ID number"):
        await accounts.register(unknown, phone_of(person["id"]), PASSWORD)
