"""The whole sign-in flow over HTTP with a cookie jar: discovery, code + PKCE, tokens,
userinfo, refresh with rotation, revocation, introspection; client credentials.

The people and the partner client are the demo's (``hub.auth.demo``) on the
seeded tiny province; a relying platform is registered per test.
"""

from __future__ import annotations

from joserfc import jwt
from joserfc.jwk import KeySet

from tests.fixtures.oauth import (
    REDIRECT,
    RP_SCOPES,
    Pkce,
    Place,
    bearer,
    code_flow,
    exchange,
    graphql,
    refresh,
    sign_in,
)


async def test_discovery_names_every_endpoint_on_the_issuer(place: Place) -> None:
    found = (await place.http.get("/.well-known/openid-configuration")).json()
    assert found == (await place.http.get("/.well-known/oauth-authorization-server")).json()
    issuer = found["issuer"]
    for name in ("authorization", "token", "userinfo", "revocation", "introspection"):
        assert found[f"{name}_endpoint"].startswith(issuer + "/oauth/")
    assert found["code_challenge_methods_supported"] == ["S256"]
    assert found["response_types_supported"] == ["code"]
    assert "password" not in found["grant_types_supported"]
    assert found["authorization_response_iss_parameter_supported"] is True
    keys = (await place.http.get("/oauth/jwks")).json()["keys"]
    assert len(keys) >= 2
    assert all("d" not in key and key["use"] == "sig" for key in keys)


async def test_a_person_signs_in_and_a_platform_gets_tokens_userinfo_and_refreshes(
    place: Place,
) -> None:
    http = place.http
    phone, password = place.account("township_cadre")
    assert (await sign_in(http, phone, password)).status_code == 303
    pkce = Pkce.new()
    code, answer = await code_flow(http, place.rp_id, REDIRECT, " ".join(RP_SCOPES), pkce)
    issuer = (await http.get("/.well-known/openid-configuration")).json()["issuer"]
    assert answer["iss"] == issuer  # RFC 9207
    tokens = await exchange(place, code, pkce)
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 600
    assert body["refresh_token"].startswith("rt_")
    keys = KeySet.import_key_set((await http.get("/oauth/jwks")).json())
    access = jwt.decode(body["access_token"], keys)
    assert access.header["typ"] == "at+jwt"
    assert access.claims["client_id"] == place.rp_id
    assert access.claims["iss"] == issuer
    assert access.claims["orgs"]  # the township cadre's subtree
    identity = jwt.decode(body["id_token"], keys).claims
    assert identity["aud"] == place.rp_id
    assert identity["sub"] == access.claims["sub"]
    assert phone not in body["id_token"]
    assert "nonce" in identity

    as_access = await graphql(http, body["id_token"])  # an ID token is not an access token
    assert as_access.status_code == 401
    assert "at+jwt" in as_access.json()["errors"][0]["message"]

    info = await http.get("/oauth/userinfo", headers=bearer(body["access_token"]))
    assert info.status_code == 200, info.text
    assert info.json()["sub"] == identity["sub"]
    assert info.json()["phone_number"].count("*") == 4

    renewed = await refresh(place, body["refresh_token"])
    assert renewed.status_code == 200, renewed.text
    assert renewed.json()["refresh_token"] != body["refresh_token"]
    # The rotated token, used again: refused, and its whole family with it.
    reused = await refresh(place, body["refresh_token"])
    assert reused.status_code == 400
    assert reused.json()["error"] == "invalid_grant"
    after = await refresh(place, renewed.json()["refresh_token"])
    assert after.json()["error"] == "invalid_grant"
    assert (await graphql(http, renewed.json()["access_token"])).status_code == 401


async def test_revoked_access_tokens_introspect_inactive_and_stop_working(place: Place) -> None:
    http = place.http
    partner = place.demo.clients[0]
    auth = (partner.client_id, partner.client_secret)
    issued = await http.post(
        "/oauth/token", auth=auth, data={"grant_type": "client_credentials", "scope": "member:read"}
    )
    assert issued.status_code == 200, issued.text
    token = issued.json()["access_token"]
    assert "refresh_token" not in issued.json()
    default = await http.post("/oauth/token", auth=auth, data={"grant_type": "client_credentials"})
    assert set(default.json()["scope"].split()) == set(partner.scopes)  # none asked: as registered
    seen = (await http.post("/oauth/introspect", auth=auth, data={"token": token})).json()
    assert seen["active"] is True
    assert seen["client_id"] == partner.client_id
    assert seen["scope"] == "member:read"
    assert (await graphql(http, token)).status_code == 200
    assert (await http.post("/oauth/revoke", auth=auth, data={"token": token})).status_code == 200
    seen = (await http.post("/oauth/introspect", auth=auth, data={"token": token})).json()
    assert seen == {"active": False}
    refused = await graphql(http, token)
    assert refused.status_code == 401
    assert 'error="invalid_token"' in refused.headers["www-authenticate"]
    assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_public_client_needs_pkce_and_no_secret(place: Place) -> None:
    http = place.http
    phone, password = place.account("member")
    await sign_in(http, phone, password)
    pkce = Pkce.new()
    code, _ = await code_flow(http, place.public_id, REDIRECT, "openid profile", pkce)
    wrong = await http.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": place.public_id,
            "code_verifier": Pkce.new().verifier,
        },
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"
