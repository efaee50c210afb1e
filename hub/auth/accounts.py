"""Accounts: the people who sign in (一号通), and what their place in the league lets them see.

An account belongs to one ``Person``, and is made only with that person's own
phone: identity was verified by phone, so the phone typed must hash (with the
hub's PII key, ``connectors.IdentityHasher``) to the ``phone_hash`` on record.
A person has one account at most. Passwords are Argon2id hashes (RFC 9106),
computed in a worker thread so the event loop never waits on one.

What an account sees follows the graph, read at every look-up: a cadre sees the
subtrees of the organisations of the posts they hold (a province administrator
holds a post in the root), a member sees their own record (``branch_id``).

The ``sub`` a client receives (OIDC Core §8) is never the ID number or the
phone: for ``public`` clients it is the account id (random, the same for every
client), for ``pairwise`` ones an HMAC-SHA256 of the client id and account id
under a secret setting, so that two clients cannot link their users.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from connectors import IdentityHasher
from connectors.identity import InvalidIdentifier
from graphdb import Scope, Store
from graphdb.security import account as cypher
from hub.auth.clients import Client

MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # hashing megabytes per attempt would be a cheap denial of service
Role = Literal["cadre", "member"]
_ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"

_hasher = PasswordHasher()  # Argon2id, RFC 9106 low-memory profile


class AccountError(ValueError):
    """An account the hub will not make; the message says what to do instead."""

    code = "ACCOUNT_REFUSED"


@dataclass(frozen=True)
class Account:
    """A person who can sign in, with what the graph says they may see today."""

    id: str
    person_id: str
    name: str
    phone_masked: str
    orgs: tuple[str, ...]  # organisations of the posts held: the cadre's subtree roots
    branch_id: str | None  # the member's branch
    disabled_at: int | None = None

    @property
    def role(self) -> Role:
        return "cadre" if self.orgs else "member"

    @property
    def disabled(self) -> bool:
        return self.disabled_at is not None


class Accounts:
    """Makes accounts, checks passwords, and names each account to each client."""

    def __init__(self, store: Store, hasher: IdentityHasher, pairwise_secret: str) -> None:
        if len(pairwise_secret) < 16:
            raise ValueError("the pairwise secret must be at least 16 characters")
        self._store = store
        self._hasher = hasher
        self._pairwise = pairwise_secret.encode()
        self._dummy_hash: str | None = None

    async def create(self, person_id: str, phone: str, password: str) -> Account:
        """The person's account, made or given this password again.

        Refuses a short password, a phone that is not the person's, and a phone
        another person's account already uses.
        """
        _check_password(password)
        phone_hash = self._phone_hash(phone)
        if phone_hash is None:
            raise AccountError("the phone is not an 11-digit mainland mobile number")
        rows = await self._store.read(
            cypher.PERSON, {"person_id": person_id}, scope=Scope.everything()
        )
        if not rows:
            raise AccountError(f"no person has the id {person_id!r}: check the person's key")
        if not rows[0]["phone_hash"] or not hmac.compare_digest(rows[0]["phone_hash"], phone_hash):
            raise AccountError(
                "this phone is not the one on record for the person: use the phone they "
                "registered with, or have their record corrected first"
            )
        holder = await self._record_by_phone(phone_hash)
        if holder is not None and holder["person_id"] != person_id:
            raise AccountError("another person's account uses this phone: disable that one first")
        password_hash = await anyio.to_thread.run_sync(_hasher.hash, password)
        written = await self._store.write(
            cypher.UPSERT,
            {
                "person_id": person_id,
                "id": rows[0]["account_id"] or _new_id(),
                "now": _now(),
                "phone_hash": phone_hash,
                "password_hash": password_hash,
            },
        )
        made = await self.by_id(written[0]["id"])
        assert made is not None  # just written
        return made

    async def register(self, id_number: str, phone: str, password: str) -> Account:
        """The account of the person whose ID number this is, checked against their phone
        (身份证号 + 手机号 双重校验); the raw ID number is hashed and never kept."""
        try:
            protected = self._hasher.id_number(id_number)
        except InvalidIdentifier as error:
            raise AccountError(str(error)) from None
        rows = await self._store.read(
            cypher.PERSON_BY_ID_NUMBER,
            {"id_number_hash": protected.hash},
            scope=Scope.everything(),
        )
        if len(rows) != 1:
            raise AccountError(
                "no person has this ID number on record: check it, or have their record "
                "synced first"
                if not rows
                else "several people have this ID number on record: have them merged first"
            )
        return await self.create(rows[0]["person_id"], phone, password)

    async def by_phone(self, phone: str) -> Account | None:
        """The account signed in with this phone, if any."""
        phone_hash = self._phone_hash(phone)
        record = await self._record_by_phone(phone_hash) if phone_hash else None
        return _account(record) if record else None

    async def by_id(self, account_id: str) -> Account | None:
        if not isinstance(account_id, str) or not account_id:
            return None
        rows = await self._store.read(cypher.BY_ID, {"id": account_id}, scope=Scope.everything())
        return _account(rows[0]) if rows else None

    async def by_person(self, person_id: str) -> Account | None:
        """The account of this person (a token names its person), if they have one."""
        if not isinstance(person_id, str) or not person_id:
            return None
        rows = await self._store.read(
            cypher.BY_PERSON, {"person_id": person_id}, scope=Scope.everything()
        )
        return _account(rows[0]) if rows else None

    async def phone_hash_of(self, account_id: str) -> str | None:
        """The keyed hash of the account's phone: to check the phone a person types for a code."""
        rows = await self._store.read(cypher.BY_ID, {"id": account_id}, scope=Scope.everything())
        return rows[0]["phone_hash"] if rows else None

    async def verify_password(self, phone: str, password: str) -> Account | None:
        """The account if the password is right and the account enabled; else None.

        An unknown phone costs the same Argon2 work as a known one, so the time
        taken does not tell which phones have accounts.
        """
        if not isinstance(password, str) or len(password) > MAX_PASSWORD:
            return None
        phone_hash = self._phone_hash(phone)
        record = await self._record_by_phone(phone_hash) if phone_hash else None
        stored = record["password_hash"] if record else await self._dummy()
        good = await anyio.to_thread.run_sync(_verify, stored, password)
        if record is None or not good or record["disabled_at"] is not None:
            return None
        if _hasher.check_needs_rehash(stored):
            rehashed = await anyio.to_thread.run_sync(_hasher.hash, password)
            await self._store.write(
                cypher.SET_PASSWORD_HASH, {"id": record["id"], "password_hash": rehashed}
            )
        return _account(record)

    async def disable(self, account_id: str) -> bool:
        """Stop an account signing in (kept, so its subjects stay unique); False if unknown."""
        rows = await self._store.write(cypher.DISABLE, {"id": account_id, "now": _now()})
        return bool(rows)

    def subject_for(self, account: Account, client: Client) -> str:
        """The ``sub`` claim for this client (OIDC Core §8): public or pairwise, never PII.

        Pairwise: hex HMAC-SHA256 of client id + account id; client ids have one
        fixed length, so the concatenation is unambiguous.
        """
        if client.subject_type == "pairwise":
            message = (client.client_id + account.id).encode()
            return hmac.new(self._pairwise, message, hashlib.sha256).hexdigest()
        return account.id

    def _phone_hash(self, phone: str) -> str | None:
        try:
            return self._hasher.phone(phone).hash if isinstance(phone, str) else None
        except InvalidIdentifier:
            return None

    async def _record_by_phone(self, phone_hash: str) -> dict[str, Any] | None:
        rows = await self._store.read(
            cypher.BY_PHONE, {"phone_hash": phone_hash}, scope=Scope.everything()
        )
        return rows[0] if rows else None

    async def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = await anyio.to_thread.run_sync(
                _hasher.hash, secrets.token_urlsafe(16)
            )
        return self._dummy_hash


def _check_password(password: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise AccountError(
            f"a password needs at least {MIN_PASSWORD} characters: choose a longer one "
            "(a few unrelated words work well)"
        )
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"a password has at most {MAX_PASSWORD} characters")


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _account(record: Mapping[str, Any]) -> Account:
    return Account(
        id=record["id"],
        person_id=record["person_id"],
        name=record["name"] or "",
        phone_masked=record["phone_masked"] or "",
        orgs=tuple(sorted(record["orgs"] or ())),
        branch_id=record["branch_id"],
        disabled_at=record["disabled_at"],
    )


def _new_id() -> str:
    return "a_" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(16))


def _now() -> int:
    return int(time.time() * 1000)
