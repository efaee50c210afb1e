"""The keys that sign the hub's tokens, published as a JWK Set (RFC 7517 §5) and rotated.

Keys are RS256 (RSA 2048, RFC 7518 §3.3: what the relying platforms take),
named by their RFC 7638 thumbprint, kept in the graph with the private part
sealed (:mod:`graphdb.security.signing_key`). Three states make a rotation
safe for every verifier:

* ``next``: published, signs nothing yet, so whoever caches the JWKS has it
  before the first token it signs;
* ``active``: signs (the most recently activated one, if a crash left two);
* ``retiring``: published until ``retire_after``, so tokens it signed verify
  until they expire, then deleted.

A hub process holds a :class:`KeyCache`: a request uses the cached
:class:`KeyRing` as it is (no database round trip), reloads it once it is
:data:`REFRESH_SECONDS` old, and reloads at most once per
:data:`UNKNOWN_KID_SECONDS` when a token names a key it does not know (one
rotated in by another process), so a flood of made-up ``kid`` costs nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from graphdb import GraphError, Record, Scope, Store
from graphdb.security import signing_key
from graphdb.security.seal import SealBroken, Sealer
from hub.auth.tokens import ALGORITHM, AccessClaims, id_token_audience, verify_access_token
from hub.settings import Settings

KEY_BITS = 2048
SEAL_PURPOSE = "signing-key"
REFRESH_SECONDS = 60
UNKNOWN_KID_SECONDS = 10
STATES = ("active", "next", "retiring")  # also the order of the published keys

log = logging.getLogger("hub.auth.keys")


class SigningKeyError(GraphError):
    """The signing keys in the graph cannot be used; the message says how to fix it."""

    code = "SIGNING_KEYS_UNUSABLE"


def key_sealer(settings: Settings) -> Sealer:
    """The sealer of the private keys: ``HUB_AUTH_SECRET`` with its own purpose."""
    return Sealer(settings.auth_secret.get_secret_value(), SEAL_PURPOSE)


@dataclass(frozen=True)
class StoredKey:
    """One ``SigningKey`` node as the graph holds it; times in epoch milliseconds."""

    kid: str
    state: str
    public: RSAKey = field(repr=False)
    sealed: str = field(repr=False)
    created_at: int
    activated_at: int | None = None
    retire_after: int | None = None

    @classmethod
    def from_record(cls, record: Record) -> StoredKey:
        try:
            public = RSAKey.import_key(json.loads(record["public_jwk"]))
        except (JoseError, TypeError, ValueError):
            raise SigningKeyError(
                f"signing key {record.get('kid')!r} in the graph is not a public RSA JWK: "
                "delete that SigningKey node and run hub keys rotate"
            ) from None
        return cls(
            kid=record["kid"],
            state=record["state"],
            public=public,
            sealed=record["private_jwk_sealed"],
            created_at=record["created_at"],
            activated_at=record.get("activated_at"),
            retire_after=record.get("retire_after"),
        )

    def published(self, now_ms: int) -> bool:
        return self.state in STATES and not (
            self.state == "retiring" and (self.retire_after or 0) <= now_ms
        )

    def jwk(self) -> dict[str, Any]:
        """The public JWK with its ``kid``, ``alg`` and ``use``."""
        return self.public.as_dict(private=False, kid=self.kid, alg=ALGORITHM, use="sig")


class SigningKey(NamedTuple):
    """The private key that signs now, and its ``kid``."""

    key: RSAKey
    kid: str


class KeyRing:
    """The published keys at one instant, and the one that signs; built by :meth:`load`."""

    def __init__(
        self, keys: Sequence[StoredKey], signer: SigningKey | None, *, loaded_at_ms: int
    ) -> None:
        self.keys = tuple(sorted(keys, key=lambda k: (STATES.index(k.state), -k.created_at)))
        self.loaded_at_ms = loaded_at_ms
        self._signer = signer
        self._by_kid = {k.kid: k.public for k in self.keys}

    @classmethod
    async def load(cls, store: Store, sealer: Sealer, *, now_ms: int) -> KeyRing:
        """Every published key, in one round trip; the signing key's private part opened."""
        rows = await store.read(signing_key.ALL, scope=Scope.everything())
        keys = [StoredKey.from_record(row["key"]) for row in rows]
        keys = [k for k in keys if k.published(now_ms)]
        active = _newest(k for k in keys if k.state == "active")
        signer = None if active is None else SigningKey(_open(active, sealer), active.kid)
        return cls(keys, signer, loaded_at_ms=now_ms)

    @classmethod
    async def ensure(cls, store: Store, sealer: Sealer, *, now_ms: int) -> KeyRing:
        """The ring, after creating what is missing: at first start an active and a next key.

        Safe when several processes start together: the first keys are written
        only into a graph that holds none (:data:`signing_key.BOOTSTRAP`), and a
        ring tolerates two active or next keys anyway (the newest one wins).
        """
        ring = await cls.load(store, sealer, now_ms=now_ms)
        if await _repair(store, sealer, ring, now_ms):
            ring = await cls.load(store, sealer, now_ms=now_ms)
        return ring

    def signing_key(self) -> SigningKey:
        """The active private key and its kid; :class:`SigningKeyError` if there is none."""
        if self._signer is None:
            raise SigningKeyError(
                "the graph holds no active signing key: start the hub or run hub keys rotate"
            )
        return self._signer

    @property
    def active(self) -> SigningKey | None:
        """The signing key, or None while the graph holds no active key."""
        return self._signer

    @property
    def next_key(self) -> StoredKey | None:
        return _newest(k for k in self.keys if k.state == "next")

    def jwks(self) -> dict[str, list[dict[str, Any]]]:
        """The JWK Set to publish: active, next and retiring keys, public parts only."""
        return {"keys": [k.jwk() for k in self.keys]}

    def verification_key(self, kid: str) -> RSAKey | None:
        """The public key named ``kid``, if it is published."""
        return self._by_kid.get(kid)


class KeyCache:
    """The ring of one hub process: used as it is, reloaded when stale or asked for a new kid.

    Times default to the clock; tests pass them. A reload that fails (graph
    down) keeps the ring it has and tries again after :data:`UNKNOWN_KID_SECONDS`;
    only the first load raises.
    """

    def __init__(self, store: Store, sealer: Sealer, settings: Settings) -> None:
        self._store = store
        self._sealer = sealer
        self._settings = settings
        self._ring: KeyRing | None = None
        self._fresh_until = 0
        self._kid_reloaded_at: int | None = None
        self._lock = asyncio.Lock()

    async def ensure(self, *, now_ms: int | None = None) -> KeyRing:
        """Create the keys the graph lacks (at first start) and hold the ring; at start-up."""
        now_ms = _now_ms() if now_ms is None else now_ms
        async with self._lock:
            ring = await KeyRing.ensure(self._store, self._sealer, now_ms=now_ms)
            self._hold(ring, now_ms)
            return ring

    async def current(self, *, now_ms: int | None = None) -> KeyRing:
        """The cached ring; reloaded first when it is :data:`REFRESH_SECONDS` old."""
        now_ms = _now_ms() if now_ms is None else now_ms
        ring = self._ring
        if ring is not None and now_ms < self._fresh_until:
            return ring
        async with self._lock:
            if self._ring is None or now_ms >= self._fresh_until:
                await self._reload(now_ms)
            assert self._ring is not None
            return self._ring

    async def verification_key(self, kid: str, *, now_ms: int | None = None) -> RSAKey | None:
        """The public key named ``kid``; an unknown one reloads the ring, once per 10 s at most."""
        now_ms = _now_ms() if now_ms is None else now_ms
        key = (await self.current(now_ms=now_ms)).verification_key(kid)
        if key is not None or not self._may_look_again(now_ms):
            return key
        async with self._lock:
            assert self._ring is not None
            key = self._ring.verification_key(kid)
            if key is None and self._may_look_again(now_ms):
                self._kid_reloaded_at = now_ms
                await self._reload(now_ms)
                key = self._ring.verification_key(kid)
        return key

    async def verify(self, token: str, *, now_s: int | None = None) -> AccessClaims:
        """An access token of this hub (its issuer, its audience) verified; see ``tokens``."""
        return await verify_access_token(
            self,
            token,
            issuer=self._settings.issuer_url,
            audience=self._settings.token_audience,
            now_s=int(time.time()) if now_s is None else now_s,
        )

    async def audience_of_id_token(self, token: str, *, now_s: int | None = None) -> str | None:
        """The client an ID token of this hub names (an ``id_token_hint``), expired or not."""
        return await id_token_audience(
            self,
            token,
            issuer=self._settings.issuer_url,
            now_s=int(time.time()) if now_s is None else now_s,
        )

    def _may_look_again(self, now_ms: int) -> bool:
        last = self._kid_reloaded_at
        return last is None or not 0 <= now_ms - last < UNKNOWN_KID_SECONDS * 1000

    async def _reload(self, now_ms: int) -> None:
        try:
            ring = await KeyRing.load(self._store, self._sealer, now_ms=now_ms)
        except GraphError as error:
            if self._ring is None:
                raise
            log.warning("signing keys not reloaded, keeping those loaded: %s", error)
            self._fresh_until = now_ms + UNKNOWN_KID_SECONDS * 1000
        else:
            self._hold(ring, now_ms)

    def _hold(self, ring: KeyRing, now_ms: int) -> None:
        self._ring = ring
        self._fresh_until = now_ms + REFRESH_SECONDS * 1000


@dataclass(frozen=True)
class RotationReport:
    """What a rotation changed, and the ring after it."""

    activated: str | None  # the kid that signs from now on; None if no next key was ready
    retiring: tuple[str, ...]  # kids that stopped signing now
    retire_after: int | None  # when they leave the JWKS (epoch ms)
    deleted: tuple[str, ...]  # retiring kids whose time was up
    created: tuple[str, ...]  # new keys (the next one)
    ring: KeyRing


async def rotate(
    store: Store, sealer: Sealer, *, now_ms: int, longest_lifetime_ms: int
) -> RotationReport:
    """The next key signs, the active one retires, expired ones go, a new next is published.

    The retiring key stays published for ``longest_lifetime_ms`` (the longest
    token lifetime) plus :data:`REFRESH_SECONDS`, since other processes may
    sign with it until their ring reloads. Each step is one statement, ordered
    so that a crash between two never leaves no active key: promote (two
    actives, the newest signs), retire the others, delete expired, create next.
    Without a published next key nothing is promoted: one is created for the
    next rotation.
    """
    ring = await KeyRing.load(store, sealer, now_ms=now_ms)
    upcoming = ring.next_key
    if upcoming is None or ring.active is None:
        return await _without_rotating(store, sealer, ring, now_ms)
    await store.write(signing_key.PROMOTE, {"kid": upcoming.kid, "now": now_ms})
    retire_after = now_ms + longest_lifetime_ms + REFRESH_SECONDS * 1000
    retired = await store.write(
        signing_key.RETIRE, {"keep": upcoming.kid, "retire_after": retire_after}
    )
    deleted = await store.write(signing_key.DELETE_RETIRED, {"now": now_ms})
    created: tuple[str, ...] = ()
    if not any(k.state == "next" and k.kid != upcoming.kid for k in ring.keys):
        created = (await _create(store, sealer, "next", now_ms),)
    return RotationReport(
        activated=upcoming.kid,
        retiring=tuple(row["kid"] for row in retired),
        retire_after=retire_after if retired else None,
        deleted=tuple(row["kid"] for row in deleted),
        created=created,
        ring=await KeyRing.load(store, sealer, now_ms=now_ms),
    )


async def _without_rotating(
    store: Store, sealer: Sealer, ring: KeyRing, now_ms: int
) -> RotationReport:
    """A rotation with nothing to promote safely: create what is missing, and say so."""
    signed_by = ring.active.kid if ring.active else None
    known = {k.kid for k in ring.keys}
    await _repair(store, sealer, ring, now_ms)
    ring = await KeyRing.load(store, sealer, now_ms=now_ms)
    activated = ring.active.kid if ring.active else None
    created = tuple(k.kid for k in ring.keys if k.kid not in known)
    return RotationReport(
        None if activated == signed_by else activated, (), None, (), created, ring
    )


async def _repair(store: Store, sealer: Sealer, ring: KeyRing, now_ms: int) -> bool:
    """Create what a ring lacks (the first keys, an active, a next); whether anything changed."""
    if not ring.keys:
        rows = [await _generate(sealer, state, now_ms) for state in ("active", "next")]
        await store.write(signing_key.BOOTSTRAP, {"rows": rows})
        return True
    changed = False
    upcoming = ring.next_key
    if ring.active is None:
        changed = True
        if upcoming is not None:
            await store.write(signing_key.PROMOTE, {"kid": upcoming.kid, "now": now_ms})
            upcoming = None
        else:
            await _create(store, sealer, "active", now_ms)
    if upcoming is None:
        changed = True
        await _create(store, sealer, "next", now_ms)
    return changed


async def _create(store: Store, sealer: Sealer, state: str, now_ms: int) -> str:
    row = await _generate(sealer, state, now_ms)
    await store.write(signing_key.CREATE, {"kid": row["kid"], "props": row["props"]})
    kid: str = row["kid"]
    return kid


async def _generate(sealer: Sealer, state: str, now_ms: int) -> dict[str, Any]:
    """A new RSA key as a row for the graph: its thumbprint, public JWK, sealed private JWK."""
    key = await asyncio.to_thread(RSAKey.generate_key, KEY_BITS)
    kid = key.thumbprint()
    named = {"kid": kid, "alg": ALGORITHM, "use": "sig"}
    props: dict[str, Any] = {
        "alg": ALGORITHM,
        "state": state,
        "public_jwk": json.dumps(key.as_dict(private=False, **named)),
        "private_jwk_sealed": sealer.seal(json.dumps(key.as_dict(private=True, **named))),
        "created_at": now_ms,
    }
    if state == "active":
        props["activated_at"] = now_ms
    return {"kid": kid, "props": props}


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _newest(keys: Iterable[StoredKey]) -> StoredKey | None:
    return max(keys, key=lambda k: (k.activated_at or 0, k.created_at, k.kid), default=None)


def _open(stored: StoredKey, sealer: Sealer) -> RSAKey:
    try:
        private = RSAKey.import_key(json.loads(sealer.open(stored.sealed)))
        if not private.is_private:
            raise ValueError("a public key")
    except SealBroken:
        raise SigningKeyError(
            "the signing keys in the graph were sealed with another HUB_AUTH_SECRET: set the "
            "secret they were sealed with (deleting the SigningKey nodes instead voids every "
            "token issued so far)"
        ) from None
    except (JoseError, TypeError, ValueError):
        raise SigningKeyError(
            f"signing key {stored.kid!r} does not open as a private RSA JWK: delete that "
            "SigningKey node and run hub keys rotate"
        ) from None
    return private
