"""Revocation (RFC 7009) and introspection (RFC 7662), for the client a token was issued to.

Both take an access token (a JWT the hub signed) or a refresh token (``rt_…``,
found by its hash). Revoking an access token puts its ``jti`` on the
revocation list (the graph, then Redis); revoking a refresh token ends its
whole family, access tokens included. Introspection answers ``active: false``
for anything revoked, expired, unknown or another client's.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7662 import IntrospectionEndpoint

from graphdb import Scope
from graphdb.security import refresh_token
from hub.auth import tokens
from hub.auth.bridge import wait
from hub.auth.state import digest

if TYPE_CHECKING:
    from hub.auth.server import HubAuthorizationServer

CLIENT_AUTH = ["client_secret_basic", "client_secret_post", "none"]


@dataclass(frozen=True)
class Known:
    """A token the hub issued, as authlib's endpoints need it."""

    kind: str  # access_token | refresh_token
    client_id: str
    scope: str
    subject: str | None
    expires_at: int
    issued_at: int
    revoked: bool
    jti: str | None = None
    family: str | None = None

    def check_client(self, client: Any) -> bool:
        return bool(client.client_id == self.client_id)

    def is_expired(self) -> bool:
        return self.expires_at <= time.time()

    def is_revoked(self) -> bool:
        return self.revoked


def find(server: HubAuthorizationServer, token: str) -> Known | None:
    """The token as the hub knows it, or None (not one of ours, or unreadable)."""
    if token.startswith("rt_"):
        rows = wait(_find_refresh, server, digest(token))
        if not rows:
            return None
        found = rows[0]["token"]
        return Known(
            "refresh_token",
            found["client_id"],
            found["scope"],
            None,
            int(found["expires_at"]),
            int(found["issued_at"]),
            found["revoked_at"] is not None or found["used_at"] is not None,
            family=found["family"],
        )
    try:
        claims = wait(server.keys.verify, token)
    except tokens.InvalidToken:
        return None
    return Known(
        "access_token",
        claims.client_id,
        " ".join(sorted(claims.scopes)),
        claims.subject,
        claims.expires_at,
        claims.issued_at,
        wait(server.state.is_revoked, claims.jti),
        jti=claims.jti,
    )


async def _find_refresh(server: HubAuthorizationServer, hashed: str) -> list[dict[str, Any]]:
    return await server.store.read(refresh_token.FIND, {"hash": hashed}, scope=Scope.everything())


class Revocation(RevocationEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = CLIENT_AUTH
    server: HubAuthorizationServer

    def query_token(self, token_string: str, token_type_hint: str | None) -> Known | None:
        return find(self.server, token_string)

    def revoke_token(self, token: Known, request: Any) -> None:
        if token.family is not None:
            self.server.revoke_family(token.family, "revoked by its client")
        elif token.jti is not None:
            wait(self.server.state.revoke, [(token.jti, token.expires_at)], "revoked by its client")


class Introspection(IntrospectionEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = CLIENT_AUTH
    server: HubAuthorizationServer

    def query_token(self, token_string: str, token_type_hint: str | None) -> Known | None:
        return find(self.server, token_string)

    def check_permission(self, token: Known, client: Any, request: Any) -> bool:
        return token.check_client(client)

    def introspect_token(self, token: Known) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "active": True,
            "client_id": token.client_id,
            "scope": token.scope,
            "token_type": "Bearer" if token.kind == "access_token" else "refresh_token",
            "exp": token.expires_at,
            "iat": token.issued_at,
            "iss": self.server.issuer,
        }
        if token.subject is not None:
            answer["sub"] = token.subject
            answer["aud"] = self.server.settings.token_audience
        return answer
