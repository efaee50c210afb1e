"""The endpoint under hostile and careless requests (issue 10): a prompt, coded answer to each.

Every answer here is JSON with ``extensions.code``; none is a 500, none names a
part of the schema where introspection is off.
"""

from __future__ import annotations

import asyncio
import logging
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from graphql import GraphQLError, build_client_schema, get_introspection_query
from strawberry.relay import to_base64

from graphdb import Endpoint, GraphBusy, GraphUnavailable, QueryFailed
from hub.app import create_app
from hub.runtime import Runtime
from hub.settings import Settings
from schema.errors import coded
from tests.fixtures.hub import hub_client
from tests.fixtures.live import live_hub

PROMPTLY_S = 5.0  # a hostile request is refused in milliseconds; this only stops a stall


def only_embedded(backend: str) -> None:
    if backend != "falkordb":
        pytest.skip("HTTP behaviour does not depend on the backend; checked on the embedded one")


@pytest.fixture
async def closed(
    engine: Endpoint, seeded_graph: str, backend: str
) -> AsyncIterator[httpx.AsyncClient]:
    """A production-like hub: no introspection, no federation SDL."""
    only_embedded(backend)
    async with hub_client(
        engine,
        seeded_graph,
        graphql_introspection=False,
        graphql_federation=False,
        max_request_bytes=200_000,
    ) as http:
        yield http


@pytest.fixture
async def open_hub(
    engine: Endpoint, seeded_graph: str, backend: str
) -> AsyncIterator[httpx.AsyncClient]:
    """A demo hub with introspection and federation on, and a strict depth limit."""
    only_embedded(backend)
    async with hub_client(engine, seeded_graph, graphql_max_depth=5) as http:
        yield http


def code_of(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


def message_of(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["message"])


async def post(client: httpx.AsyncClient, query: str, **variables: Any) -> httpx.Response:
    return await asyncio.wait_for(
        client.post("/graphql", json={"query": query, "variables": variables or None}), PROMPTLY_S
    )


def fan_out(levels: int, field: str) -> str:
    """Each fragment spreads the one below twice: 2**levels fields from a few hundred bytes."""
    fragments = " ".join(
        f"fragment L{i} on Query {{ {field} ...L{i - 1} ...L{i - 1} }}"
        for i in range(1, levels + 1)
    )
    return f"{{ ...L{levels} }} fragment L0 on Query {{ __typename }} {fragments}"


@pytest.mark.parametrize(
    ("field", "code"),
    [("a: __typename", "ALIAS_LIMIT_EXCEEDED"), ("__typename", "COST_LIMIT_EXCEEDED")],
)
async def test_fragment_fan_out_is_refused_promptly(
    closed: httpx.AsyncClient, field: str, code: str
) -> None:
    response = await post(closed, fan_out(24, field))
    assert response.status_code == 200
    assert code_of(response) == code
    assert response.json().get("data") is None


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


SUGGESTED = [
    ('{ organizaton(code: "ORG0000001") { name } }', {}),  # a field
    ('{ organization(cod: "ORG0000001") { name } }', {}),  # an argument
    ("{ members(orderBy: {field: NAM}) { totalCount } }", {}),  # an enum value
    ('{ members(where: {nameContain: "x"}) { totalCount } }', {}),  # an input field
    ("query ($w: MemberWher) { members(where: $w) { totalCount } }", {"w": {}}),  # a type
    (  # an enum value in a variable, refused while executing
        "query ($o: MemberOrder) { members(orderBy: $o) { totalCount } }",
        {"o": {"field": "NAM"}},
    ),
    (  # an input field in a variable
        "query ($w: MemberWhere) { members(where: $w) { totalCount } }",
        {"w": {"nameContain": "x"}},
    ),
]


@pytest.mark.parametrize(("query", "variables"), SUGGESTED)
async def test_no_suggestions_where_introspection_is_off(
    closed: httpx.AsyncClient, open_hub: httpx.AsyncClient, query: str, variables: dict[str, Any]
) -> None:
    assert "Did you mean" in message_of(await post(open_hub, query, **variables))
    refused = await post(closed, query, **variables)
    assert code_of(refused) in ("GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT")
    assert "Did you mean" not in refused.text


@pytest.mark.parametrize(
    "query",
    [
        "{ _service { sdl } }",
        '{ __type(name: "Member") { fields { name } } }',
        "{ __schema { queryType { name } } }",
        get_introspection_query(),
    ],
)
async def test_the_schema_is_not_told_where_it_is_switched_off(
    closed: httpx.AsyncClient, query: str
) -> None:
    response = await post(closed, query)
    assert code_of(response) == "GRAPHQL_VALIDATION_FAILED"
    assert response.json().get("data") is None
    assert "Member" not in response.text


async def test_a_gateway_gets_the_sdl_where_federation_is_on(open_hub: httpx.AsyncClient) -> None:
    response = await post(open_hub, "{ _service { sdl } }")
    assert "type Member" in response.json()["data"]["_service"]["sdl"]


async def test_the_standard_introspection_query_is_answered_whole(
    open_hub: httpx.AsyncClient,
) -> None:
    """As GraphiQL, code generators and Rover send it, with every option on; depth limit 5."""
    query = get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
    )
    response = await post(open_hub, query)
    assert response.status_code == 200
    assert "errors" not in response.json()
    built = build_client_schema(response.json()["data"])
    assert built.query_type is not None
    assert "members" in built.query_type.fields


async def test_introspection_nested_past_its_own_rule_is_refused(
    open_hub: httpx.AsyncClient,
) -> None:
    query = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    response = await post(open_hub, query)
    assert code_of(response) == "GRAPHQL_VALIDATION_FAILED"
    assert "introspection depth" in message_of(response)


MEMBER = to_base64("Member", "P00000001")


@pytest.mark.parametrize(
    "representations",
    [
        [{"foo": 1}],
        [{"__typename": "Nothing", "id": "x"}],
        [{"__typename": "Member"}],
        [{"__typename": "Member", "key": "P00000001"}],
        [{"__typename": "Member", "id": MEMBER, "extra": 1}],
        [{"__typename": "Member", "id": 5}],
        ["str"],
        5,
        [None],
    ],
)
async def test_malformed_representations_are_the_caller_s_error(
    closed: httpx.AsyncClient, representations: Any, caplog: pytest.LogCaptureFixture
) -> None:
    query = "query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }"
    with caplog.at_level(logging.ERROR, logger="hub.graphql"):
        response = await post(closed, query, r=representations)
    assert code_of(response) in ("BAD_REPRESENTATION", "BAD_USER_INPUT")
    assert response.json().get("data") is None
    assert caplog.records == []  # a client's mistake, not an incident


async def test_representations_written_in_the_query_are_checked_too(
    closed: httpx.AsyncClient,
) -> None:
    response = await post(closed, "{ _entities(representations: [{foo: 1}]) { __typename } }")
    assert code_of(response) == "BAD_REPRESENTATION"
    assert "representations[0]" in message_of(response)


async def test_a_good_representation_is_resolved(closed: httpx.AsyncClient) -> None:
    query = "query ($r: [_Any!]!) { _entities(representations: $r) { ... on Member { name } } }"
    response = await post(closed, query, r=[{"__typename": "Member", "id": MEMBER}])
    assert "errors" not in response.json()
    assert response.json()["data"]["_entities"][0]["name"]


@pytest.mark.parametrize(
    ("query", "variables", "named"),
    [
        ('{ enterprise(uscc: "\\u0000") { name } }', {}, "uscc"),
        ("query ($u: String!) { enterprise(uscc: $u) { name } }", {"u": "91\x00"}, "$u"),
        ('{ members(where: {nameContains: "a\\u0007"}) { totalCount } }', {}, "where.nameContains"),
        (
            "query ($w: MemberWhere) { members(where: $w) { totalCount } }",
            {"w": {"under": "ORG\x1b"}},
            "$w.under",
        ),
        ('{ nodes(ids: ["x", "\\u001f"]) { id } }', {}, "ids[1]"),
        ("query ($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ["a", "\x00"]}, "$ids[1]"),
        (
            'query ($u: String! = "\\u0000") { enterprise(uscc: $u) { name } }',
            {},
            "$u",
        ),
    ],
)
async def test_control_characters_are_refused_where_they_enter(
    closed: httpx.AsyncClient, query: str, variables: dict[str, Any], named: str
) -> None:
    response = await post(closed, query, **variables)
    assert code_of(response) == "BAD_USER_INPUT"
    assert named in message_of(response)
    assert response.json().get("data") is None  # refused before any resolver ran


async def test_tabs_and_newlines_are_text(closed: httpx.AsyncClient) -> None:
    response = await post(
        closed, "query ($u: String!) { enterprise(uscc: $u) { name } }", u="a\tb\r\nc"
    )
    assert response.json() == {"data": {"enterprise": None}}


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


async def test_deeply_nested_variables_are_refused_not_crashed(closed: httpx.AsyncClient) -> None:
    """1,000 levels, within orjson's 1,024: the hub's own checks must not recurse that deep."""
    query = "query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }"
    nested = b"[" * 1_000 + b'"\\u0000"' + b"]" * 1_000
    body = b'{"query": ' + orjson.dumps(query) + b', "variables": {"r": ' + nested + b"}}"
    response = await closed.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200
    assert code_of(response) in ("BAD_USER_INPUT", "BAD_REPRESENTATION")
