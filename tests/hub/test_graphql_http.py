"""GraphQL over HTTP against hostile and careless requests: a 4xx or a coded error, no 500."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest
from strawberry.relay import to_base64

from graphdb import Endpoint
from tests.fixtures.hub import hub_client


@pytest.fixture
async def client(
    engine: Endpoint, seeded_graph: str, backend: str
) -> AsyncIterator[httpx.AsyncClient]:
    if backend != "falkordb":
        pytest.skip("HTTP behaviour does not depend on the backend; checked on the embedded one")
    async with hub_client(
        engine,
        seeded_graph,
        graphql_max_depth=8,
        graphql_introspection=False,
        max_request_bytes=100_000,
    ) as http:
        yield http


def code_of(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


async def test_a_good_query_answers_json(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": '{ organization(code: "ORG0000001") { name level } }'}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"data": {"organization": {"name": "共青团广东省委员会", "level": 1}}}


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        ("query ($id: ID!) { node(id: $id) { id } }", {"id": "%%%"}, "BAD_GLOBAL_ID"),
        (
            "query ($id: ID!) { organization(id: $id) { id } }",
            {"id": to_base64("Member", "P00000001")},
            "BAD_GLOBAL_ID",
        ),
        (
            "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
            None,
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            '{ organization(code: "x") { parent { parent { parent { parent { parent { parent '
            "{ parent { parent { name } } } } } } } } } }",
            None,
            "DEPTH_LIMIT_EXCEEDED",
        ),
        ("{ __schema { types { name } } }", None, "GRAPHQL_VALIDATION_FAILED"),
        ("{ organization(code: ", None, "GRAPHQL_PARSE_FAILED"),
        ('{ organization(code: "x", id: "y") { name } }', None, "BAD_REQUEST"),
    ],
)
async def test_bad_documents_get_coded_errors(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None, code: str
) -> None:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code in (200, 400)
    assert code_of(response) == code


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        (None, "$id"),
        ({"id": ["a"]}, "$id"),
        ({"id": "T3JnYW5pemF0aW9uOk9SRzAwMDAwMDE=", "n": "x"}, "$n"),
    ],
)
async def test_variables_that_do_not_fit_are_the_caller_s_error(
    client: httpx.AsyncClient, variables: dict[str, Any] | None, named: str
) -> None:
    query = (
        "query ($id: ID!, $n: Int) { node(id: $id) { id } organizations(first: $n) { totalCount } }"
    )
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}  # no correlation id: not an incident
    assert named in error["message"]


async def test_a_five_megabyte_body_is_refused(client: httpx.AsyncClient) -> None:
    padding = " " * (5 * 1024 * 1024)
    response = await client.post(
        "/graphql",
        content=f'{{"query": "{{ __typename {padding}}}"}}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert code_of(response) == "REQUEST_TOO_LARGE"


async def test_transport_mistakes_are_client_errors(client: httpx.AsyncClient) -> None:
    batch = [{"query": "{ __typename }"}] * 100
    assert (await client.post("/graphql", json=batch)).status_code == 400
    plain = await client.post(
        "/graphql", content="{ __typename }", headers={"content-type": "text/plain"}
    )
    assert 400 <= plain.status_code < 500
    over_get = await client.get("/graphql", params={"query": "mutation { x }"})
    assert 400 <= over_get.status_code < 500
    assert (await client.get("/health")).status_code == 200  # and the server is still up


@pytest.mark.parametrize(
    ("query", "variables", "operation"),
    [
        ('{ organization(code: "ORG0000002") { name parent { code } } }', None, None),
        ("query ($key: String!) { member(key: $key) { name } }", {"key": "P00000001"}, None),
        ('query A { __typename } query B { organization(code: "x") { name } }', None, "B"),
        ("query A { __typename } query B { __typename }", None, None),
        ("query ($id: ID!) { node(id: $id) { id } }", {"id": "%%%"}, None),
        ("{ organization(code: ", None, None),
        ("{ __schema { types { name } } }", None, None),
        ("{ nothing }", None, None),
        ("", None, None),
    ],
)
async def test_a_posted_query_answers_as_the_same_query_over_get(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None, operation: str | None
) -> None:
    """A JSON POST of one operation takes the hub's short path; GET takes strawberry's view."""
    posted = await client.post(
        "/graphql", json={"query": query, "variables": variables, "operationName": operation}
    )
    params = {"query": query, **({"operationName": operation} if operation else {})}
    if variables is not None:
        params["variables"] = orjson.dumps(variables).decode()
    got = await client.get("/graphql", params=params)
    assert (posted.status_code, posted.headers["content-type"]) == (
        got.status_code,
        got.headers["content-type"],
    )
    assert posted.content == got.content
    assert posted.status_code < 500


async def test_a_post_the_short_path_does_not_take_still_answers(
    client: httpx.AsyncClient,
) -> None:
    """Extra keys and a charset in the content type: strawberry's view answers as usual."""
    body = orjson.dumps({"query": "{ __typename }", "variables": {}, "unknown": 1})
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json; charset=utf-8"}
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}
    broken = await client.post(
        "/graphql", content=b'{"query": ', headers={"content-type": "application/json"}
    )
    assert broken.status_code == 400


async def test_limits_come_from_settings(engine: Endpoint, seeded_graph: str, backend: str) -> None:
    if backend != "falkordb":
        pytest.skip("HTTP behaviour does not depend on the backend; checked on the embedded one")
    async with hub_client(engine, seeded_graph, graphql_max_aliases=1) as http:
        response = await http.post(
            "/graphql",
            json={
                "query": '{ a: organization(code: "x") { name } '
                'b: organization(code: "y") { name } }'
            },
        )
    assert code_of(response) == "ALIAS_LIMIT_EXCEEDED"
