"""Access tokens (RFC 9068) and ID tokens: issued, verified, and every bad token refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

import pytest
from joserfc import jws, jwt
from joserfc.jwk import RSAKey

from graphdb import Store
from graphdb.security.seal import Sealer
from hub.auth.keys import SEAL_PURPOSE, KeyCache, KeyRing, rotate
from hub.auth.tokens import (
    AccessClaims,
    InvalidToken,
    id_token_audience,
    issue_access_token,
    issue_id_token,
    verify_access_token,
)
from hub.settings import Settings

SECRET = "tests-only-auth-secret-0123456789"
ISSUER = "https://hub.test"
AUDIENCE = "youthgraph-hub"
NOW = 1_790_000_000  # epoch seconds
LIFETIME = 600
DROP = object()


@pytest.fixture
async def keys(store: Store) -> KeyCache:
    """The key cache of one hub process, on a graph of its own."""
    sealer = Sealer(SECRET, SEAL_PURPOSE)
    cache = KeyCache(store, sealer, Settings(issuer=ISSUER, auth_secret=SECRET))
    await cache.ensure(now_ms=NOW * 1000)
    return cache


async def ring_of(keys: KeyCache) -> KeyRing:
    return await keys.current(now_ms=NOW * 1000)


def cadre_token(ring: KeyRing, now_s: int = NOW, **overrides: Any) -> str:
    arguments: dict[str, Any] = {
        "issuer": ISSUER,
        "audience": AUDIENCE,
        "subject": "pairwise-subject",
        "client_id": "platform",
        "scope": "openid org:read member:read",
        "orgs": ["ORG0000003", "ORG0000007"],
        "person_id": "P00000001",
        "lifetime_s": LIFETIME,
        "now_s": now_s,
        "auth_time": now_s - 5,
        **overrides,
    }
    return issue_access_token(ring, **arguments).token


async def verify(keys: KeyCache, token: str, now_s: int = NOW) -> AccessClaims:
    return await verify_access_token(keys, token, issuer=ISSUER, audience=AUDIENCE, now_s=now_s)


def parts(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    header, payload = (
        json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        for part in token.split(".")[:2]
    )
    return header, payload


async def test_an_access_token_carries_the_rfc_9068_claims_and_verifies(keys: KeyCache) -> None:
    ring = await ring_of(keys)
    issued = issue_access_token(
        ring,
        issuer=ISSUER,
        audience=AUDIENCE,
        subject="pairwise-subject",
        client_id="platform",
        scope="openid org:read member:read",
        orgs=["ORG0000003"],
        person_id="P00000001",
        lifetime_s=LIFETIME,
        now_s=NOW,
        auth_time=NOW - 5,
    )
    header, claims = parts(issued.token)
    assert header == {"typ": "at+jwt", "alg": "RS256", "kid": ring.signing_key().kid}
    assert claims == {
        "iss": ISSUER,
        "sub": "pairwise-subject",
        "aud": AUDIENCE,
        "exp": NOW + LIFETIME,
        "iat": NOW,
        "nbf": NOW,
        "jti": issued.jti,
        "client_id": "platform",
        "scope": "openid org:read member:read",
        "orgs": ["ORG0000003"],
        "pid": "P00000001",
        "auth_time": NOW - 5,
    }
    assert issued.expires_at == NOW + LIFETIME
    assert await verify(keys, issued.token, now_s=NOW + 60) == AccessClaims(
        subject="pairwise-subject",
        client_id="platform",
        scopes=frozenset({"openid", "org:read", "member:read"}),
        orgs=("ORG0000003",),
        person_id="P00000001",
        jti=issued.jti,
        expires_at=NOW + LIFETIME,
        issued_at=NOW,
    )


async def test_a_client_token_names_no_person_and_orgs_only_when_it_has_some(
    keys: KeyCache,
) -> None:
    token = cadre_token(await ring_of(keys), orgs=None, person_id=None, auth_time=None)
    _, claims = parts(token)
    assert not {"orgs", "pid", "auth_time"} & claims.keys()
    verified = await verify(keys, token)
    assert (verified.orgs, verified.person_id) == ((), None)
    assert cadre_token(await ring_of(keys), orgs=[]).count(".") == 2
    assert "orgs" not in parts(cadre_token(await ring_of(keys), orgs=[]))[1]


async def test_an_id_token_is_for_its_client_and_is_no_access_token(keys: KeyCache) -> None:
    ring = await ring_of(keys)
    token = issue_id_token(
        ring,
        issuer=ISSUER,
        client_id="platform",
        subject="pairwise-subject",
        nonce="n-0S6_WzA2Mj",
        auth_time=NOW - 5,
        lifetime_s=LIFETIME,
        now_s=NOW,
        claims={"name": "李**", "phone_number": "138****0001"},
    )
    header, claims = parts(token)
    assert header == {"typ": "JWT", "alg": "RS256", "kid": ring.signing_key().kid}
    assert claims == {
        "iss": ISSUER,
        "sub": "pairwise-subject",
        "aud": "platform",
        "azp": "platform",
        "exp": NOW + LIFETIME,
        "iat": NOW,
        "auth_time": NOW - 5,
        "nonce": "n-0S6_WzA2Mj",
        "name": "李**",
        "phone_number": "138****0001",
    }
    with pytest.raises(InvalidToken, match="not an access token"):
        await verify(keys, token)
    # As an id_token_hint (RP-initiated logout) it names its client, even expired.
    later = NOW + 10 * LIFETIME
    assert await id_token_audience(keys, token, issuer=ISSUER, now_s=later) == "platform"
    assert await id_token_audience(keys, cadre_token(ring), issuer=ISSUER, now_s=NOW) is None
    assert await id_token_audience(keys, token, issuer="https://other", now_s=NOW) is None
    with pytest.raises(ValueError, match="set by the ID token itself"):
        issue_id_token(
            ring,
            issuer=ISSUER,
            client_id="platform",
            subject="s",
            nonce=None,
            auth_time=NOW,
            lifetime_s=LIFETIME,
            now_s=NOW,
            claims={"aud": "someone-else"},
        )


def b64(data: bytes | str) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def body(**changes: object) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "sub": "s",
        "aud": AUDIENCE,
        "exp": NOW + LIFETIME,
        "iat": NOW,
        "nbf": NOW,
        "jti": "j",
        "client_id": "platform",
        "scope": "org:read",
        "orgs": ["ORG0000003"],
    }
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not DROP}


def signed(ring: KeyRing, claims: object, **header: object) -> str:
    """Claims (any JSON, or raw bytes) signed by the hub's own key, with the header given."""
    key, kid = ring.signing_key()
    fields = {"alg": "RS256", "typ": "at+jwt", "kid": kid, **header}
    fields = {name: value for name, value in fields.items() if value is not DROP}
    payload = claims if isinstance(claims, bytes) else json.dumps(claims).encode()
    signing_input = f"{b64(json.dumps(fields))}.{b64(payload)}"
    algorithm = jws.JWSRegistry.algorithms[str(fields["alg"])]
    return f"{signing_input}.{b64(algorithm.sign(signing_input.encode(), key))}"


def hmac_with_public_key(ring: KeyRing) -> str:
    """The classic algorithm confusion: HS256 keyed with the published RSA key."""
    key, kid = ring.signing_key()
    head = b64(json.dumps({"alg": "HS256", "typ": "at+jwt", "kid": kid}))
    claims = b64(json.dumps(body()))
    secret = key.as_pem(private=False)
    mac = hmac.new(secret, f"{head}.{claims}".encode(), hashlib.sha256).digest()
    return f"{head}.{claims}.{b64(mac)}"


def unsigned(ring: KeyRing) -> str:
    head = b64(json.dumps({"alg": "none", "typ": "at+jwt", "kid": ring.signing_key().kid}))
    return f"{head}.{b64(json.dumps(body()))}."


def by_a_stranger(ring: KeyRing, kid: str | None) -> str:
    stranger = RSAKey.generate_key(2048)
    header = {"alg": "RS256", "typ": "at+jwt", "kid": kid or "stranger"}
    return jwt.encode(header, body(), stranger, algorithms=["RS256"])


def tampered(ring: KeyRing) -> str:
    head, _, signature = signed(ring, body()).split(".")
    return f"{head}.{b64(json.dumps(body(orgs=['ORG0000001'])))}.{signature}"


BAD: dict[str, tuple[Callable[[KeyRing], str], str]] = {
    "one part": (lambda ring: "not-a-jwt", "not a JWT"),
    "two parts": (lambda ring: f"{b64('{}')}.{b64('{}')}", "not a JWT"),
    "not base64": (lambda ring: "@@@.###.$$$", "not a JWT"),
    "header not JSON": (lambda ring: f"{b64('nope')}.e30.c2ln", "not a JWT"),
    "header not an object": (lambda ring: f"{b64('[1]')}.e30.c2ln", "not a JWT"),
    "too long": (lambda ring: "a" * 9000, "at most 8192"),
    "claims not JSON": (lambda ring: signed(ring, b"nope"), "not a JSON object"),
    "claims a list": (lambda ring: signed(ring, [1, 2]), "not a JSON object"),
    "alg none": (unsigned, "unsigned (alg none)"),
    "HS256 with the public key": (hmac_with_public_key, "not signed with RS256"),
    "RS512": (lambda ring: signed(ring, body(), alg="RS512"), "not signed with RS256"),
    "PS256": (lambda ring: signed(ring, body(), alg="PS256"), "not signed with RS256"),
    "no kid": (lambda ring: signed(ring, body(), kid=DROP), "names no signing key"),
    "unknown kid": (lambda ring: by_a_stranger(ring, None), "not one of the hub's"),
    "our kid, another key": (
        lambda ring: by_a_stranger(ring, ring.signing_key().kid),
        "signature does not verify",
    ),
    "claims changed": (tampered, "signature does not verify"),
    "typ JWT": (lambda ring: signed(ring, body(), typ="JWT"), "not an access token"),
    "no typ": (lambda ring: signed(ring, body(), typ=DROP), "not an access token"),
    "typ a list": (lambda ring: signed(ring, body(), typ=["at+jwt"]), "not an access token"),
    "expired": (lambda ring: signed(ring, body(exp=NOW - 31)), "has expired"),
    "not yet valid": (lambda ring: signed(ring, body(nbf=NOW + 31)), "not valid yet"),
    "issued in the future": (lambda ring: signed(ring, body(iat=NOW + 31)), "in the future"),
    "another issuer": (lambda ring: signed(ring, body(iss="https://evil")), "another issuer"),
    "another audience": (lambda ring: signed(ring, body(aud=["other"])), "another audience"),
    "no jti": (lambda ring: signed(ring, body(jti=DROP)), "lacks the claims jti"),
    "no client_id": (lambda ring: signed(ring, body(client_id=DROP)), "lacks the claims client"),
    "no scope": (lambda ring: signed(ring, body(scope=DROP)), "lacks the claims scope"),
    "no sub": (lambda ring: signed(ring, body(sub=DROP)), "lacks the claims sub"),
    "no exp": (lambda ring: signed(ring, body(exp=DROP)), "lacks the claims exp"),
    "exp not a number": (lambda ring: signed(ring, body(exp="later")), "claim exp"),
    "orgs a string": (lambda ring: signed(ring, body(orgs="ORG0000003")), "orgs is not a list"),
    "orgs of numbers": (lambda ring: signed(ring, body(orgs=[3])), "orgs is not a list"),
    "pid a number": (lambda ring: signed(ring, body(pid=1)), "pid is not a string"),
    "scope a list": (lambda ring: signed(ring, body(scope=["org:read"])), "scope is not"),
}


@pytest.mark.parametrize("case", list(BAD))
async def test_a_bad_token_is_refused_saying_why_and_never_quoting_it(
    keys: KeyCache, case: str
) -> None:
    forge, says = BAD[case]
    token = forge(await ring_of(keys))
    with pytest.raises(InvalidToken) as refused:
        await verify(keys, token)
    assert refused.value.code == "invalid_token"
    assert says in refused.value.description
    quoted = [part for part in token.split(".") if len(part) > 5 and part in str(refused.value)]
    assert quoted == []


async def test_the_leeway_takes_clocks_thirty_seconds_apart(keys: KeyCache) -> None:
    ring = await ring_of(keys)
    assert await verify(keys, signed(ring, body(exp=NOW - 29, aud=["x", AUDIENCE])))
    assert await verify(keys, signed(ring, body(nbf=NOW + 29, iat=NOW + 29)))
    assert await verify(keys, signed(ring, body(scope="", orgs=[])))


async def test_a_token_signed_before_a_rotation_verifies_after_it(
    keys: KeyCache, store: Store
) -> None:
    before = await ring_of(keys)
    old = cadre_token(before)
    sealer = Sealer(SECRET, SEAL_PURPOSE)
    report = await rotate(
        store, sealer, now_ms=(NOW + 1) * 1000, longest_lifetime_ms=LIFETIME * 1000
    )
    assert report.activated == (before.next_key.kid if before.next_key else None)
    elsewhere = KeyCache(store, sealer, Settings(issuer=ISSUER, auth_secret=SECRET))
    new = cadre_token(await elsewhere.current(now_ms=(NOW + 2) * 1000), now_s=NOW + 2)
    assert parts(new)[0]["kid"] == report.activated
    for cache in (keys, elsewhere):
        assert (await verify(cache, old, now_s=NOW + 120)).subject == "pairwise-subject"
        assert (await verify(cache, new, now_s=NOW + 120)).subject == "pairwise-subject"


async def test_verifying_a_token_costs_no_database_round_trip(keys: KeyCache, store: Store) -> None:
    token = cadre_token(await ring_of(keys))
    with store.round_trips.measure() as count:
        for second in range(50):
            await verify(keys, token, now_s=NOW + second)
    assert count.calls == 0


async def test_the_process_cache_verifies_with_the_settings_issuer_and_audience(
    keys: KeyCache,
) -> None:
    token = cadre_token(await ring_of(keys))
    assert (await keys.verify(token, now_s=NOW)).client_id == "platform"
    with pytest.raises(InvalidToken, match="another audience"):
        await keys.verify(cadre_token(await ring_of(keys), audience="other"), now_s=NOW)
