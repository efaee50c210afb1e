"""What sign-on keeps in Redis: codes, sessions, one-time SMS codes, rate limits, revocations.

Redis is the embedded engine in embedded mode and Redis 7 in production; every
hub process shares it, so a code issued by one process is redeemed by another.
Redis is fast but forgetful, so the revocation list is also written to the
graph first (``graphdb.security.revocation``): a marker key says the list was
loaded, and a Redis that restarted without it is reloaded from the graph before
any token is trusted. Whenever Redis does not answer, :class:`AuthUnavailable`
is raised and the caller answers 503: sign-in stops and protected calls fail
closed, never open.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson
import redis.asyncio
from limits import RateLimitItemPerMinute
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter

from graphdb import Scope, Store
from graphdb.security import revocation

T = TypeVar("T")
PREFIX = "hub:auth:"
CODE_SECONDS = 60
SESSION_SECONDS = 8 * 3600
SMS_CODE_SECONDS = 300
SMS_ATTEMPTS = 5
TURN_SECONDS = 30  # an attempt's turn ends by itself if its process dies holding it
TURN_WAIT_SECONDS = 5
_LOADED = PREFIX + "revocations-loaded"

# Failed attempts allowed per minute before the answer is 429: per account (phone) and
# per client, and per network address, so neither one target nor one source can guess.
LIMITS = {
    "login-account": RateLimitItemPerMinute(5),
    "login-address": RateLimitItemPerMinute(30),
    "client-secret": RateLimitItemPerMinute(10),
    "sms-send": RateLimitItemPerMinute(3),
}


class AuthUnavailable(Exception):
    """Redis does not answer: sign-in and protected calls must wait (503)."""

    code = "AUTH_UNAVAILABLE"


def digest(value: str) -> str:
    """The name a secret value is kept under: its SHA-256, never the value itself."""
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True)
class Session:
    id: str
    account_id: str
    auth_time: int  # epoch seconds of the sign-in


class AuthState:
    """One hub process's view of the shared sign-on state."""

    def __init__(self, client: redis.asyncio.Redis, store: Store, redis_url: str) -> None:
        self.redis = client
        self.store = store
        shared: dict[str, Any] = {"connection_pool": client.connection_pool}  # closed with it
        self._limits = MovingWindowRateLimiter(
            RedisStorage(
                _limits_url(redis_url),
                implementation="redispy",
                key_prefix=PREFIX + "limits",
                wrap_exceptions=True,
                **shared,
            )
        )

    async def _call(self, work: Awaitable[T]) -> T:
        try:
            return await work
        except (redis.RedisError, OSError) as error:
            raise AuthUnavailable(
                f"Redis does not answer ({type(error).__name__}: {error})"
            ) from None

    # Authorization codes: single use, 60 s.
    async def save_code(self, code: str, grant: dict[str, Any]) -> None:
        key = PREFIX + "code:" + digest(code)
        await self._call(self.redis.set(key, orjson.dumps(grant), ex=CODE_SECONDS))

    async def take_code(self, code: str) -> dict[str, Any] | None:
        """The grant behind ``code``, removed in the same call: a second take finds nothing."""
        found = await self._call(self.redis.getdel(PREFIX + "code:" + digest(code)))
        return orjson.loads(found) if found else None

    async def remember_redeemed(self, code: str, family: str) -> None:
        """Note which token family a code gave, so that its reuse revokes that family."""
        key = PREFIX + "redeemed:" + digest(code)
        await self._call(self.redis.set(key, family, ex=CODE_SECONDS * 10))

    async def redeemed_family(self, code: str) -> str | None:
        found = await self._call(self.redis.get(PREFIX + "redeemed:" + digest(code)))
        return found.decode() if isinstance(found, bytes) else found

    # Login sessions.
    async def open_session(self, account_id: str) -> Session:
        session = Session(secrets.token_urlsafe(32), account_id, int(time.time()))
        value = orjson.dumps({"account_id": account_id, "auth_time": session.auth_time})
        key = PREFIX + "session:" + digest(session.id)
        await self._call(self.redis.set(key, value, ex=SESSION_SECONDS))
        return session

    async def session(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        found = await self._call(self.redis.get(PREFIX + "session:" + digest(session_id)))
        if not found:
            return None
        value = orjson.loads(found)
        return Session(session_id, value["account_id"], value["auth_time"])

    async def close_session(self, session_id: str) -> None:
        await self._call(self.redis.delete(PREFIX + "session:" + digest(session_id)))

    # One-time SMS codes.
    async def save_sms_code(self, phone_hash: str) -> str:
        code = f"{secrets.randbelow(1_000_000):06d}"
        key = PREFIX + "sms:" + phone_hash
        pipe = self.redis.pipeline(transaction=True)
        pipe.delete(key)  # a new code starts with no tries
        pipe.hset(key, mapping={"code": digest(code), "tries": 0})
        pipe.expire(key, SMS_CODE_SECONDS)
        await self._call(pipe.execute())
        return code

    async def take_sms_code(self, phone_hash: str, code: str) -> bool:
        """True once for the right code; five wrong tries spend it.

        Each try is counted before it is compared, in one atomic step: guesses sent
        together get five comparisons in all, not five each.
        """
        key = PREFIX + "sms:" + phone_hash
        pipe = self.redis.pipeline(transaction=True)
        pipe.hincrby(key, "tries", 1)
        pipe.hget(key, "code")
        pipe.expire(key, SMS_CODE_SECONDS, nx=True)  # a try at no code leaves no lasting key
        tries, found, _ = await self._call(pipe.execute())
        if found is None or tries > SMS_ATTEMPTS:
            return False
        if secrets.compare_digest(found, digest(code).encode()):
            return bool(await self._call(self.redis.delete(key)))  # only one try wins it
        if tries == SMS_ATTEMPTS:
            await self._call(self.redis.delete(key))
        return False

    # Rate limits on failures.
    @asynccontextmanager
    async def one_at_a_time(self, kind: str, key: str) -> AsyncIterator[bool]:
        """Attempts at one account or client in turn, so that checking the failure count
        and adding to it cannot interleave: guesses sent together are counted as if
        sent one by one. Yields False if the turn did not come within a few seconds."""
        name = f"{PREFIX}turn:{kind}:{digest(key)}"
        holder = secrets.token_hex(8)
        deadline = time.monotonic() + TURN_WAIT_SECONDS
        while not await self._call(self.redis.set(name, holder, nx=True, ex=TURN_SECONDS)):
            if time.monotonic() > deadline:
                yield False
                return
            await asyncio.sleep(0.01)
        try:
            yield True
        finally:
            if await self._call(self.redis.get(name)) == holder.encode():
                await self._call(self.redis.delete(name))

    async def blocked(self, kind: str, key: str) -> bool:
        """Whether ``key`` has failed too often at ``kind`` within the last minute."""
        try:
            return not await self._limits.test(LIMITS[kind], kind, key)
        except Exception as error:  # limits wraps the storage's errors in its own
            raise AuthUnavailable(f"Redis does not answer ({type(error).__name__})") from None

    async def failed(self, kind: str, key: str) -> None:
        try:
            await self._limits.hit(LIMITS[kind], kind, key)
        except Exception as error:
            raise AuthUnavailable(f"Redis does not answer ({type(error).__name__})") from None

    # Revocations: the graph first, then Redis.
    async def revoke(self, tokens: Sequence[tuple[str, int]], reason: str) -> None:
        """Revoke access tokens given as ``(jti, expires_at epoch s)``."""
        if not tokens:
            return
        rows = [{"jti": jti, "expires_at": exp, "reason": reason} for jti, exp in tokens]
        await self.store.write(revocation.RECORD, {"rows": rows, "now": int(time.time())})
        await self._remember(tokens)

    async def _remember(self, tokens: Sequence[tuple[str, int]]) -> None:
        now = int(time.time())
        pipe = self.redis.pipeline(transaction=False)
        for jti, exp in tokens:
            if exp > now:
                pipe.set(PREFIX + "revoked:" + jti, b"1", ex=exp - now + 1)
        await self._call(pipe.execute())

    async def is_revoked(self, jti: str) -> bool:
        """One Redis call in the common case; a Redis that lost the list is reloaded first."""
        loaded, revoked = await self._call(self.redis.mget(_LOADED, PREFIX + "revoked:" + jti))
        if loaded is None:
            await self.reload_revocations()
            revoked = await self._call(self.redis.get(PREFIX + "revoked:" + jti))
        return revoked is not None

    async def reload_revocations(self) -> int:
        """Copy every unexpired revocation from the graph into Redis, then mark it loaded."""
        rows = await self.store.read(
            revocation.UNEXPIRED, {"now": int(time.time())}, scope=Scope.everything()
        )
        await self._remember([(row["jti"], int(row["expires_at"])) for row in rows])
        await self._call(self.redis.set(_LOADED, b"1"))
        return len(rows)


def _limits_url(redis_url: str) -> str:
    """The ``limits`` library's name for a Redis URL (``async+redis://…``)."""
    if redis_url.startswith("unix://"):
        return "async+redis+unix://" + redis_url.removeprefix("unix://")
    return "async+" + redis_url
