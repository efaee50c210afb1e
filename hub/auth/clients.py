"""The client registry (RFC 6749 §2): who may ask the hub for tokens, and for what.

Two kinds of client (RFC 6749 §2.1):

* ``confidential``: partner agencies and server-side platforms, holding a secret
  (``client_secret_basic`` or ``client_secret_post``, §2.3.1); they may use the
  client-credentials grant for their own tokens, bounded to ``subtree``, and the
  authorization code grant on behalf of people who sign in;
* ``public``: apps that cannot keep a secret (``none``); authorization code with
  PKCE only (RFC 7636), never client credentials.

Redirect URIs are compared as exact strings (RFC 6749 §3.1.2.3, OAuth 2.0
Security BCP §4.1.3): no normalisation, so ``/cb/../x``, an added query or
another host never match. A secret is shown once, at registration, and kept
only as an Argon2id hash. Clients live in the graph (``graphdb.security.oauth_client``).
"""

from __future__ import annotations

import builtins
import secrets
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from authlib.oauth2.rfc6749 import ClientMixin

from graphdb import Scope, Store
from graphdb.security import oauth_client

ClientType = Literal["confidential", "public"]
SubjectType = Literal["public", "pairwise"]

DATA_SCOPES = ("org:read", "member:read", "enterprise:read", "pii:read", "audit:read")
# OpenID Connect scopes (OIDC Core §5.4, §11): for clients that people sign in to.
SIGN_ON_SCOPES = ("openid", "profile", "phone", "offline_access")
KNOWN_SCOPES = DATA_SCOPES + SIGN_ON_SCOPES
GRANT_TYPES: dict[ClientType, tuple[str, ...]] = {
    "confidential": ("client_credentials", "authorization_code", "refresh_token"),
    "public": ("authorization_code", "refresh_token"),
}
AUTH_METHODS: dict[ClientType, tuple[str, ...]] = {
    "confidential": ("client_secret_basic", "client_secret_post"),
    "public": ("none",),
}
_LOOPBACK = ("localhost", "127.0.0.1")
_ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: read aloud, typed by hand
_MAX_NAME = 100

_hasher = PasswordHasher()  # Argon2id, RFC 9106 low-memory profile


class ClientError(ValueError):
    """A registration the registry refuses; the message says what to change."""

    code = "INVALID_CLIENT_METADATA"  # RFC 7591 §3.2.2


@dataclass(frozen=True)
class Client(ClientMixin):  # type: ignore[misc]
    """A registered client, as authlib's grants and endpoints ask about it."""

    client_id: str
    name: str
    client_type: ClientType
    scopes: tuple[str, ...]
    redirect_uris: tuple[str, ...]
    subtree: tuple[str, ...]  # org ids its client-credentials tokens may see; () = none
    subject_type: SubjectType
    created_at: int
    revoked_at: int | None = None
    secret_hash: str | None = None

    @property
    def grant_types(self) -> tuple[str, ...]:
        return GRANT_TYPES[self.client_type]

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        """The redirect URI when only one is registered; with several the request must name one."""
        return self.redirect_uris[0] if len(self.redirect_uris) == 1 else None

    def get_allowed_scope(self, scope: str | None) -> str:
        """The requested scopes this client was granted, in the order asked, once each."""
        if not scope:
            return ""
        allowed = set(self.scopes)
        if self.redirect_uris:
            allowed |= set(SIGN_ON_SCOPES)
        return " ".join(dict.fromkeys(s for s in scope.split() if s in allowed))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        """Exact string comparison (RFC 6749 §3.1.2.3): no normalisation of any kind."""
        return isinstance(redirect_uri, str) and redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        """Argon2id verification (constant time); a public client has no secret to match."""
        if self.secret_hash is None or not isinstance(client_secret, str):
            return False
        try:
            return _hasher.verify(self.secret_hash, client_secret)
        except (VerificationError, InvalidHashError):
            return False

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in AUTH_METHODS[self.client_type]

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"  # no implicit flow, no hybrid

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.grant_types


class ClientRegistry:
    """Registers, finds, lists and revokes clients in the graph."""

    def __init__(self, store: Store) -> None:
        self._store = store

    async def add(
        self,
        name: str,
        client_type: str,
        scopes: Iterable[str],
        redirect_uris: Iterable[str] = (),
        subtree: Iterable[str] = (),
        subject_type: str = "public",
    ) -> tuple[Client, str | None]:
        """Register a client; return it and its secret (None for a public client).

        The secret is in no other place: only its hash is stored.
        """
        kind = _client_type(client_type)
        subject = _subject_type(subject_type)
        label = _name(name)
        granted = _scopes(scopes)
        uris = tuple(dict.fromkeys(_redirect_uri(uri) for uri in redirect_uris))
        roots = tuple(dict.fromkeys(subtree))
        if kind == "public" and roots:
            raise ClientError(
                "a public client gets no client-credentials tokens, so it has no subtree of "
                "its own: drop --subtree, or register it as --type confidential"
            )
        if kind == "public" and not uris:
            raise ClientError(
                "a public client signs people in, so it needs at least one --redirect-uri"
            )
        await self._check_organizations(roots)
        secret = secrets.token_urlsafe(32) if kind == "confidential" else None
        secret_hash = await anyio.to_thread.run_sync(_hasher.hash, secret) if secret else None
        client = Client(
            client_id="c_" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(16)),
            name=label,
            client_type=kind,
            scopes=granted,
            redirect_uris=uris,
            subtree=roots,
            subject_type=subject,
            created_at=_now(),
            secret_hash=secret_hash,
        )
        props = {
            "name": client.name,
            "client_type": client.client_type,
            "scopes": list(client.scopes),
            "redirect_uris": list(client.redirect_uris),
            "subtree": list(client.subtree),
            "subject_type": client.subject_type,
            "secret_hash": client.secret_hash,
        }
        await self._store.write(
            oauth_client.CREATE,
            {"client_id": client.client_id, "props": props, "now": client.created_at},
        )
        return client, secret

    async def get(self, client_id: str) -> Client | None:
        """The client of this id, revoked ones included (``revoked_at`` set); None if unknown."""
        if not isinstance(client_id, str) or not client_id:
            return None
        rows = await self._store.read(
            oauth_client.BY_ID, {"client_id": client_id}, scope=Scope.everything()
        )
        return _client(rows[0]["client"]) if rows else None

    async def list(self) -> builtins.list[Client]:
        """Every client, revoked ones included, oldest first."""
        rows = await self._store.read(oauth_client.LIST, scope=Scope.everything())
        return [_client(row["client"]) for row in rows]

    async def revoke(self, client_id: str) -> bool:
        """Revoke a client for good; False if there is no such client. Revoking twice is fine."""
        rows = await self._store.write(oauth_client.REVOKE, {"client_id": client_id, "now": _now()})
        return bool(rows)

    async def _check_organizations(self, roots: tuple[str, ...]) -> None:
        if not roots:
            return
        rows = await self._store.read(
            oauth_client.KNOWN_ORGANIZATIONS, {"ids": list(roots)}, scope=Scope.everything()
        )
        unknown = sorted(set(roots) - {row["id"] for row in rows})
        if unknown:
            raise ClientError(
                f"no organisation has the id {', '.join(unknown)}: give --subtree the code of "
                "an organisation in the tree (such as ORG0000002)"
            )


def _client(node: Mapping[str, Any]) -> Client:
    return Client(
        client_id=node["client_id"],
        name=node["name"],
        client_type=node["client_type"],
        scopes=tuple(node.get("scopes") or ()),
        redirect_uris=tuple(node.get("redirect_uris") or ()),
        subtree=tuple(node.get("subtree") or ()),
        subject_type=node["subject_type"],
        created_at=node["created_at"],
        revoked_at=node.get("revoked_at"),
        secret_hash=node.get("secret_hash"),
    )


def _client_type(value: str) -> ClientType:
    if value not in get_args(ClientType):
        raise ClientError(
            f"a client is confidential (a partner agency or a server that keeps a secret) "
            f"or public (an app, PKCE only), not {value!r}"
        )
    return value  # type: ignore[return-value]


def _subject_type(value: str) -> SubjectType:
    if value not in get_args(SubjectType):
        raise ClientError(f"the subject type is public or pairwise, not {value!r}")
    return value  # type: ignore[return-value]


def _name(value: str) -> str:
    name = value.strip() if isinstance(value, str) else ""
    if not name or len(name) > _MAX_NAME or not name.isprintable():
        raise ClientError(
            f"give the client a name people recognise, 1 to {_MAX_NAME} printable characters"
        )
    return name


def _scopes(values: Iterable[str]) -> tuple[str, ...]:
    granted = tuple(dict.fromkeys(values))
    unknown = [s for s in granted if s not in KNOWN_SCOPES]
    if unknown:
        raise ClientError(
            f"unknown scope {', '.join(repr(s) for s in unknown)}: "
            f"choose from {' '.join(KNOWN_SCOPES)}"
        )
    if not granted:
        raise ClientError(f"grant at least one scope: {' '.join(KNOWN_SCOPES)}")
    return granted


def _redirect_uri(uri: str) -> str:
    """An absolute https URI (http only to the loopback), with no fragment (RFC 6749 §3.1.2)."""
    advice = "register the exact https URL your app receives the code at"
    if not isinstance(uri, str) or not uri.isprintable() or " " in uri:
        raise ClientError(f"a redirect URI has no spaces or control characters; {advice}")
    if "#" in uri:
        raise ClientError(f"redirect URI {uri!r} has a fragment (#), which OAuth forbids; {advice}")
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018  a bad port raises here
    except ValueError:
        raise ClientError(f"redirect URI {uri!r} is not a valid URL; {advice}") from None
    if not parts.scheme or not parts.hostname:
        raise ClientError(f"redirect URI {uri!r} is not absolute; {advice}")
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
        raise ClientError(
            f"redirect URI {uri!r} is plain http: use https (http only for localhost "
            "or 127.0.0.1 while developing)"
        )
    if parts.scheme not in ("https", "http"):
        raise ClientError(f"redirect URI {uri!r} is not https; {advice}")
    return uri


def _now() -> int:
    return int(time.time() * 1000)
