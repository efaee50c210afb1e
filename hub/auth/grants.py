"""authlib's grants, held to the hub's rules and storage.

* authorization code: PKCE always, ``S256`` only; the code lives 60 s in Redis
  and is taken (read and deleted) in one call, so it is used once; a code
  presented again revokes every token its first use gave (RFC 6749 §4.1.2);
* refresh token: rotated on every use; a token used twice is a stolen one and
  its whole family is revoked (``graphdb.security.refresh_token``);
* client credentials: partner agencies, confidential clients only.

authlib's hooks are synchronous and run in a worker thread
(``hub.auth.server``); each reaches the graph or Redis through
:func:`hub.auth.bridge.wait`, which runs a coroutine on the event loop.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import InvalidRequestError, InvalidScopeError
from authlib.oauth2.rfc6749.util import scope_to_list
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core.grants import OpenIDCode

from graphdb.security import refresh_token
from hub.auth.bridge import wait
from hub.auth.state import digest

if TYPE_CHECKING:
    from hub.auth.accounts import Account
    from hub.auth.server import HubAuthorizationServer

CLIENT_AUTH = ["client_secret_basic", "client_secret_post"]


@dataclass(frozen=True)
class CodeGrant:
    """What an authorization code stands for, as authlib's ``AuthorizationCodeMixin``."""

    code: str
    client_id: str
    redirect_uri: str
    scope: str
    account_id: str
    code_challenge: str
    code_challenge_method: str
    nonce: str | None
    auth_time: int

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


@dataclass(frozen=True)
class RefreshGrant:
    """A refresh token just claimed, as authlib's ``TokenMixin``."""

    family: str
    client_id: str
    account_id: str
    scope: str
    auth_time: int | None

    def check_client(self, client: Any) -> bool:
        return bool(client.client_id == self.client_id)

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return 0

    def is_expired(self) -> bool:
        return False

    def is_revoked(self) -> bool:
        return False


class _Issuing:
    """Tokens are made by the server, which knows the request (family, auth time); a scope
    the client was not granted is refused, never quietly dropped."""

    request: Any
    server: HubAuthorizationServer
    GRANT_TYPE: str | None

    def validate_requested_scope(self) -> None:
        asked = set(scope_to_list(self.request.payload.scope) or [])
        client = self.request.client
        if client is not None and asked - set(client.get_allowed_scope(" ".join(asked)).split()):
            raise InvalidScopeError(f"this client may ask for: {' '.join(client.scopes)}")

    def generate_token(
        self,
        user: Account | None = None,
        scope: str | None = None,
        grant_type: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        return self.server.issue(
            self.request,
            user=user,
            scope=scope or "",
            grant_type=grant_type or self.GRANT_TYPE or "",
            include_refresh_token=include_refresh_token,
        )


class S256Only(CodeChallenge):  # type: ignore[misc]
    """PKCE on every authorization request, with ``S256``; ``plain`` is refused."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ("S256",)

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send code_challenge (S256)")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("code_challenge_method must be S256; plain is refused")
        super().validate_code_challenge(grant, redirect_uri)

    def validate_code_verifier(self, grant: Any, result: Any) -> None:
        if not grant.request.form.get("code_verifier"):
            raise InvalidRequestError("Missing 'code_verifier' (PKCE is required)")
        super().validate_code_verifier(grant, result)


class AuthorizationCode(_Issuing, grants.AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = [*CLIENT_AUTH, "none"]

    def save_authorization_code(self, code: str, request: Any) -> None:
        data = request.payload.data
        account = request.user
        grant = {
            "client_id": request.client.client_id,
            "redirect_uri": data.get("redirect_uri") or "",
            "scope": request.scope or "",
            "account_id": account.id,
            "code_challenge": data.get("code_challenge"),
            "code_challenge_method": data.get("code_challenge_method"),
            "nonce": data.get("nonce"),
            "auth_time": self.server.auth_time_of(request),
        }
        wait(self.server.state.save_code, code, grant)

    def query_authorization_code(self, code: str, client: Any) -> CodeGrant | None:
        found = wait(self.server.state.take_code, code)
        if found is None:
            family = wait(self.server.state.redeemed_family, code)
            if family is not None:  # a code used twice: end what its first use gave
                self.server.revoke_family(family, "authorization code reused")
            return None
        if found["client_id"] != client.client_id:
            return None  # another client's code: as if it did not exist
        return CodeGrant(code=code, **found)

    def delete_authorization_code(self, authorization_code: CodeGrant) -> None:
        """Nothing to do: taking the code deleted it."""

    def authenticate_user(self, authorization_code: CodeGrant) -> Account | None:
        self.request.auth_time = authorization_code.auth_time
        self.request.family = secrets.token_urlsafe(16)
        wait(self.server.state.remember_redeemed, authorization_code.code, self.request.family)
        return self.server.account(authorization_code.account_id)


class RefreshToken(_Issuing, grants.RefreshTokenGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = [*CLIENT_AUTH, "none"]
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, token: str) -> RefreshGrant | None:
        """Claim the token: used before, revoked or expired is ``invalid_grant``."""
        now = int(time.time())
        rows = wait(
            self.server.store.write, refresh_token.CLAIM, {"hash": digest(token), "now": now}
        )
        if not rows:
            return None
        found, used_before = rows[0]["token"], rows[0]["used_before"]
        if used_before is not None:
            self.server.revoke_family(found["family"], "refresh token reused")
            return None
        if found["revoked_at"] is not None or found["expires_at"] <= now:
            return None
        self.request.family = found["family"]
        self.request.auth_time = found["auth_time"]
        return RefreshGrant(
            found["family"],
            found["client_id"],
            found["account_id"],
            found["scope"],
            found["auth_time"],
        )

    def authenticate_user(self, refresh: RefreshGrant) -> Account | None:
        return self.server.account(refresh.account_id)

    def revoke_old_credential(self, refresh: RefreshGrant) -> None:
        """Nothing to do: claiming the token marked it used."""


class ClientCredentials(_Issuing, grants.ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = CLIENT_AUTH


class IdToken(OpenIDCode):  # type: ignore[misc]
    """ID tokens signed by the hub's own key ring (``hub.auth.tokens``)."""

    def __init__(self, server: HubAuthorizationServer) -> None:
        super().__init__(require_nonce=False)
        self.server = server

    def exists_nonce(self, nonce: str, request: Any) -> bool:
        return False  # a nonce is the client's to check in the ID token it gets back

    def encode_id_token(self, token: dict[str, Any], request: Any) -> str:
        code = request.authorization_code
        return self.server.id_token(
            request,
            nonce=code.nonce if code is not None else None,
            scope=token.get("scope", ""),
            access_token=token.get("access_token", ""),
        )
