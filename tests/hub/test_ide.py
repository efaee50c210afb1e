"""The GraphiQL IDE comes whole from the hub: the page names no other host, every asset answers."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import AsyncIterator
from html.parser import HTMLParser

import httpx
import pytest
from graphql import get_introspection_query

from graphdb import Endpoint
from tests.fixtures.hub import hub_client

HTML = {"accept": "text/html"}


class Loads(HTMLParser):
    """What a page loads: each script's and stylesheet's address and integrity hash."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        address = named.get("src") if tag == "script" else named.get("href")
        if tag in ("script", "link", "img", "iframe") and address:
            self.found.append((address, named.get("integrity")))


@pytest.fixture
async def ide(engine: Endpoint, backend: str) -> AsyncIterator[httpx.AsyncClient]:
    if backend != "falkordb":
        pytest.skip("the IDE does not depend on the backend; checked on the embedded one")
    async with hub_client(engine, "ide_test") as http:
        yield http


async def test_the_ide_and_everything_it_loads_come_from_the_hub(ide: httpx.AsyncClient) -> None:
    page = await ide.get("/graphql", headers=HTML)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "GraphiQL" in page.text
    assert re.findall(r"(?i)(?:https?:)?//[a-z0-9.-]+", page.text) == []  # no host, no scheme
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy
    loads = Loads()
    loads.feed(page.text)
    assert len(loads.found) >= 7  # React, ReactDOM, GraphiQL, the explorer, styles, start
    for address, integrity in loads.found:
        if address.startswith("data:"):
            continue  # inline, like the empty favicon: nothing is fetched
        assert not address.startswith("/"), address  # relative: behind any path prefix too
        asset = await ide.get(httpx.URL("http://hub/graphql").join(address))
        assert asset.status_code == 200, address
        kind = "javascript" if address.endswith(".js") else "css"
        assert kind in asset.headers["content-type"], address
        if integrity is not None:
            assert asset.headers["content-encoding"] == "gzip", address  # httpx asks for it
            digest = base64.b64encode(hashlib.sha384(asset.content).digest()).decode()
            assert integrity == f"sha384-{digest}", address
            plain = await ide.get(
                httpx.URL("http://hub/graphql").join(address),
                headers={"accept-encoding": "identity"},
            )
            assert "content-encoding" not in plain.headers
            assert plain.content == asset.content


async def test_only_the_ide_s_scripts_and_styles_are_served(ide: httpx.AsyncClient) -> None:
    for name in ("nothing.js", "LICENSES.md", "graphiql.min.js.gz", "..%2Fsettings.py"):
        missing = await ide.get(f"/ide/{name}")
        assert missing.status_code == 404, name
        assert missing.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await ide.post("/ide/graphiql.min.js")).status_code == 405
    gz = await ide.get("/ide/graphiql.min.js")
    plain = await ide.get("/ide/graphiql.min.js", headers={"accept-encoding": "identity"})
    assert gz.headers["etag"] != plain.headers["etag"]  # one tag per representation


async def test_the_ide_s_own_introspection_answers_with_the_default_limits(
    ide: httpx.AsyncClient,
) -> None:
    """GraphiQL asks for the whole schema first: its docs, completion and explorer need it."""
    answer = await ide.post("/graphql", json={"query": get_introspection_query()})
    assert answer.status_code == 200
    assert "errors" not in answer.json()
    types = {t["name"] for t in answer.json()["data"]["__schema"]["types"]}
    assert {"Query", "Member", "Organization", "SourceRecord"} <= types
    # Lists of types nested three deep multiply: refused by introspection's own rule.
    nested = '{ __type(name: "Member") { ' + "fields { type { " * 4 + "name" + " } }" * 4 + " } }"
    refused = await ide.post("/graphql", json={"query": nested})
    assert refused.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_without_the_ide_nothing_of_it_is_served(engine: Endpoint, backend: str) -> None:
    if backend != "falkordb":
        pytest.skip("the IDE does not depend on the backend; checked on the embedded one")
    async with hub_client(engine, "ide_test", graphql_ide=False) as http:
        page = await http.get("/graphql", headers=HTML)
        assert "GraphiQL" not in page.text
        assert (await http.get("/ide/graphiql.min.js")).status_code == 404
