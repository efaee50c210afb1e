"""``hub demo`` sign-on: four accounts and a partner client, provisioned once, on real people."""

from __future__ import annotations

import json
import os
import stat
from collections import defaultdict
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from connectors import IdentityHasher
from connectors.synthetic import SyntheticProvince
from connectors.synthetic.identifiers import person_id, phone
from graphdb import Provenance, Store
from graphdb.domain import member, organization, person
from hub.auth.accounts import Accounts
from hub.auth.clients import ClientRegistry
from hub.auth.demo import CREDENTIALS_FILE, DemoCredentials, provision_demo
from tests.fixtures.sign_on import signing_on

SECRET = "tests-only-pairwise-secret-0123"
Parts = tuple[Store, ClientRegistry, Accounts]


@pytest.fixture
async def parts(seeded: Store, hasher: IdentityHasher) -> AsyncIterator[Parts]:
    async with signing_on(seeded) as store:
        yield store, ClientRegistry(store), Accounts(store, hasher, SECRET)


async def provision(parts: Parts, hasher: IdentityHasher, data_dir: Path) -> DemoCredentials:
    store, registry, accounts = parts
    return await provision_demo(store, hasher, data_dir, registry, accounts)


async def test_the_demo_signs_in_as_four_people_of_one_city(
    parts: Parts, hasher: IdentityHasher, data_dir: Path, province: SyntheticProvince
) -> None:
    _, registry, accounts = parts
    credentials = await provision(parts, hasher, data_dir)
    level = {org.id: org.level for org in province.tree.orgs}
    parent = {
        org.id: province.tree.orgs[org.parent].id for org in province.tree.orgs if org.parent >= 0
    }
    org_of = {row["id"]: row["organization_id"] for row in province.posts()}
    held: dict[str, set[str]] = defaultdict(set)
    for row in province.appointments():
        held[row["person_id"]].add(org_of[row["post_id"]])
    branch_of = {row["id"]: row["branch_id"] for row in province.members()}

    def chain(org: str) -> list[str]:
        return [org, *chain(parent[org])] if org in parent else [org]

    signed_in = {}
    for demo in credentials.accounts:
        found = await accounts.verify_password(demo.phone, demo.password)
        assert found is not None, demo.role
        assert found.orgs == tuple(sorted(held.get(found.person_id, ()))), demo.role
        signed_in[demo.role] = found
        assert demo.org.endswith(")")
        assert "(ORG" in demo.org
    admin, city, township, one = (
        signed_in[r] for r in ("province_admin", "city_cadre", "township_cadre", "member")
    )
    assert [level[o] for o in admin.orgs] == [1]
    assert [level[o] for o in city.orgs] == [2]
    assert [level[o] for o in township.orgs] == [4]
    assert city.orgs[0] in chain(township.orgs[0])
    assert one.role == "member"
    assert one.person_id not in held
    assert one.branch_id is not None
    assert one.branch_id == branch_of[one.person_id]
    assert township.orgs[0] in chain(one.branch_id)
    assert len({a.person_id for a in signed_in.values()}) == 4
    (partner,) = credentials.clients
    client = await registry.get(partner.client_id)
    assert client is not None
    assert client.check_client_secret(partner.client_secret)
    assert client.name == "demo-partner"
    assert client.client_type == "confidential"
    assert client.scopes == partner.scopes == ("org:read", "member:read")
    assert client.subtree == city.orgs


async def test_the_credentials_file_is_private_and_shaped_as_documented(
    parts: Parts, hasher: IdentityHasher, data_dir: Path
) -> None:
    credentials = await provision(parts, hasher, data_dir)
    path = data_dir / CREDENTIALS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = json.loads(path.read_text())
    assert set(saved) == {"accounts", "clients"}
    assert [set(a) for a in saved["accounts"]] == [{"role", "phone", "password", "org"}] * 4
    assert [a["role"] for a in saved["accounts"]] == [
        "province_admin",
        "city_cadre",
        "township_cadre",
        "member",
    ]
    assert all(len(a["password"]) >= 10 for a in saved["accounts"])
    assert [set(c) for c in saved["clients"]] == [{"client_id", "client_secret", "scopes"}]
    assert saved["clients"][0]["scopes"] == ["org:read", "member:read"]
    assert DemoCredentials.from_json(saved) == credentials
    lines = credentials.summary()
    assert lines[0].startswith("province admin of ")
    assert all(a.password in line for a, line in zip(credentials.accounts, lines, strict=False))
    assert [p.name for p in os.scandir(data_dir)] == [CREDENTIALS_FILE]  # no partial file


async def test_a_second_start_finds_the_same_credentials(
    parts: Parts, hasher: IdentityHasher, data_dir: Path
) -> None:
    _, registry, _ = parts
    first = await provision(parts, hasher, data_dir)
    assert await provision(parts, hasher, data_dir) == first
    assert len(await registry.list()) == 1


async def test_lost_credentials_are_provisioned_again(
    parts: Parts, hasher: IdentityHasher, data_dir: Path
) -> None:
    _, registry, accounts = parts
    first = await provision(parts, hasher, data_dir)
    (data_dir / CREDENTIALS_FILE).write_text("{not json")
    again = await provision(parts, hasher, data_dir)
    assert [a.phone for a in again.accounts] == [a.phone for a in first.accounts]
    assert again.clients[0].client_id != first.clients[0].client_id
    old = await registry.get(first.clients[0].client_id)
    assert old is not None
    assert old.revoked
    for before, now in zip(first.accounts, again.accounts, strict=True):
        assert await accounts.verify_password(now.phone, before.password) is None
        assert await accounts.verify_password(now.phone, now.password) is not None


async def test_posts_are_filled_where_nobody_holds_one(
    store: Store, hasher: IdentityHasher, data_dir: Path
) -> None:
    """A tree with no posts at all: the demo makes one at each level and appoints someone."""
    provenance = Provenance("test", 0)
    orgs = [(f"ORG000000{n}", n, f"Level {n}") for n in range(1, 6)]
    for org_id, level, name in orgs:
        row = {
            "id": org_id,
            "parent_id": f"ORG000000{level - 1}" if level > 1 else None,
            "founded_on": "2000-01-01",
            "props": {"name": name, "level": level},
        }
        upsert = organization.UPSERT_ROOT if level == 1 else organization.UPSERT
        await store.write(upsert, {"rows": [row]}, provenance=provenance)

    def someone(index: int) -> dict[str, object]:
        protected = hasher.phone(phone(index))
        return {
            "id": person_id(index),
            "birth_date": "1990-01-01",
            "props": {
                "name": f"Person {index}",
                "phone_hash": protected.hash,
                "phone_masked": protected.masked,
            },
        }

    await store.write(
        person.UPSERT, {"rows": [someone(i) for i in range(1, 4)]}, provenance=provenance
    )
    young = {**someone(0), "branch_id": "ORG0000005", "joined_on": "2020-01-01"}
    await store.write(member.UPSERT, {"rows": [young]}, provenance=provenance)
    accounts = Accounts(store, hasher, SECRET)
    credentials = await provision_demo(store, hasher, data_dir, ClientRegistry(store), accounts)
    orgs_of = {}
    for demo in credentials.accounts:
        found = await accounts.verify_password(demo.phone, demo.password)
        assert found is not None
        orgs_of[demo.role] = found.orgs or (found.branch_id,)
    assert orgs_of == {
        "province_admin": ("ORG0000001",),
        "city_cadre": ("ORG0000002",),
        "township_cadre": ("ORG0000004",),
        "member": ("ORG0000005",),
    }
