"""Sign-on's state in Redis, seen from outside: Redis stopped and restarted empty, the
one-time SMS code login, and RP-initiated logout.

Each test runs the hub against a Redis of its own (``tests.fixtures.redis_server``),
so that one may be killed, and so that the failures these tests count against the
demo's phones and clients never reach another test's rate limits. The graph is the
session's seeded province, with the demo's accounts and partner client.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest

from connectors import IdentityHasher
from graphdb import Endpoint, Store
from hub.auth.accounts import Accounts
from hub.auth.sms import ConsoleSms
from hub.settings import DEMO_AUTH_SECRET
from tests.fixtures.oauth import (
    REDIRECT,
    Pkce,
    Place,
    authorize_params,
    bearer,
    code_flow,
    exchange,
    hidden_fields,
    sign_in,
)
from tests.fixtures.redis_server import RedisServer, redis_server
from tests.fixtures.sign_on import sign_on_place

MEMBERS = "{ members(first: 1) { totalCount } }"
PUBLIC = '{ organization(code: "ORG0000001") { name } }'
SMS_LINE = re.compile(r"^SMS to (\S+): YouthGraph sign-in code: (\d{6}) \(valid 5 minutes\)$")


@dataclass(frozen=True)
class OwnRedis:
    """The hub over the seeded province, its Redis a server of the test's own."""

    place: Place
    redis: RedisServer
    texts: StringIO  # every SMS the hub sent, as the console provider prints them

    @property
    def http(self) -> httpx.AsyncClient:
        return self.place.http

    def sms_codes(self) -> list[tuple[str, str]]:
        """(the number as printed, the code) of every SMS sent so far."""
        lines = self.texts.getvalue().splitlines()
        found = [SMS_LINE.match(line) for line in lines]
        assert all(found), lines
        return [(match[1], match[2]) for match in found if match]


@pytest.fixture
async def own(
    engine: Endpoint, seeded_graph: str, seeded: Store, hasher: IdentityHasher, tmp_path: Path
) -> AsyncIterator[OwnRedis]:
    """As the ``place`` fixture, on a Redis of this test's own."""
    with redis_server(tmp_path / "redis") as server:
        texts = StringIO()
        async with sign_on_place(
            engine, seeded_graph, seeded, hasher, tmp_path,
            redis_url=server.url, sms=ConsoleSms(texts),
        ) as place:  # fmt: skip
            yield OwnRedis(place, server, texts)


async def partner_token(own: OwnRedis) -> httpx.Response:
    partner = own.place.demo.clients[0]
    return await own.http.post(
        "/oauth/token",
        auth=(partner.client_id, partner.client_secret),
        data={"grant_type": "client_credentials", "scope": "member:read"},
    )


async def ask(own: OwnRedis, query: str, token: str | None = None) -> httpx.Response:
    headers = bearer(token) if token else None
    return await own.http.post("/graphql", json={"query": query}, headers=headers)


def code_of(answer: httpx.Response) -> str:
    code: str = answer.json()["errors"][0]["extensions"]["code"]
    return code


# Redis stopped, then restarted empty.


async def test_without_redis_sign_on_fails_closed_and_revocations_survive_its_restart(
    own: OwnRedis,
) -> None:
    partner = own.place.demo.clients[0]
    good = (await partner_token(own)).json()["access_token"]
    revoked = (await partner_token(own)).json()["access_token"]
    auth = (partner.client_id, partner.client_secret)
    assert (await own.http.post("/oauth/revoke", auth=auth, data={"token": revoked})).is_success
    assert (await ask(own, MEMBERS, revoked)).status_code == 401
    counted = (await ask(own, MEMBERS, good)).json()["data"]["members"]["totalCount"]
    assert counted > 0
    login_page = hidden_fields((await own.http.get("/login")).text)
    phone, password = own.place.account("member")

    own.redis.stop()
    started = time.monotonic()
    for token in (good, revoked):  # neither answered as the token, nor as anonymous
        refused = await ask(own, MEMBERS, token)
        assert refused.status_code == 503, refused.text
        assert refused.headers["retry-after"].isdigit()
        assert code_of(refused) == "AUTH_UNAVAILABLE"
        assert refused.json().get("data") is None
    public = await ask(own, PUBLIC)
    assert public.status_code == 200, public.text
    assert public.json()["data"]["organization"]["name"]
    for answer in (
        await partner_token(own),
        await own.http.post("/login", data={**login_page, "phone": phone, "password": password}),
    ):
        assert answer.status_code == 503, answer.text
        assert answer.json()["error"] == "temporarily_unavailable"
        assert answer.headers["retry-after"].isdigit()
        assert "hub_session" not in answer.cookies
    health = await own.http.get("/health")
    assert (health.status_code, health.json()["redis"]) == (503, "unavailable")
    assert time.monotonic() - started < 5  # a refused connection is answered at once

    own.redis.start()
    assert own.redis.keys("*") == []  # nothing persisted: the revocation list is gone
    # The calls that failed while it was away dropped their connections, so the pool
    # opens new ones; the revocation list comes back from the graph.
    refused = await ask(own, MEMBERS, revoked)
    assert refused.status_code == 401, refused.text
    assert code_of(refused) == "UNAUTHENTICATED"
    assert "revoked" in refused.headers["www-authenticate"]
    again = await ask(own, MEMBERS, good)
    assert again.status_code == 200, again.text
    assert again.json()["data"]["members"]["totalCount"] == counted
    assert (await partner_token(own)).status_code == 200
    assert (await sign_in(own.http, phone, password)).status_code == 303
    assert (await own.http.get("/health")).json()["redis"] == "ok"


async def test_a_redis_restarted_between_two_requests_is_not_noticed(own: OwnRedis) -> None:
    partner = own.place.demo.clients[0]
    good = (await partner_token(own)).json()["access_token"]
    revoked = (await partner_token(own)).json()["access_token"]
    auth = (partner.client_id, partner.client_secret)
    await own.http.post("/oauth/revoke", auth=auth, data={"token": revoked})
    assert (await ask(own, MEMBERS, good)).status_code == 200

    own.redis.stop()  # no request while it is away: the hub's pool holds dead connections
    own.redis.start()
    refused = await ask(own, MEMBERS, revoked)
    assert refused.status_code == 401, refused.text
    assert (await ask(own, MEMBERS, good)).status_code == 200


# The one-time code by SMS.


async def send_code(own: OwnRedis, phone: str) -> httpx.Response:
    """The login page's "send me a code" form, posted with the page's CSRF token."""
    page = await own.http.get("/login")
    fields = hidden_fields(page.text)
    return await own.http.post("/login/sms", data={**fields, "phone": phone})


async def sign_in_with_code(own: OwnRedis, phone: str, code: str) -> httpx.Response:
    page = await own.http.get("/login")
    fields = hidden_fields(page.text)
    return await own.http.post("/login", data={**fields, "phone": phone, "sms_code": code})


async def test_a_code_sent_by_sms_signs_in_once(own: OwnRedis) -> None:
    phone, _ = own.place.account("member")
    sent = await send_code(own, phone)
    assert sent.status_code == 200, sent.text
    assert 'name="sms_code"' in sent.text
    [(printed, code)] = own.sms_codes()
    assert printed == f"{phone[:3]}****{phone[-4:]}"
    assert phone not in own.texts.getvalue()

    signed = await sign_in_with_code(own, phone, code)
    assert signed.status_code == 303, signed.text
    assert signed.cookies.get("hub_session")
    own.http.cookies.delete("hub_session")
    again = await sign_in_with_code(own, phone, code)
    assert again.status_code == 401
    assert 'data-code="invalid_credentials"' in again.text
    assert "hub_session" not in again.cookies


async def test_a_code_survives_four_wrong_guesses_and_five_spend_it(own: OwnRedis) -> None:
    phone, _ = own.place.account("member")
    await send_code(own, phone)
    [(_, code)] = own.sms_codes()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(4):
        assert (await sign_in_with_code(own, phone, wrong)).status_code == 401
    assert (await sign_in_with_code(own, phone, code)).status_code == 303
    own.redis.delete("hub:auth:limits*")  # the minute of failed attempts has passed

    own.http.cookies.delete("hub_session")
    await send_code(own, phone)
    code = own.sms_codes()[-1][1]
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        assert (await sign_in_with_code(own, phone, wrong)).status_code == 401
    blocked = await sign_in_with_code(own, phone, code)
    assert blocked.status_code == 429  # five failures a minute: the account waits
    own.redis.delete("hub:auth:limits*")
    spent = await sign_in_with_code(own, phone, code)
    assert spent.status_code == 401, spent.text
    assert 'data-code="invalid_credentials"' in spent.text


async def test_guesses_sent_together_spend_the_code_after_five(own: OwnRedis) -> None:
    phone, _ = own.place.account("member")
    await send_code(own, phone)
    [(_, code)] = own.sms_codes()
    page = hidden_fields((await own.http.get("/login")).text)
    guesses = [f"{(int(code) + n) % 1_000_000:06d}" for n in range(1, 11)]
    answers = await asyncio.gather(
        *(
            own.http.post("/login", data={**page, "phone": phone, "sms_code": guess})
            for guess in guesses
        )
    )
    assert {answer.status_code for answer in answers} <= {401, 429}
    own.redis.delete("hub:auth:limits*")
    spent = await sign_in_with_code(own, phone, code)
    assert spent.status_code == 401, spent.text


async def test_a_disabled_account_gets_no_code_and_cannot_sign_in_with_one(
    own: OwnRedis, seeded: Store, hasher: IdentityHasher
) -> None:
    phone, _ = own.place.account("member")
    await send_code(own, phone)
    [(_, code)] = own.sms_codes()
    accounts = Accounts(seeded, hasher, DEMO_AUTH_SECRET)
    account = await accounts.by_phone(phone)
    assert account is not None
    assert await accounts.disable(account.id)
    refused = await sign_in_with_code(own, phone, code)
    assert refused.status_code == 401, refused.text
    assert "hub_session" not in refused.cookies
    await send_code(own, phone)
    assert len(own.sms_codes()) == 1


async def test_an_unknown_number_gets_the_same_page_and_no_sms(own: OwnRedis) -> None:
    phone, _ = own.place.account("member")
    unknown = "13900000000" if phone != "13900000000" else "13900000001"
    known_page = await send_code(own, phone)
    unknown_page = await send_code(own, unknown)
    assert unknown_page.status_code == known_page.status_code == 200
    assert unknown_page.text.replace(unknown, phone) == known_page.text
    assert [printed for printed, _ in own.sms_codes()] == [f"{phone[:3]}****{phone[-4:]}"]


async def test_no_more_than_three_codes_a_minute_are_sent(own: OwnRedis) -> None:
    phone, _ = own.place.account("member")
    answers = [await send_code(own, phone) for _ in range(5)]
    assert [answer.status_code for answer in answers] == [200] * 5
    assert len(own.sms_codes()) == 3


async def test_asking_for_a_code_needs_the_pages_csrf_token(own: OwnRedis) -> None:
    phone, _ = own.place.account("member")
    await own.http.get("/login")
    refused = await own.http.post("/login/sms", data={"phone": phone})
    assert refused.status_code == 403
    assert 'data-code="csrf_failed"' in refused.text
    assert own.sms_codes() == []


# RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0).


def location_query(answer: httpx.Response) -> tuple[str, dict[str, list[str]]]:
    assert answer.status_code in (302, 303), (answer.status_code, answer.text)
    where, _, query = answer.headers["location"].partition("?")
    return where, parse_qs(query)


async def test_logout_ends_the_session_and_returns_to_the_platform(own: OwnRedis) -> None:
    http = own.http
    phone, password = own.place.account("member")
    assert (await sign_in(http, phone, password)).status_code == 303
    session = http.cookies["hub_session"]
    params = authorize_params(own.place.rp_id, REDIRECT, "openid profile", Pkce.new())
    assert (await http.get("/oauth/authorize", params=params)).status_code == 200  # consent

    asking = {"client_id": own.place.rp_id, "post_logout_redirect_uri": REDIRECT, "state": "s"}
    shown = await http.get("/oauth/logout", params=asking)  # asks first: a link alone
    assert shown.status_code == 200  # (on any site) signs nobody out
    assert 'id="sign-out"' in shown.text
    assert (await http.get("/oauth/authorize", params=params)).status_code == 200
    forged = await http.post("/oauth/logout", data=asking)  # without the page's token
    assert forged.status_code == 200
    assert "hub_session" in http.cookies
    out = await http.post("/oauth/logout", data=hidden_fields(shown.text))
    assert location_query(out) == (REDIRECT, {"state": ["s"]})
    assert "hub_session" not in http.cookies
    asked = await http.get("/oauth/authorize", params=params)
    assert location_query(asked)[0] == "/login"
    # The session is closed in Redis too, not only forgotten by this browser.
    http.cookies.set("hub_session", session)
    stale = await http.get("/oauth/authorize", params=params)
    assert location_query(stale)[0] == "/login"


async def test_logout_refuses_a_return_address_the_platform_did_not_register(
    own: OwnRedis,
) -> None:
    for client_id in (own.place.rp_id, "no-such-client"):
        refused = await own.http.get(
            "/oauth/logout",
            params={
                "client_id": client_id,
                "post_logout_redirect_uri": "https://elsewhere.example/bye",
            },
        )
        assert refused.status_code == 400
        assert refused.json()["error"] == "invalid_request"
        assert "location" not in refused.headers


async def test_logout_names_the_platform_by_its_id_token(own: OwnRedis) -> None:
    http = own.http
    phone, password = own.place.account("township_cadre")
    await sign_in(http, phone, password)
    pkce = Pkce.new()
    code, _ = await code_flow(http, own.place.rp_id, REDIRECT, "openid profile", pkce)
    id_token = (await exchange(own.place, code, pkce)).json()["id_token"]
    shown = await http.get(
        "/oauth/logout",
        params={"id_token_hint": id_token, "post_logout_redirect_uri": REDIRECT, "state": "x"},
    )
    out = await http.post("/oauth/logout", data=hidden_fields(shown.text))
    assert location_query(out) == (REDIRECT, {"state": ["x"]})
    assert "hub_session" not in http.cookies
    forged = await http.get(
        "/oauth/logout",
        params={"id_token_hint": id_token[:-4] + "AAAA", "post_logout_redirect_uri": REDIRECT},
    )
    assert forged.status_code == 400
    assert forged.json()["error"] == "invalid_request"
