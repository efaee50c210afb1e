"""Everything sign-on needs in one hub process, opened once when the process starts.

:class:`Authority` holds the store, the Redis state, the client registry, the
accounts, the key cache and the authorization server, and answers the
questions the endpoints and the GraphQL endpoint ask: the discovery document,
who a bearer token names (:meth:`Authority.caller`), what userinfo releases.
"""

from __future__ import annotations

import base64
import re
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlencode

import redis.asyncio
from starlette.requests import HTTPConnection

from connectors import IdentityHasher
from graphdb import Scope, Store
from graphdb.domain import organization
from graphdb.security.seal import Sealer
from hub.auth import tokens
from hub.auth.accounts import Accounts
from hub.auth.clients import ClientRegistry
from hub.auth.keys import KeyCache
from hub.auth.pages import SCOPE_TEXT, Csrf
from hub.auth.server import Captured, HubAuthorizationServer, claims_of, scope_for
from hub.auth.sms import ConsoleSms, SmsProvider
from hub.auth.state import AuthState
from hub.settings import Settings
from schema.caller import READ_SCOPES, Caller

PURPOSE_HEADER = "x-purpose"
VERIFIED_KEPT = 4096
_PURPOSE = re.compile(r"^[^\x00-\x1f\x7f]{1,200}$")


class Unauthorized(Exception):
    """A bearer token that does not verify: 401 with ``WWW-Authenticate``."""

    code = "UNAUTHENTICATED"

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


def bearer_challenge(description: str) -> str:
    """The ``WWW-Authenticate`` value of a refused token (RFC 6750 §3)."""
    said = description.replace("\\", "").replace('"', "'")
    return f'Bearer realm="youthgraph", error="invalid_token", error_description="{said}"'


@dataclass
class Authority:
    settings: Settings
    store: Store
    state: AuthState
    clients: ClientRegistry
    accounts: Accounts
    keys: KeyCache
    hasher: IdentityHasher
    sms: SmsProvider
    csrf: Csrf
    server: HubAuthorizationServer
    root_id: str | None
    # Tokens already verified, until they expire: a client sends the same token for
    # minutes, and its signature need not be checked again (its revocation always is).
    _verified: OrderedDict[str, tokens.AccessClaims] = field(
        default_factory=OrderedDict, init=False, repr=False
    )

    @classmethod
    async def open(
        cls,
        settings: Settings,
        store: Store,
        client: redis.asyncio.Redis,
        redis_url: str,
        sms: SmsProvider | None = None,
    ) -> Authority:
        secret = settings.auth_secret.get_secret_value()
        hasher = IdentityHasher(settings.pii_key.get_secret_value())
        keys = KeyCache(store, Sealer(secret, "signing-key"), settings)
        await keys.ensure()
        state = AuthState(client, store, redis_url)
        await state.reload_revocations()
        clients = ClientRegistry(store)
        accounts = Accounts(store, hasher, secret)
        server = HubAuthorizationServer(settings, store, state, clients, accounts, keys)
        roots = await store.read(organization.ROOTS)
        return cls(
            settings,
            store,
            state,
            clients,
            accounts,
            keys,
            hasher,
            sms or ConsoleSms(),
            Csrf(secret),
            server,
            roots[0]["id"] if len(roots) == 1 else None,
        )

    @property
    def issuer(self) -> str:
        return self.server.issuer

    def metadata(self) -> dict[str, Any]:
        """OpenID Connect discovery and RFC 8414 metadata: one document for both."""
        base = self.issuer
        return {
            "issuer": base,
            "authorization_endpoint": f"{base}/oauth/authorize",
            "token_endpoint": f"{base}/oauth/token",
            "userinfo_endpoint": f"{base}/oauth/userinfo",
            "jwks_uri": f"{base}/oauth/jwks",
            "revocation_endpoint": f"{base}/oauth/revoke",
            "introspection_endpoint": f"{base}/oauth/introspect",
            "end_session_endpoint": f"{base}/oauth/logout",
            "scopes_supported": ["openid", "profile", "phone", "offline_access", *READ_SCOPES],
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
                "none",
            ],
            "revocation_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
                "none",
            ],
            "introspection_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
            ],
            "subject_types_supported": ["public", "pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "claims_supported": [
                "sub",
                "iss",
                "aud",
                "exp",
                "iat",
                "auth_time",
                "nonce",
                "name",
                "phone_number",
                "orgs",
            ],
            "authorization_response_iss_parameter_supported": True,
            "scope_descriptions": SCOPE_TEXT,
        }

    def client_id_of(self, captured: Captured) -> str | None:
        """The client a token-endpoint request names, by HTTP Basic or by form."""
        scheme, _, value = captured.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(value.strip(), validate=True).decode()
            except (ValueError, UnicodeDecodeError):
                return None
            return unquote(decoded.partition(":")[0]) or None
        return captured.form.get("client_id") or None

    async def verify(self, token: str) -> tuple[tokens.AccessClaims | None, str]:
        """The token's verified claims, or None and what is wrong with it."""
        claims = self._verified.get(token)
        if claims is None or claims.expires_at <= time.time():
            try:
                claims = await self.keys.verify(token)
            except tokens.InvalidToken as error:
                self._verified.pop(token, None)
                return None, str(error)
            self._verified[token] = claims
            if len(self._verified) > VERIFIED_KEPT:
                self._verified.popitem(last=False)
        if await self.state.is_revoked(claims.jti):
            return None, "the token has been revoked"
        return claims, ""

    async def caller(self, connection: HTTPConnection) -> Caller:
        """Who a request is: anonymous without a token, else what its token says.

        Raises :class:`Unauthorized` for a token that does not verify (never
        anonymous instead: a client that sent a token meant to be someone).
        """
        header = connection.headers.get("authorization")
        if header is None:
            return Caller.anonymous()
        scheme, _, credential = header.partition(" ")
        if scheme.lower() != "bearer" or not credential.strip():
            raise Unauthorized("send the access token as: Authorization: Bearer <token>")
        claims, problem = await self.verify(credential.strip())
        if claims is None:
            raise Unauthorized(problem)
        purpose = connection.headers.get(PURPOSE_HEADER)
        if purpose is not None:
            purpose = unquote(purpose).strip()
            if not _PURPOSE.match(purpose):
                raise Unauthorized("X-Purpose must be a short text (1 to 200 characters)")
        if not claims.orgs:  # no subtree: the public tree (and an account's own record)
            scope, grants = Scope.everything(), frozenset[str]()
        else:
            scope = scope_for(list(claims.orgs), self.root_id)
            grants = frozenset(claims.scopes) & frozenset(READ_SCOPES)
        return Caller(
            "account" if claims.person_id else "client",
            scope,
            grants,
            subject=claims.subject,
            client_id=claims.client_id,
            person_id=claims.person_id,
            purpose=purpose or None,
            token_id=claims.jti,
            orgs=tuple(claims.orgs),
        )

    async def userinfo(self, claims: tokens.AccessClaims) -> dict[str, Any] | None:
        account = await self.accounts.by_person(claims.person_id or "")
        client = await self.clients.get(claims.client_id)
        if account is None or account.disabled or client is None:
            return None
        return {
            "sub": self.accounts.subject_for(account, client),
            **claims_of(account, " ".join(claims.scopes)),
        }

    async def logout_target(self, params: dict[str, str]) -> str | None:
        """Where RP-initiated logout sends the browser: a URI the client registered, or
        nowhere; an unregistered one is refused (a string starting with ``!``)."""
        wanted = params.get("post_logout_redirect_uri")
        if not wanted:
            return None
        client_id = params.get("client_id")
        hint = params.get("id_token_hint")
        if hint:
            client_id = await self.keys.audience_of_id_token(hint) or client_id
        client = await self.clients.get(client_id) if client_id else None
        if client is None or wanted not in client.redirect_uris:
            return "!post_logout_redirect_uri is not registered for this client"
        state = params.get("state")
        if state:
            separator = "&" if "?" in wanted else "?"
            return f"{wanted}{separator}{urlencode({'state': state})}"
        return wanted
