"""The client registry on the seeded province: register, find, list, revoke; what it refuses."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from graphdb import Scope, Store
from graphdb import statement as cypher
from hub.auth.clients import Client, ClientError, ClientRegistry
from tests.fixtures.sign_on import signing_on

CALLBACK = "https://app.example.org/cb"
STORED = cypher.read(
    "test.oauth_client_properties",
    "MATCH (c:OAuthClient {client_id: $client_id}) RETURN properties(c) AS props",
    bound=cypher.WHOLE_TREE,
)


@pytest.fixture
async def registry(seeded: Store) -> AsyncIterator[ClientRegistry]:
    async with signing_on(seeded) as store:
        yield ClientRegistry(store)


async def test_a_partner_is_registered_listed_and_revoked(registry: ClientRegistry) -> None:
    partner, secret = await registry.add(
        "Market regulator", "confidential", ["org:read", "member:read"], subtree=["ORG0000002"]
    )
    assert secret is not None
    assert len(secret) >= 43
    assert partner.client_id.startswith("c_")
    assert len(partner.client_id) == 18
    found = await registry.get(partner.client_id)
    assert found == partner
    assert found.check_client_secret(secret)
    assert not found.check_client_secret(secret + "x")
    assert found.subtree == ("ORG0000002",)
    assert found.check_grant_type("client_credentials")
    assert not found.check_grant_type("password")
    assert not found.check_grant_type("implicit")
    app, none = await registry.add("Youth app", "public", ["openid"], redirect_uris=[CALLBACK])
    assert none is None
    assert not app.check_client_secret("")
    assert [c.client_id for c in await registry.list()] == [partner.client_id, app.client_id]
    assert await registry.revoke(partner.client_id)
    assert await registry.revoke(partner.client_id)  # again: still revoked, no error
    revoked = await registry.get(partner.client_id)
    assert revoked is not None
    assert revoked.revoked_at is not None
    assert not await registry.revoke("c_nosuchclient000")
    assert await registry.get("c_nosuchclient000") is None


async def test_the_graph_holds_no_secret_in_clear(registry: ClientRegistry, seeded: Store) -> None:
    client, secret = await registry.add("Trade union", "confidential", ["org:read"])
    assert secret is not None
    rows = await seeded.read(STORED, {"client_id": client.client_id}, scope=Scope.everything())
    props = rows[0]["props"]
    assert secret not in repr(props)
    assert props["secret_hash"].startswith("$argon2id$")


async def test_public_and_confidential_clients_authenticate_differently(
    registry: ClientRegistry,
) -> None:
    partner, _ = await registry.add("Partner", "confidential", ["org:read"])
    app, _ = await registry.add("App", "public", ["member:read"], redirect_uris=[CALLBACK])
    for method in ("client_secret_basic", "client_secret_post"):
        assert partner.check_endpoint_auth_method(method, "token")
        assert not app.check_endpoint_auth_method(method, "token")
    assert app.check_endpoint_auth_method("none", "token")
    assert not partner.check_endpoint_auth_method("none", "token")
    assert not app.check_grant_type("client_credentials")
    assert app.check_grant_type("authorization_code")
    assert app.check_grant_type("refresh_token")
    for client in (partner, app):
        assert client.check_response_type("code")
        assert not client.check_response_type("token")
        assert not client.check_response_type("code id_token")


async def test_only_granted_scopes_are_allowed(registry: ClientRegistry) -> None:
    partner, _ = await registry.add("Partner", "confidential", ["org:read", "member:read"])
    app, _ = await registry.add("App", "public", ["member:read"], redirect_uris=[CALLBACK])
    asked = "member:read pii:read openid org:read member:read"
    assert partner.get_allowed_scope(asked) == "member:read org:read"
    assert app.get_allowed_scope(asked) == "member:read openid"
    assert app.get_allowed_scope("openid profile phone offline_access audit:read") == (
        "openid profile phone offline_access"
    )
    assert partner.get_allowed_scope("") == ""


@pytest.mark.parametrize(
    "asked",
    [
        CALLBACK + "/../x",
        "https://app.example.org/cb/../cb",
        CALLBACK + "?next=/admin",
        CALLBACK + "#fragment",
        CALLBACK + "/",
        "https://evil.example.org/cb",
        "https://app.example.org.evil.example/cb",
        "http://app.example.org/cb",
        "HTTPS://app.example.org/cb",
        "https://APP.example.org/cb",
        "https://app.example.org:443/cb",
        "",
    ],
)
async def test_redirect_uris_match_exactly(registry: ClientRegistry, asked: str) -> None:
    app, _ = await registry.add("App", "public", ["openid"], redirect_uris=[CALLBACK])
    stored = await registry.get(app.client_id)
    assert stored is not None
    assert stored.check_redirect_uri(CALLBACK)
    assert not stored.check_redirect_uri(asked)


async def test_the_default_redirect_uri_is_the_only_one(registry: ClientRegistry) -> None:
    one, _ = await registry.add("One", "public", ["openid"], redirect_uris=[CALLBACK])
    two, _ = await registry.add(
        "Two", "public", ["openid"], redirect_uris=[CALLBACK, "http://127.0.0.1:8765/cb"]
    )
    assert one.get_default_redirect_uri() == CALLBACK
    assert two.get_default_redirect_uri() is None


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"scopes": ["member:write"]}, "unknown scope 'member:write'"),
        ({"scopes": []}, "at least one scope"),
        ({"client_type": "native"}, "confidential"),
        ({"subject_type": "random"}, "public or pairwise"),
        ({"name": "  "}, "name"),
        ({"redirect_uris": ["/cb"]}, "not absolute"),
        ({"redirect_uris": ["app.example.org/cb"]}, "not absolute"),
        ({"redirect_uris": ["http://app.example.org/cb"]}, "use https"),
        ({"redirect_uris": [CALLBACK + "#top"]}, "fragment"),
        ({"redirect_uris": [CALLBACK + "#"]}, "fragment"),
        ({"redirect_uris": ["ftp://app.example.org/cb"]}, "not https"),
        ({"redirect_uris": ["https://app.example.org:99999/cb"]}, "not a valid URL"),
        ({"redirect_uris": ["https://app.example.org/c b"]}, "no spaces"),
        ({"subtree": ["ORG9999999"]}, "ORG9999999"),
        ({"client_type": "public", "subtree": ["ORG0000002"]}, "drop --subtree"),
        ({"client_type": "public", "redirect_uris": []}, "--redirect-uri"),
    ],
)
async def test_bad_registrations_say_what_to_change(
    registry: ClientRegistry, change: dict[str, object], says: str
) -> None:
    asked: dict[str, object] = {
        "name": "Partner",
        "client_type": "confidential",
        "scopes": ["org:read"],
        "redirect_uris": [CALLBACK],
        "subtree": [],
        "subject_type": "public",
        **change,
    }
    with pytest.raises(ClientError, match=says):
        await registry.add(**asked)  # type: ignore[arg-type]
    assert await registry.list() == []


async def test_loopback_http_is_allowed_for_development(registry: ClientRegistry) -> None:
    uris = ["http://localhost:3000/cb", "http://127.0.0.1:8765/callback"]
    app, _ = await registry.add("Dev app", "public", ["openid"], redirect_uris=uris)
    assert app.redirect_uris == tuple(uris)
    assert isinstance(await registry.get(app.client_id), Client)
