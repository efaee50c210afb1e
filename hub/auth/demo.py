"""``hub demo`` sign-on: four accounts and a partner client in the synthetic province.

On first start the demo gives accounts to a province administrator (a person
holding a post in the root), a city cadre (a post at level 2), a township cadre
(a post at level 4, in the same city) and a member with no post (in that
township), and registers ``demo-partner``, a confidential client allowed
``org:read member:read`` on the city's subtree. Where nobody holds a post at a
level, a vacant post there is filled, or a post made, with a person holding none.

Each account's phone is the person's real one: the synthetic generator gives
person ``P{n:08d}`` the phone ``identifiers.phone(n - 1)``, and that phone is
checked against the person's hash before it is used. Passwords are random and
readable. Everything is written to ``demo-credentials.json`` in the data
directory (mode 0600), in the shape::

    {"accounts": [{"role", "phone", "password", "org"}],
     "clients": [{"client_id", "client_secret", "scopes"}]}

``role`` is ``province_admin``, ``city_cadre``, ``township_cadre`` or
``member``; ``org`` reads "name (id)", e.g. "共青团广州市委员会 (ORG0000002)": the
organisation of the post, or the member's branch. A later start reads the file
back and provisions nothing, as long as its accounts and client are still in the
graph; otherwise it provisions again (new passwords, a new client secret).
"""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import anyio.to_thread

from connectors import IdentityHasher
from connectors.synthetic.identifiers import phone as synthetic_phone
from graphdb import Provenance, Scope, Store
from graphdb.domain import post
from graphdb.security import account as cypher
from hub.auth.accounts import Accounts
from hub.auth.clients import ClientRegistry

CREDENTIALS_FILE = "demo-credentials.json"
PARTNER_NAME = "demo-partner"
PARTNER_SCOPES = ("org:read", "member:read")
ROLES = ("province_admin", "city_cadre", "township_cadre", "member")
_CANDIDATES = 50
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


class DemoError(RuntimeError):
    """The demo graph has no one to give an account to; the message says what to do."""


@dataclass(frozen=True)
class DemoAccount:
    role: str
    phone: str
    password: str
    org: str


@dataclass(frozen=True)
class DemoClient:
    client_id: str
    client_secret: str
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class DemoCredentials:
    accounts: tuple[DemoAccount, ...]
    clients: tuple[DemoClient, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "accounts": [asdict(a) for a in self.accounts],
            "clients": [{**asdict(c), "scopes": list(c.scopes)} for c in self.clients],
        }

    def summary(self) -> list[str]:
        """One line per account and client: what ``hub demo`` prints."""
        return [
            *(
                f"{a.role.replace('_', ' ')} of {a.org}: phone {a.phone}, password {a.password}"
                for a in self.accounts
            ),
            *(
                f"partner client {c.client_id} ({' '.join(c.scopes)}): secret {c.client_secret}"
                for c in self.clients
            ),
        ]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DemoCredentials:
        return cls(
            accounts=tuple(DemoAccount(**a) for a in data["accounts"]),
            clients=tuple(
                DemoClient(c["client_id"], c["client_secret"], tuple(c["scopes"]))
                for c in data["clients"]
            ),
        )


async def provision_demo(
    store: Store,
    hasher: IdentityHasher,
    data_dir: Path,
    registry: ClientRegistry,
    accounts: Accounts,
) -> DemoCredentials:
    """The demo's credentials: read from ``data_dir`` if still good, else provisioned and saved."""
    path = data_dir / CREDENTIALS_FILE
    known = await anyio.to_thread.run_sync(_read, path)
    if known is not None and await _still_good(known, registry, accounts):
        return known
    picker = _Picker(store, hasher)
    root = await picker.root()
    admin = await picker.cadre(level=1, under=root)
    city = await picker.cadre(level=2, under=root)
    township = await picker.cadre(level=4, under=city.organization_id)
    member = await picker.member(under=township.organization_id, root=root)
    made = []
    for role, chosen in zip(ROLES, (admin, city, township, member), strict=True):
        password = _password()
        await accounts.create(chosen.person_id, chosen.phone, password)
        made.append(DemoAccount(role, chosen.phone, password, chosen.organization))
    for old in await registry.list():  # an earlier demo's client, whose secret is lost
        if old.name == PARTNER_NAME and not old.revoked:
            await registry.revoke(old.client_id)
    client, secret = await registry.add(
        PARTNER_NAME, "confidential", PARTNER_SCOPES, subtree=(city.organization_id,)
    )
    assert secret is not None  # confidential
    credentials = DemoCredentials(
        tuple(made), (DemoClient(client.client_id, secret, client.scopes),)
    )
    await anyio.to_thread.run_sync(_write, path, credentials)
    return credentials


@dataclass(frozen=True)
class _Chosen:
    person_id: str
    phone: str
    organization_id: str
    organization: str  # "name (id)"


class _Picker:
    """Chooses the demo's people, in a stable order, and their phones."""

    def __init__(self, store: Store, hasher: IdentityHasher) -> None:
        self._store = store
        self._hasher = hasher
        self._taken: set[str] = set()

    async def _read(self, statement: Any, **params: Any) -> list[dict[str, Any]]:
        return await self._store.read(statement, params, scope=Scope.everything())

    async def root(self) -> str:
        rows = await self._read(cypher.ROOT)
        if not rows:
            raise DemoError("the graph has no organisations: seed it first (hub seed)")
        root: str = rows[0]["id"]
        return root

    async def cadre(self, level: int, under: str) -> _Chosen:
        posts = await self._read(cypher.POSTS_UNDER, under=under, level=level, limit=_CANDIDATES)
        for row in posts:
            chosen = await self._choose(row["holder_id"], row)
            if chosen is not None:
                return chosen
        # Nobody we can use holds a post at this level: fill a vacant one, or make one.
        vacant = next((row for row in posts if row["holder_id"] is None), None)
        if vacant is None:
            vacant = await self._new_post(level, under)
        for row in await self._read(cypher.PEOPLE_WITHOUT_POST, limit=_CANDIDATES):
            chosen = await self._choose(row["person_id"], vacant)
            if chosen is not None:
                await self._store.write(
                    post.APPOINT,
                    {
                        "rows": [
                            {
                                "post_id": vacant["post_id"],
                                "person_id": chosen.person_id,
                                "since": time.strftime("%Y-%m-%d"),
                            }
                        ]
                    },
                )
                return chosen
        raise DemoError(
            "no person in the graph has a phone the demo can sign in with: "
            "seed the synthetic province (hub seed) into an empty graph"
        )

    async def member(self, under: str, root: str) -> _Chosen:
        for top in (under, root):
            rows = await self._read(cypher.MEMBERS_WITHOUT_POST_UNDER, under=top, limit=_CANDIDATES)
            for row in rows:
                place = {
                    "organization_id": row["branch_id"],
                    "organization_name": row["branch_name"],
                }
                chosen = await self._choose(row["person_id"], place)
                if chosen is not None:
                    return chosen
        raise DemoError("the graph has no member without a post to give a demo account to")

    async def _choose(self, person_id: str | None, place: dict[str, Any]) -> _Chosen | None:
        if person_id is None or person_id in self._taken:
            return None
        phone = await self._phone_of(person_id)
        if phone is None:
            return None
        self._taken.add(person_id)
        org_id = place["organization_id"]
        return _Chosen(person_id, phone, org_id, f"{place['organization_name']} ({org_id})")

    async def _phone_of(self, person_id: str) -> str | None:
        """The synthetic phone of ``P{n:08d}``, if the person's hash says it is theirs."""
        if not (person_id.startswith("P") and person_id[1:].isdigit()):
            return None
        candidate = synthetic_phone(int(person_id[1:]) - 1)
        rows = await self._read(cypher.PERSON, person_id=person_id)
        known = rows[0]["phone_hash"] if rows else None
        return candidate if known == self._hasher.phone(candidate).hash else None

    async def _new_post(self, level: int, under: str) -> dict[str, Any]:
        orgs = await self._read(cypher.ORGANIZATIONS_UNDER, under=under, level=level)
        if not orgs:
            raise DemoError(f"the graph has no organisation at level {level}: seed it first")
        org = orgs[0]
        post_id = f"POST-DEMO-{org['id']}"
        row = {
            "id": post_id,
            "organization_id": org["id"],
            "vacant_since": time.strftime("%Y-%m-%d"),
            "props": {"title": "secretary", "mode": "full_time"},
        }
        await self._store.write(
            post.UPSERT, {"rows": [row]}, provenance=Provenance("demo", int(time.time() * 1000))
        )
        return {"post_id": post_id, "organization_id": org["id"], "organization_name": org["name"]}


async def _still_good(
    credentials: DemoCredentials, registry: ClientRegistry, accounts: Accounts
) -> bool:
    """The saved accounts and client still exist (the graph may have been wiped since)."""
    for saved in credentials.clients:
        client = await registry.get(saved.client_id)
        if client is None or client.revoked:
            return False
    for demo_account in credentials.accounts:
        found = await accounts.by_phone(demo_account.phone)
        if found is None or found.disabled:
            return False
    return True


def _read(path: Path) -> DemoCredentials | None:
    try:
        return DemoCredentials.from_json(json.loads(path.read_text()))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent or damaged: provision again


def _write(path: Path, credentials: DemoCredentials) -> None:
    """Write the file readable by its owner only, replacing any earlier one whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(credentials.to_json(), file, ensure_ascii=False, indent=2)
        file.write("\n")
    os.replace(partial, path)


def _password() -> str:
    """Four groups of four readable characters: 16 characters, about 80 bits."""
    groups = ("".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(4))
    return "-".join(groups)
