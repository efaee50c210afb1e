"""Every bad sign-on request gets its RFC error code, or a 401/403/429, never a 500."""

from __future__ import annotations

import asyncio
import base64

import httpx
import orjson
import pytest

from tests.fixtures.oauth import (
    REDIRECT,
    Pkce,
    Place,
    authorize_params,
    code_flow,
    consent,
    exchange,
    graphql,
    hidden_fields,
    sign_in,
)


async def _signed_in(place: Place) -> httpx.AsyncClient:
    phone, password = place.account("city_cadre")
    assert (await sign_in(place.http, phone, password)).status_code == 303
    return place.http


async def test_a_code_works_once_and_its_reuse_revokes_what_it_gave(place: Place) -> None:
    http = await _signed_in(place)
    pkce = Pkce.new()
    code, _ = await code_flow(http, place.rp_id, REDIRECT, "openid org:read", pkce)
    first = await exchange(place, code, pkce)
    assert first.status_code == 200, first.text
    again = await exchange(place, code, pkce)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    assert (await graphql(http, first.json()["access_token"])).status_code == 401


async def test_another_clients_code_is_not_found(place: Place) -> None:
    http = await _signed_in(place)
    pkce = Pkce.new()
    code, _ = await code_flow(http, place.public_id, REDIRECT, "openid", pkce)
    stolen = await exchange(place, code, pkce)  # presented by the confidential platform
    assert stolen.status_code == 400
    assert stolen.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"code_challenge": None, "code_challenge_method": None}, "invalid_request"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge_method": None}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "openid audit:read"}, "invalid_scope"),
    ],
)
async def test_bad_authorization_requests_go_back_with_their_error(
    place: Place, change: dict[str, str | None], error: str
) -> None:
    http = await _signed_in(place)
    params = authorize_params(place.rp_id, REDIRECT, "openid", Pkce.new())
    params = {k: v for k, v in {**params, **change}.items() if v is not None}
    answer = await http.get("/oauth/authorize", params=params)
    if answer.status_code == 200:  # shown the consent page: the error comes on allowing
        answer = await http.post(
            "/oauth/authorize", data={**hidden_fields(answer.text), "decision": "allow"}
        )
    assert answer.status_code in (302, 303), answer.text
    location = answer.headers["location"]
    assert location.startswith(REDIRECT + "?"), location
    assert f"error={error}" in location, location


@pytest.mark.parametrize(
    "redirect",
    [
        "http://127.0.0.1:9/callback/../x",
        "http://127.0.0.1:9/callback?extra=1",
        "http://127.0.0.1:9/callback#fragment",
        "http://evil.example/callback",
        "https://127.0.0.1:9/callback",
        "http://127.0.0.1:10/callback",
        "http://127.0.0.1:9/Callback",
    ],
)
async def test_a_redirect_uri_must_match_exactly_and_is_never_followed(
    place: Place, redirect: str
) -> None:
    http = await _signed_in(place)
    params = authorize_params(place.rp_id, redirect, "openid", Pkce.new())
    answer = await http.get("/oauth/authorize", params=params)
    assert answer.status_code == 400, answer.text
    assert "location" not in answer.headers
    assert answer.json()["error"] == "invalid_request"


async def test_denying_consent_sends_access_denied(place: Place) -> None:
    http = await _signed_in(place)
    params = authorize_params(place.rp_id, REDIRECT, "openid", Pkce.new())
    answer = await consent(http, params, decision="deny")
    assert "error=access_denied" in answer.headers["location"]
    assert "iss=" in answer.headers["location"]


async def test_grants_the_hub_does_not_offer_are_refused(place: Place) -> None:
    http = place.http
    phone, password = place.account("member")
    for data in (
        {"grant_type": "password", "username": phone, "password": password},
        {"grant_type": "implicit"},
    ):
        answer = await http.post("/oauth/token", auth=(place.rp_id, place.rp_secret), data=data)
        assert answer.status_code == 400
        assert answer.json()["error"] == "unsupported_grant_type"


async def test_a_scope_the_client_was_not_granted_is_refused(place: Place) -> None:
    partner = place.demo.clients[0]
    answer = await place.http.post(
        "/oauth/token",
        auth=(partner.client_id, partner.client_secret),
        data={"grant_type": "client_credentials", "scope": "pii:read"},
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_scope"


async def test_guessing_a_client_secret_gets_401_then_429(place: Place) -> None:
    partner = place.demo.clients[0]
    codes = []
    for attempt in range(12):
        answer = await place.http.post(
            "/oauth/token",
            auth=(partner.client_id, f"guess-{attempt}"),
            data={"grant_type": "client_credentials"},
        )
        codes.append(answer.status_code)
        assert answer.json()["error"] in ("invalid_client", "slow_down")
    assert codes[0] == 401
    assert codes[-1] == 429
    right = await place.http.post(
        "/oauth/token",
        auth=(partner.client_id, partner.client_secret),
        data={"grant_type": "client_credentials"},
    )
    assert right.status_code == 429  # even the right secret waits out the minute


async def test_guessing_a_password_gets_401_then_429(place: Place) -> None:
    # A number with no account: counted the same, so that the guesses tell nothing, and
    # no demo account is locked for the next minute of the suite.
    phone = "13912345678"
    assert phone not in {account.phone for account in place.demo.accounts}
    statuses = [(await sign_in(place.http, phone, f"wrong-{n}")).status_code for n in range(7)]
    assert statuses[:5] == [401] * 5
    assert statuses[5:] == [429, 429]


async def test_guesses_sent_together_are_counted_one_by_one(place: Place) -> None:
    phone = "13912345670"
    page = await place.http.get("/login")
    fields = hidden_fields(page.text)

    async def guess(n: int) -> int:
        answer = await place.http.post(
            "/login", data={**fields, "phone": phone, "password": f"wrong-{n}"}
        )
        return answer.status_code

    statuses = await asyncio.gather(*(guess(n) for n in range(10)))
    assert sorted(statuses) == [401] * 5 + [429] * 5


async def test_a_login_form_without_its_csrf_token_is_refused(place: Place) -> None:
    phone, password = place.account("member")
    await place.http.get("/login")
    answer = await place.http.post("/login", data={"phone": phone, "password": password})
    assert answer.status_code == 403
    assert 'data-code="csrf_failed"' in answer.text
    assert "hub_session" not in answer.cookies


async def test_pages_refuse_to_be_framed(place: Place) -> None:
    page = await place.http.get("/login")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    "token",
    [
        "not-a-jwt",
        "a.b.c",
        base64.urlsafe_b64encode(orjson.dumps({"alg": "none", "typ": "at+jwt"}))
        .decode()
        .rstrip("=")
        + ".eyJzdWIiOiJ4In0.",
    ],
)
async def test_a_bad_bearer_token_is_401_with_www_authenticate(place: Place, token: str) -> None:
    answer = await graphql(place.http, token)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"].startswith("Bearer ")
    assert answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
