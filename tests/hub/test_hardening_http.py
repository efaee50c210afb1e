"""The HTTP requests around the GraphQL (issue 10): bodies, methods, sizes, outages.

Malformed bodies, the wrong method or media type, two operations without a name,
a body over the limit (also sent whole before reading, over a real socket) and a
graph that does not answer: each gets a prompt JSON answer with
``extensions.code`` and its proper status, never a 500.
"""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from graphql import GraphQLError

from graphdb import Endpoint, GraphBusy, GraphUnavailable, QueryFailed
from hub.app import create_app
from hub.runtime import Runtime
from hub.settings import Settings
from schema.errors import coded
from tests.fixtures.hardening import code_of, message_of, only_embedded, production_hub
from tests.fixtures.live import live_hub


@pytest.fixture
async def closed(
    engine: Endpoint, seeded_graph: str, backend: str
) -> AsyncIterator[httpx.AsyncClient]:
    """A production-like hub: no introspection, no federation SDL."""
    only_embedded(backend)
    async with production_hub(engine, seeded_graph) as http:
        yield http


@pytest.mark.parametrize(
    "body",
    [
        b"42",
        b"null",
        b'"x"',
        b"true",
        b"[]",
        b'{"query": "{ __typename \xff }"}',
        b"[" * 100_000,
        b"{ __typename }",
        b'{"query": ',
    ],
    ids=["number", "null", "string", "true", "empty-list", "bad-utf8", "deep", "not-json", "cut"],
)
@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8"])
async def test_bodies_that_are_not_one_operation_are_bad_requests(
    closed: httpx.AsyncClient, body: bytes, content_type: str
) -> None:
    response = await closed.post("/graphql", content=body, headers={"content-type": content_type})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert code_of(response) == "BAD_REQUEST"


@pytest.mark.parametrize(
    ("method", "path", "headers", "body", "status", "code"),
    [
        ("POST", "/graphql", {"content-type": "application/json"}, b'[{"query": "{ a }"}]',
         400, "BAD_REQUEST"),
        ("POST", "/graphql", {"content-type": "application/graphql"}, b"{ __typename }",
         415, "UNSUPPORTED_MEDIA_TYPE"),
        ("POST", "/graphql", {"content-type": "text/plain"}, b"{ __typename }",
         415, "UNSUPPORTED_MEDIA_TYPE"),
        ("GET", "/graphql?query=mutation%20%7B%20x%20%7D", {}, b"", 405, "METHOD_NOT_ALLOWED"),
        ("PUT", "/graphql", {"content-type": "application/json"}, b"{}",
         405, "METHOD_NOT_ALLOWED"),
        ("DELETE", "/graphql", {}, b"", 405, "METHOD_NOT_ALLOWED"),
        ("POST", "/graphql", {"content-type": "application/json"}, b'{"variables": {}}',
         400, "BAD_REQUEST"),
        ("GET", "/graphql?variables=%7B%7D", {"accept": "application/json"}, b"",
         400, "BAD_REQUEST"),
        ("GET", "/graphql?query=%7B__typename%7D&variables=" + "%5B" * 5000, {}, b"",
         400, "BAD_REQUEST"),
        ("GET", "/graphql?query=%7B__typename%7D&operationName=Nope", {}, b"",
         400, "BAD_REQUEST"),
        ("GET", "/nothing-here", {}, b"", 404, "NOT_FOUND"),
    ],
    ids=["batch", "graphql-type", "text", "mutation-get", "put", "delete", "no-query",
         "get-no-query", "get-deep-variables", "unknown-operation", "unknown-path"],
)  # fmt: skip
async def test_strawberry_s_refusals_are_coded_json(
    closed: httpx.AsyncClient,
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes,
    status: int,
    code: str,
) -> None:
    response = await closed.request(method, path, headers=headers, content=body)
    assert (response.status_code, code_of(response)) == (status, code)
    assert response.headers["content-type"] == "application/json"
    if status == 405:
        assert "POST" in response.headers["allow"]


@pytest.mark.parametrize("over", ["post", "get", "post-with-extra-key"])
async def test_two_operations_need_an_operation_name(closed: httpx.AsyncClient, over: str) -> None:
    query = 'query A { __typename } query B { organization(code: "ORG0000001") { level } }'
    if over == "get":
        response = await closed.get("/graphql", params={"query": query})
        named = await closed.get("/graphql", params={"query": query, "operationName": "B"})
    else:
        extra: dict[str, Any] = {"extensions": {}} if over == "post" else {"unknown": 1}
        response = await closed.post("/graphql", json={"query": query, **extra})
        named = await closed.post("/graphql", json={"query": query, "operationName": "B", **extra})
    assert code_of(response) == "OPERATION_RESOLUTION_FAILURE"
    assert named.json() == {"data": {"organization": {"level": 1}}}


async def test_a_graph_that_does_not_answer_is_a_503_to_retry(tmp_path: Path, backend: str) -> None:
    """The hub's own engine, stopped under it: every read is told to retry, with 503."""
    only_embedded(backend)
    settings = Settings(data_dir=tmp_path / "hub-data")
    runtime = Runtime(settings)
    await runtime.open()
    runtime.stop_engine()
    transport = httpx.ASGITransport(app=create_app(settings, runtime))
    query = '{ organization(code: "ORG0000001") { name } }'
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as http:
            posted = await http.post("/graphql", json={"query": query})
            got = await http.get("/graphql", params={"query": query})
    finally:
        await runtime.close()
    for response in (posted, got):
        assert response.status_code == 503
        assert response.headers["retry-after"].isdigit()
        assert code_of(response) == "GRAPH_UNAVAILABLE"
        assert message_of(response) == "the graph does not answer; try again shortly"


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (GraphUnavailable("FalkorDB at 10.0.0.7:6379 does not answer"), "GRAPH_UNAVAILABLE"),
        (GraphBusy("all 32 connections in use for 5 s"), "GRAPH_BUSY"),
    ],
)
def test_graph_errors_that_pass_are_coded_without_their_details(
    error: Exception, code: str
) -> None:
    answer = coded(GraphQLError("x", original_error=error))
    assert answer.extensions == {"code": code}
    assert answer.message.endswith("try again shortly")
    assert "10.0.0.7" not in answer.message


def test_a_failed_statement_stays_masked() -> None:
    answer = coded(GraphQLError("x", original_error=QueryFailed("member.by_ids", "boom")))
    assert answer.extensions is not None
    assert answer.extensions["code"] == "INTERNAL_SERVER_ERROR"
    assert "member.by_ids" not in answer.message


@pytest.fixture
def live(engine: Endpoint, seeded_graph: str, backend: str) -> Iterator[str]:
    only_embedded(backend)
    with live_hub(engine, seeded_graph, max_request_bytes=1_048_576) as url:
        yield url


def send_whole(url: str, body: bytes | Iterator[bytes]) -> tuple[int, dict[str, Any]]:
    """POST as urllib does: the whole body first, then read the answer."""
    request = urllib.request.Request(
        f"{url}/graphql", data=body, headers={"content-type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, orjson.loads(answer.read())
    except urllib.error.HTTPError as refused:
        with refused:
            return refused.code, orjson.loads(refused.read())


@pytest.mark.parametrize("megabytes", [2, 5, 10])
async def test_a_body_over_the_limit_sent_whole_gets_the_413(live: str, megabytes: int) -> None:
    body = b'{"query": "{ __typename }", "pad": "' + b" " * (megabytes << 20) + b'"}'
    status, answer = await asyncio.to_thread(send_whole, live, body)
    assert status == 413
    assert answer["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"


async def test_a_streamed_body_over_the_limit_gets_the_413(live: str) -> None:
    chunks = iter([b'{"query": "{ __typename }", "pad": "', *[b" " * 65536] * 40, b'"}'])
    status, answer = await asyncio.to_thread(send_whole, live, chunks)
    assert status == 413
    assert answer["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"


async def test_the_live_hub_answers(live: str) -> None:
    status, answer = await asyncio.to_thread(send_whole, live, b'{"query": "{ __typename }"}')
    assert (status, answer) == (200, {"data": {"__typename": "Query"}})
