"""JWT access tokens (RFC 9068) and OpenID Connect ID tokens, signed by the key ring.

An access token names its caller (``sub``, ``client_id``), what it may do
(``scope``) and where (``orgs``: the organisations whose subtrees it sees), and
for an account the person behind it (``pid``). Verifying one costs no database
round trip: only the process's cached :class:`~hub.auth.keys.KeyCache`, which
reloads at most once per 10 s when a token names a key it does not know.

Verification follows RFC 9068 §4: ``typ`` must be ``at+jwt`` (so an ID token is
never taken for an access token), the signature RS256 by a published key (never
``none``, never an HMAC keyed with the public key: the algorithm comes from the
hub, not from the token), then ``iss``, ``aud``, ``exp``, ``nbf`` and ``iat``.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from joserfc import jws, jwt
from joserfc.errors import ExpiredTokenError, InvalidClaimError, JoseError, MissingClaimError
from joserfc.jwt import ClaimsOption, JWTClaimsRegistry

if TYPE_CHECKING:  # keys imports this module: it verifies tokens with them
    from hub.auth.keys import KeyCache, KeyRing

ALGORITHM = "RS256"  # RFC 7518 §3.3: the one algorithm the hub signs and accepts
ACCESS_TOKEN_TYPES = frozenset({"at+jwt", "application/at+jwt"})  # RFC 9068 §2.1, §4
MAX_TOKEN_BYTES = 8192
ID_TOKEN_RESERVED = frozenset(
    {"iss", "sub", "aud", "exp", "iat", "nbf", "jti", "azp", "nonce", "auth_time"}
)
_REGISTRY = jws.JWSRegistry(algorithms=[ALGORITHM])
_SAYS = {
    "iss": "the token was issued by another issuer: get one from this hub",
    "aud": "the token is meant for another audience: ask for a token for this API",
    "nbf": "the token is not valid yet: check the clock of the machine that got it",
    "iat": "the token was issued in the future: check the clock of the machine that got it",
}


class InvalidToken(Exception):
    """A bearer token the hub does not accept (RFC 6750 §3.1 ``invalid_token``).

    The description says what is wrong and never quotes the token.
    """

    code = "invalid_token"

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


class IssuedToken(NamedTuple):
    token: str
    jti: str
    expires_at: int  # epoch seconds


@dataclass(frozen=True)
class AccessClaims:
    """What a verified access token says about its caller."""

    subject: str
    client_id: str
    scopes: frozenset[str]
    orgs: tuple[str, ...]  # roots of the subtrees the caller sees; empty: none
    person_id: str | None  # the person of an account; None for a client on its own
    jti: str
    expires_at: int
    issued_at: int


def issue_access_token(
    ring: KeyRing,
    *,
    issuer: str,
    audience: str,
    subject: str,
    client_id: str,
    scope: str,
    orgs: Sequence[str] | None,
    person_id: str | None,
    lifetime_s: int,
    now_s: int,
    auth_time: int | None = None,
) -> IssuedToken:
    """An RFC 9068 access token (§2.2 claims), signed by the ring's active key."""
    jti = secrets.token_urlsafe(16)
    claims: dict[str, Any] = {
        "iss": issuer,
        "sub": subject,
        "aud": audience,
        "exp": now_s + lifetime_s,
        "iat": now_s,
        "nbf": now_s,
        "jti": jti,
        "client_id": client_id,
        "scope": scope,
    }
    if orgs:
        claims["orgs"] = list(orgs)
    if person_id is not None:
        claims["pid"] = person_id
    if auth_time is not None:
        claims["auth_time"] = auth_time
    return IssuedToken(_sign(ring, "at+jwt", claims), jti, now_s + lifetime_s)


def issue_id_token(
    ring: KeyRing,
    *,
    issuer: str,
    client_id: str,
    subject: str,
    nonce: str | None,
    auth_time: int,
    lifetime_s: int,
    now_s: int,
    claims: Mapping[str, object],
) -> str:
    """An OpenID Connect ID token (Core §2) for ``client_id``, with the released ``claims``."""
    clash = ID_TOKEN_RESERVED & claims.keys()
    if clash:
        raise ValueError(f"claims {sorted(clash)} are set by the ID token itself; drop them")
    body: dict[str, Any] = {
        **claims,
        "iss": issuer,
        "sub": subject,
        "aud": client_id,
        "azp": client_id,
        "exp": now_s + lifetime_s,
        "iat": now_s,
        "auth_time": auth_time,
    }
    if nonce is not None:
        body["nonce"] = nonce
    return _sign(ring, "JWT", body)


def _sign(ring: KeyRing, typ: str, claims: dict[str, Any]) -> str:
    key, kid = ring.signing_key()
    header = {"typ": typ, "alg": ALGORITHM, "kid": kid}
    return jwt.encode(header, claims, key, registry=_REGISTRY)


async def verify_access_token(
    keys: KeyCache,
    token: str,
    *,
    issuer: str,
    audience: str,
    now_s: int,
    leeway_s: int = 30,
) -> AccessClaims:
    """The claims of a valid access token; :class:`InvalidToken` for anything else.

    Async because a ``kid`` the cached ring does not know reloads it (at most
    once per 10 s): a key rotated in by another process is found.
    """
    claims = await _signed_claims(keys, token, ACCESS_TOKEN_TYPES, now_s)
    return _access_claims(claims, issuer, audience, now_s, leeway_s)


async def id_token_audience(keys: KeyCache, token: str, *, issuer: str, now_s: int) -> str | None:
    """The client an ID token of this hub was issued to, expired or not; None if it is not one.

    For ``id_token_hint`` (RP-Initiated Logout 1.0 §2), which may have expired.
    """
    try:
        claims = await _signed_claims(keys, token, frozenset({"JWT"}), now_s)
    except InvalidToken:
        return None
    audience, party = claims.get("aud"), claims.get("azp")
    if claims.get("iss") != issuer or not isinstance(audience, str) or party != audience:
        return None
    return audience


async def _signed_claims(
    keys: KeyCache, token: str, types: frozenset[str], now_s: int
) -> dict[str, Any]:
    """The claims of a JWS the hub signed, of one of ``types``; nothing else checked."""
    signed = _extract(token)
    header = signed.headers()
    if header.get("alg") != ALGORITHM:
        raise InvalidToken(
            "the token is unsigned (alg none): get a token from this hub"
            if str(header.get("alg")).lower() == "none"
            else f"the token is not signed with {ALGORITHM}, the only algorithm the hub accepts"
        )
    typ = header.get("typ")
    if not isinstance(typ, str) or typ not in types:
        raise InvalidToken(
            "the token is not an access token (typ at+jwt): send an access token"
            if types is ACCESS_TOKEN_TYPES
            else "the token is not an ID token"
        )
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise InvalidToken("the token names no signing key (kid): get a token from this hub")
    key = await keys.verification_key(kid, now_ms=now_s * 1000)
    if key is None:
        raise InvalidToken("the token's signing key is not one of the hub's: get a new token")
    try:
        valid = jws.validate_compact(signed, key, registry=_REGISTRY)
    except JoseError:
        valid = False
    if not valid:
        raise InvalidToken("the token's signature does not verify: get a new token")
    return _payload(signed.payload)


def _extract(token: str) -> jws.CompactSignature:
    if not isinstance(token, str) or len(token) > MAX_TOKEN_BYTES:
        raise InvalidToken(f"the token is not a JWT of at most {MAX_TOKEN_BYTES} characters")
    try:
        signed = jws.extract_compact(token.encode("ascii"), registry=_REGISTRY)
        if isinstance(signed.headers(), dict):
            return signed
    except (JoseError, TypeError, ValueError):
        pass
    raise InvalidToken("the token is not a JWT: three base64url parts, header and claims in JSON")


def _payload(raw: bytes | None) -> dict[str, Any]:
    try:
        claims = json.loads(raw or b"")
    except ValueError:
        claims = None
    if not isinstance(claims, dict):
        raise InvalidToken("the token's claims are not a JSON object")
    return claims


def _access_claims(
    claims: dict[str, Any], issuer: str, audience: str, now_s: int, leeway_s: int
) -> AccessClaims:
    required: ClaimsOption = {"essential": True}
    checks = JWTClaimsRegistry(
        now=int(now_s),
        leeway=leeway_s,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": audience},
        sub=required,
        exp=required,
        iat=required,
        jti=required,
        client_id=required,
        scope={"essential": True, "allow_blank": True},
    )
    try:
        checks.validate(claims)
    except ExpiredTokenError:
        raise InvalidToken("the token has expired: get a new one") from None
    except MissingClaimError as missing:
        claims_missing = missing.claim.replace(",", ", ")
        raise InvalidToken(f"the token lacks the claims {claims_missing}") from None
    except InvalidClaimError as invalid:
        name = str(invalid.claim)
        raise InvalidToken(_SAYS.get(name, f"the token's claim {name} is not valid")) from None
    for name in ("client_id", "scope"):
        if not isinstance(claims[name], str):
            raise InvalidToken(f"the token's claim {name} is not a string")
    orgs = claims.get("orgs", [])
    if not isinstance(orgs, list) or not all(isinstance(o, str) for o in orgs):
        raise InvalidToken("the token's claim orgs is not a list of organisation ids")
    person = claims.get("pid")
    if person is not None and not isinstance(person, str):
        raise InvalidToken("the token's claim pid is not a string")
    return AccessClaims(
        subject=claims["sub"],
        client_id=claims["client_id"],
        scopes=frozenset(claims["scope"].split()),
        orgs=tuple(orgs),
        person_id=person,
        jti=claims["jti"],
        expires_at=int(claims["exp"]),
        issued_at=int(claims["iat"]),
    )
