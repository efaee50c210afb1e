"""The login and consent pages driven in a real browser: headless Chromium through selenium.

The hub is served by uvicorn on 127.0.0.1; the relying platform's callback is
a small HTTP server that records the query it is sent. Debian's ``chromium``
and ``chromium-driver`` are installed by the test command (``scripts/test``).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

from connectors import IdentityHasher
from graphdb import Endpoint, Store
from hub.auth.accounts import Accounts
from hub.auth.clients import ClientRegistry
from hub.auth.demo import DemoCredentials, provision_demo
from hub.settings import DEMO_AUTH_SECRET
from tests.fixtures.live import free_port, live_hub
from tests.fixtures.oauth import Pkce
from tests.fixtures.secrets import TEST_PII_KEY
from tests.fixtures.sign_on import signing_on

pytestmark = pytest.mark.slow
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


class Callback:
    """The relying platform's redirect URI: remembers every query it is sent."""

    def __init__(self) -> None:
        self.queries: list[dict[str, str]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                asked = urlsplit(self.path)
                if asked.path == "/callback":  # not the browser's /favicon.ico
                    query = parse_qs(asked.query)
                    owner.queries.append({key: values[0] for key, values in query.items()})
                body = b"<!doctype html><title>callback</title><p id=done>received</p>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                del args

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/callback"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    options = Options()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
async def platform(
    engine: Endpoint, seeded_graph: str, seeded: Store, hasher: IdentityHasher, tmp_path: Path
) -> AsyncIterator[tuple[str, DemoCredentials, str, str, Callback]]:
    """The live hub, the demo's people, and a platform whose callback is served."""
    callback = Callback()
    try:
        async with signing_on(seeded) as store:
            registry = ClientRegistry(store)
            accounts = Accounts(store, hasher, DEMO_AUTH_SECRET)
            demo = await provision_demo(store, hasher, tmp_path, registry, accounts)
            client, secret = await registry.add(
                "Volunteer platform", "confidential", ("openid", "profile", "phone"), [callback.url]
            )
            assert secret is not None
            port = free_port()
            issuer = f"http://127.0.0.1:{port}"
            with live_hub(
                engine, seeded_graph, port=port, issuer=issuer, pii_key=TEST_PII_KEY
            ) as hub:
                yield hub, demo, client.client_id, secret, callback
    finally:
        callback.close()


async def test_a_person_signs_in_consents_and_the_platform_gets_a_code_that_works(
    browser: WebDriver, platform: tuple[str, DemoCredentials, str, str, Callback]
) -> None:
    hub, demo, client_id, secret, callback = platform
    person = next(a for a in demo.accounts if a.role == "city_cadre")
    pkce = Pkce.new()
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": callback.url,
        "scope": "openid profile phone",
        "state": "browser-state",
        "code_challenge": pkce.challenge,
        "code_challenge_method": "S256",
    }
    browser.get(f"{hub}/oauth/authorize?{urlencode(params)}")
    assert urlsplit(browser.current_url).path == "/login"
    browser.find_element(By.ID, "phone").send_keys(person.phone)
    browser.find_element(By.ID, "password").send_keys("not the password")
    browser.find_element(By.ID, "sign-in").click()
    error = _wait_for(browser, "[role=alert]", By.CSS_SELECTOR)
    assert error.get_attribute("data-code") == "invalid_credentials"

    browser.find_element(By.ID, "password").send_keys(person.password)
    browser.find_element(By.ID, "sign-in").click()
    _wait_for(browser, "allow")
    page = browser.page_source
    assert "Volunteer platform" in page
    for claim in ("sub", "name", "phone_number"):
        assert f"<code>{claim}</code>" in page
    browser.find_element(By.ID, "allow").click()
    _wait_for(browser, "done")

    answer = callback.queries[-1]
    assert answer["state"] == "browser-state"
    assert answer["iss"] == hub
    async with httpx.AsyncClient(base_url=hub) as http:
        tokens = await http.post(
            "/oauth/token",
            auth=(client_id, secret),
            data={
                "grant_type": "authorization_code",
                "code": answer["code"],
                "redirect_uri": callback.url,
                "code_verifier": pkce.verifier,
            },
        )
        assert tokens.status_code == 200, tokens.text
        access = tokens.json()["access_token"]
        info = await http.get("/oauth/userinfo", headers={"Authorization": f"Bearer {access}"})
        assert info.json()["name"]


async def test_a_form_whose_csrf_cookie_is_gone_is_refused(
    browser: WebDriver, platform: tuple[str, DemoCredentials, str, str, Callback]
) -> None:
    hub, demo, *_ = platform
    person = demo.accounts[0]
    browser.get(f"{hub}/login")
    browser.delete_all_cookies()  # as if the page came from somewhere else
    browser.find_element(By.ID, "phone").send_keys(person.phone)
    browser.find_element(By.ID, "password").send_keys(person.password)
    browser.find_element(By.ID, "sign-in").click()
    error = _wait_for(browser, "[role=alert]", By.CSS_SELECTOR)
    assert error.get_attribute("data-code") == "csrf_failed"
    assert browser.get_cookie("hub_session") is None


def _wait_for(browser: WebDriver, target: str, by: str = By.ID) -> WebElement:
    """The element, once the page that has it has loaded (a click does not wait for it)."""
    found: WebElement = WebDriverWait(browser, 10).until(
        expected_conditions.presence_of_element_located((by, target))
    )
    return found
