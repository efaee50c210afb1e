"""A property-based fuzz run of the live endpoint, from its own introspection (issue 10).

hypothesis-graphql writes documents from the schema the hub describes when asked
the standard introspection query: valid ones and ones with one violation each,
their arguments drawn from real codes, keys, global ids and cursors mixed with
hostile strings, huge numbers and garbage. Each goes over HTTP as a client would
send it: POSTed, as a GET, or with its arguments lifted into variables (some
then replaced by random JSON), to a hub with introspection on or off. Whatever
the document, the answer is JSON, never a 5xx (but a coded 503 when the graph is
busy), every error carries an ``extensions.code`` other than
``INTERNAL_SERVER_ERROR`` (a client's mistake is the client's, coded), and with
introspection off no message suggests a name of the schema.

The suite runs a fixed, derandomized budget. To search longer, with fresh random
inputs each run (a failure prints its document and a ``@reproduce_failure`` blob):

    HUB_FUZZ_EXAMPLES=5000 .venv/bin/pytest -p no:cacheprovider tests/hub/test_fuzz.py
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import httpx
import pytest
from graphql import (
    build_client_schema,
    get_introspection_query,
)
from hypothesis import HealthCheck, given, note, settings
from strawberry.relay import to_base64

from graphdb import Endpoint
from tests.fixtures.fuzzing import INTERFACES, KNOWN_QUERY, Sent, known_values, requests
from tests.fixtures.hub import hub_client

EXAMPLES = int(os.environ.get("HUB_FUZZ_EXAMPLES", "0"))
SUITE_EXAMPLES = 300
RETRY_LATER = {"GRAPH_BUSY", "GRAPH_UNAVAILABLE"}


async def send(http: httpx.AsyncClient, sent: Sent) -> httpx.Response:
    if sent.method == "POST":
        return await http.post("/graphql", json=sent.payload)
    params = {
        name: value if isinstance(value, str) or value is None else json.dumps(value)
        for name, value in sent.payload.items()
    }
    return await http.get("/graphql", params={k: v for k, v in params.items() if v is not None})


def assert_coded(response: httpx.Response, *, introspection: bool) -> None:
    """The property: JSON, no 5xx but a coded retry-later, every error coded, none internal;
    and no suggestion naming a part of the schema where introspection is off."""
    note(f"answer {response.status_code}: {response.text[:2000]}")
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, dict)
    errors = body.get("errors") or []
    assert "data" in body or errors
    codes = [error["extensions"]["code"] for error in errors]
    assert all(isinstance(code, str) and code for code in codes)
    assert all(isinstance(error["message"], str) for error in errors)
    assert "INTERNAL_SERVER_ERROR" not in codes
    if not introspection:
        assert not any("Did you mean" in error["message"] for error in errors)
    if response.status_code >= 500:
        assert response.status_code == 503
        assert codes
        assert set(codes) <= RETRY_LATER


def test_the_endpoint_holds_under_documents_from_its_own_schema(
    engine: Endpoint, seeded_graph: str, backend: str
) -> None:
    if backend != "falkordb":
        pytest.skip("HTTP behaviour does not depend on the backend; checked on the embedded one")
    with asyncio.Runner() as loop:
        exits = AsyncExitStack()
        hubs = {
            "open": loop.run(exits.enter_async_context(hub_client(engine, seeded_graph))),
            "closed": loop.run(
                exits.enter_async_context(
                    hub_client(
                        engine, seeded_graph, graphql_introspection=False, graphql_federation=False
                    )
                )
            ),
        }
        try:
            introspection = loop.run(
                hubs["open"].post("/graphql", json={"query": get_introspection_query()})
            )
            assert introspection.status_code == 200, introspection.text
            schema = build_client_schema(introspection.json()["data"])
            answer = loop.run(hubs["open"].post("/graphql", json={"query": KNOWN_QUERY}))
            known = known_values(answer.json()["data"])

            @settings(
                max_examples=EXAMPLES or SUITE_EXAMPLES,
                derandomize=not EXAMPLES,
                database=None,
                deadline=None,
                print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            )
            @given(requests(schema, known))
            def holds(sent: Sent) -> None:
                response = loop.run(send(hubs[sent.hub], sent))
                assert_coded(response, introspection=sent.hub == "open")

            holds()
        finally:
            loop.run(exits.aclose())


@pytest.fixture
async def client(
    engine: Endpoint, seeded_graph: str, backend: str
) -> AsyncIterator[httpx.AsyncClient]:
    if backend != "falkordb":
        pytest.skip("HTTP behaviour does not depend on the backend; checked on the embedded one")
    async with hub_client(engine, seeded_graph) as http:
        yield http


@pytest.mark.parametrize("interface", INTERFACES)
@pytest.mark.parametrize("field", ["node(id: $id) { id }", "nodes(ids: [$id]) { id }"])
async def test_an_id_naming_an_interface_is_the_caller_s_mistake(
    client: httpx.AsyncClient, field: str, interface: str
) -> None:
    """Found by this fuzz run: relay took ``Node:…`` and ``SourceRecord:…`` for node types."""
    response = await client.post(
        "/graphql",
        json={
            "query": f"query ($id: ID!) {{ {field} }}",
            "variables": {"id": to_base64(interface, "P00000001")},
        },
    )
    assert response.status_code == 200
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_GLOBAL_ID"}
    assert "names no type of this graph" in error["message"]
