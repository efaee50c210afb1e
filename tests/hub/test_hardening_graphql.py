"""GraphQL documents that try the endpoint (issue 10): a prompt, coded refusal for each.

Fragment fan-out, suggestions and the schema where introspection is off, the
introspection query's own rule, malformed entity representations and control
characters in arguments: every answer is JSON with ``extensions.code``, none is
an internal error, none names a part of the schema where introspection is off.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest
from graphql import build_client_schema, get_introspection_query
from strawberry.relay import to_base64

from graphdb import Endpoint
from tests.fixtures.hardening import code_of, message_of, only_embedded, production_hub
from tests.fixtures.hub import hub_client

PROMPTLY_S = 5.0  # a hostile request is refused in milliseconds; this only stops a stall


@pytest.fixture
async def closed(
    engine: Endpoint, seeded_graph: str, backend: str
) -> AsyncIterator[httpx.AsyncClient]:
    """A production-like hub: no introspection, no federation SDL."""
    only_embedded(backend)
    async with production_hub(engine, seeded_graph) as http:
        yield http


@pytest.fixture
async def open_hub(
    engine: Endpoint, seeded_graph: str, backend: str
) -> AsyncIterator[httpx.AsyncClient]:
    """A demo hub with introspection and federation on, and a strict depth limit."""
    only_embedded(backend)
    async with hub_client(engine, seeded_graph, graphql_max_depth=5) as http:
        yield http


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
