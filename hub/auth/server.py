"""The authorization server: authlib's core behind one thin Starlette adapter.

A Starlette request is read (query, form, headers) on the event loop into a
:class:`Captured`; authlib then runs on it in a worker thread, its hooks
reaching the graph and Redis through ``hub.auth.bridge.wait``, and its answer
becomes a Starlette response. URIs are rebuilt on the configured issuer, so a
hub behind a TLS proxy checks the address its clients use.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from authlib.common.urls import add_params_to_uri
from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import OAuth2Payload, OAuth2Request
from authlib.oauth2.rfc6749.errors import InvalidScopeError
from authlib.oauth2.rfc6749.util import scope_to_list
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response

from graphdb import Scope, Store
from graphdb.security import refresh_token
from hub.auth import tokens
from hub.auth.accounts import Account, Accounts
from hub.auth.bridge import wait
from hub.auth.clients import Client, ClientRegistry
from hub.auth.grants import AuthorizationCode, ClientCredentials, IdToken, RefreshToken, S256Only
from hub.auth.keys import KeyCache
from hub.auth.state import AuthState, digest
from hub.auth.token_endpoints import Introspection, Revocation
from hub.settings import Settings

# Claims an ID token and userinfo release, by the scope that releases them.
RELEASED = {
    "openid": ("sub",),
    "profile": ("name",),
    "phone": ("phone_number",),
    "org:read": ("orgs",),
}


@dataclass(frozen=True)
class Captured:
    """A request as authlib needs it, read on the event loop."""

    method: str
    uri: str
    headers: Headers
    args: dict[str, str]
    form: dict[str, str]
    lists: dict[str, list[str]] = field(default_factory=dict)


async def capture(request: Request, issuer: str) -> Captured:
    form: dict[str, str] = {}
    lists: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        lists.setdefault(key, []).append(value)
    if request.method == "POST":
        async with request.form(max_files=0, max_fields=64) as data:
            for key, item in data.multi_items():
                if isinstance(item, str):
                    form.setdefault(key, item)
                    lists.setdefault(key, []).append(item)
    query = f"?{request.url.query}" if request.url.query else ""
    return Captured(
        request.method,
        f"{issuer}{request.url.path}{query}",
        request.headers,
        dict(request.query_params),
        form,
        lists,
    )


class _Payload(OAuth2Payload):  # type: ignore[misc]
    def __init__(self, captured: Captured) -> None:
        self._data = {**captured.args, **captured.form}
        self._lists = captured.lists

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> dict[str, list[str]]:
        return self._lists


class _Request(OAuth2Request):  # type: ignore[misc]
    def __init__(self, captured: Captured) -> None:
        super().__init__(captured.method, captured.uri, headers=captured.headers)
        self._captured = captured
        self.payload = _Payload(captured)
        self.family: str | None = None
        self.auth_time: int | None = None

    @property
    def args(self) -> dict[str, str]:
        return self._captured.args

    @property
    def form(self) -> dict[str, str]:
        return self._captured.form


class HubAuthorizationServer(AuthorizationServer):  # type: ignore[misc]
    def __init__(
        self,
        settings: Settings,
        store: Store,
        state: AuthState,
        clients: ClientRegistry,
        accounts: Accounts,
        keys: KeyCache,
    ) -> None:
        super().__init__(scopes_supported=None)
        self.settings = settings
        self.store = store
        self.state = state
        self.clients = clients
        self.accounts = accounts
        self.keys = keys
        self.issuer = settings.issuer_url
        self.lifetime = settings.access_token_minutes * 60
        self.register_token_generator("default", _never)
        self.register_grant(AuthorizationCode, [S256Only(required=True), IdToken(self)])
        self.register_grant(RefreshToken)
        self.register_grant(ClientCredentials)
        self.register_endpoint(Revocation(self))
        self.register_endpoint(Introspection(self))

    # authlib's storage hooks (in the worker thread)
    def query_client(self, client_id: str) -> Client | None:
        client = wait(self.clients.get, client_id)
        return None if client is None or client.revoked_at is not None else client

    def save_token(self, token: dict[str, Any], request: _Request) -> None:
        """Keep the refresh token's hash, with the access token it came with."""
        refresh = token.get("refresh_token")
        if not refresh or request.user is None:
            return
        params = {
            "hash": digest(refresh),
            "family": request.family,
            "client_id": request.client.client_id,
            "account_id": request.user.id,
            "granted": token["scope"],
            "now": int(time.time()),
            "expires_at": int(time.time()) + self.settings.refresh_token_days * 86400,
            "access_jtis": [token["_jti"]],
            "auth_time": request.auth_time,
        }
        wait(self.store.write, refresh_token.SAVE, params)

    def account(self, account_id: str) -> Account | None:
        """The account a code or refresh token stands for; a disabled one is gone."""
        found = wait(self.accounts.by_id, account_id)
        return None if found is None or found.disabled else found

    def auth_time_of(self, request: _Request) -> int:
        return int(request.auth_time or time.time())

    def revoke_family(self, family: str, reason: str) -> None:
        """End a refresh-token family and every access token it gave out."""
        rows = wait(
            self.store.write,
            refresh_token.REVOKE_FAMILY,
            {"family": family, "now": int(time.time())},
        )
        jtis = rows[0]["access_jtis"] if rows else []
        until = int(time.time()) + self.lifetime
        wait(self.state.revoke, [(jti, until) for jti in jtis], reason)

    # Tokens
    def issue(
        self,
        request: _Request,
        *,
        user: Account | None,
        scope: str,
        grant_type: str,
        include_refresh_token: bool,
    ) -> dict[str, Any]:
        client: Client = request.client
        if grant_type != "refresh_token":
            # No scope asked for: the scopes the client was registered with (RFC 6749 §3.3).
            scope = scope or " ".join(client.scopes)
            granted = client.get_allowed_scope(scope)
        else:
            granted = scope
        if scope and not granted:
            raise InvalidScopeError()
        ring = wait(self.keys.current)
        issued = tokens.issue_access_token(
            ring,
            issuer=self.issuer,
            audience=self.settings.token_audience,
            subject=self.subject(user, client),
            client_id=client.client_id,
            scope=granted,
            orgs=list(user.orgs) if user is not None else list(client.subtree),
            person_id=user.person_id if user is not None else None,
            lifetime_s=self.lifetime,
            now_s=int(time.time()),
            auth_time=request.auth_time,
        )
        token: dict[str, Any] = {
            "token_type": "Bearer",
            "access_token": issued.token,
            "expires_in": self.lifetime,
            "scope": granted,
            "_jti": issued.jti,
        }
        if include_refresh_token and user is not None:
            token["refresh_token"] = "rt_" + secrets.token_urlsafe(32)
        return token

    def subject(self, user: Account | None, client: Client) -> str:
        return client.client_id if user is None else self.accounts.subject_for(user, client)

    def id_token(
        self, request: _Request, *, nonce: str | None, scope: str, access_token: str
    ) -> str:
        user: Account = request.user
        ring = wait(self.keys.current)
        return tokens.issue_id_token(
            ring,
            issuer=self.issuer,
            client_id=request.client.client_id,
            subject=self.subject(user, request.client),
            nonce=nonce,
            auth_time=self.auth_time_of(request),
            lifetime_s=self.lifetime,
            now_s=int(time.time()),
            claims=claims_of(user, scope),
        )

    # The framework's side
    def create_oauth2_request(self, request: Captured | _Request) -> _Request:
        return request if isinstance(request, _Request) else _Request(request)

    def create_json_request(self, request: Captured) -> _Request:
        return _Request(request)

    def handle_response(self, status: int, body: Any, headers: Any) -> Response:
        headers = dict(headers or [])
        if isinstance(body, Mapping):
            body = {key: value for key, value in body.items() if not key.startswith("_")}
            content = orjson.dumps(body)
            headers["Content-Type"] = "application/json"
        else:
            content = (body or "").encode() if isinstance(body, str) else body or b""
        location = headers.get("Location")
        if location and 300 <= status < 400:
            headers["Location"] = _with_issuer(location, self.issuer)  # RFC 9207
        headers.setdefault("Cache-Control", "no-store")
        return Response(content, status_code=status, headers=headers)

    def send_signal(self, name: str, *args: object, **kwargs: object) -> None:
        """authlib announces client authentication and revocations; nobody listens."""

    def validate_requested_scope(self, scope: str | None) -> None:
        """Scopes are checked against the client's grant when the token is made."""
        del scope


def claims_of(account: Account, scope: str) -> dict[str, Any]:
    """The claims released to a relying party for ``scope``; never an ID number."""
    asked = set(scope_to_list(scope) or [])
    claims: dict[str, Any] = {}
    if "profile" in asked:
        claims["name"] = account.name
    if "phone" in asked:
        claims["phone_number"] = account.phone_masked
    if "org:read" in asked and account.orgs:
        claims["orgs"] = list(account.orgs)
    return claims


def _with_issuer(location: str, issuer: str) -> str:
    return str(add_params_to_uri(location, {"iss": issuer}))


def _never(**_: object) -> dict[str, Any]:
    raise RuntimeError("tokens are made by HubAuthorizationServer.issue")


def scope_for(orgs: list[str], root_id: str | None) -> Scope:
    """The subtree bound of a token naming ``orgs``: the whole tree when one is the root."""
    if root_id is not None and root_id in orgs:
        return Scope.everything()
    return Scope(*orgs) if orgs else Scope.nothing()
