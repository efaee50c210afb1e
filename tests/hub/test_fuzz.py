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
import base64
import json
import os
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import graphql
import httpx
import pytest
from graphql import (
    ArgumentNode,
    DocumentNode,
    NameNode,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    build_client_schema,
    get_introspection_query,
    parse,
    parse_type,
    print_ast,
    value_from_ast_untyped,
    visit,
)
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema
from strawberry.relay import to_base64

from graphdb import Endpoint
from tests.fixtures.hub import hub_client

EXAMPLES = int(os.environ.get("HUB_FUZZ_EXAMPLES", "0"))
SUITE_EXAMPLES = 300
RETRY_LATER = {"GRAPH_BUSY", "GRAPH_UNAVAILABLE"}

# Node types and the key shapes the synthetic province uses, for ids the hub may know.
KEYED = {
    "Organization": "ORG0000001",
    "Member": "P00000001",
    "Person": "P00000002",
    "CadrePost": "POST0000001",
    "Activity": "ACT0000001",
    "Registration": "REG00000001",
    "ServiceRecord": "SVC00000001",
    "Transfer": "TRF00000001",
    "DuesPayment": "DUE00000001",
    "FederationOrg": "FED0000001",
    "Enterprise": "91440101MA5CXXXX0X",
}
INTERFACES = ["Node", "SourceRecord"]
RARELY = st.sampled_from([False] * 9 + [True])  # one in ten: integers() would favour 0
HOSTILE_STRINGS = [
    "",
    " ",
    "\x00",
    "ORG0000001\x00",
    "P00000001\n",
    "\u202eORG0000001",
    "%%%",
    "==",
    "null",
    "[]",
    "{}",
    "' OR 1=1 //",
    '") RETURN 1 //',
    "$scope",
    "\\",
    "😀",
    "𠀀" * 50,
    "广州" * 200,
    "a" * 5000,
    "\ud7ff\ue000\uffff",
]
CURSOR_KINDS = ["t", "key.asc", "name.desc", "joined_on.asc", "code.asc", "level.desc", "", "x"]
JSON_LEAVES: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([2**31, 2**63, 2**64, -(2**63) - 1, 10**30]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
JSON_VALUES: st.SearchStrategy[Any] = st.recursive(
    JSON_LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@dataclass(frozen=True)
class Known:
    """Real values the hub answered, to bias generated arguments towards rows that exist."""

    words: list[str]
    ids: list[str]
    cursors: list[str]


KNOWN_QUERY = """{
  organizations(first: 20) { edges { cursor node { id code } } }
  byName: organizations(first: 3, orderBy: {field: NAME, direction: DESC}) { edges { cursor } }
  members(first: 20) { edges { cursor node { id key } } }
  byJoined: members(first: 3, orderBy: {field: JOINED_ON}) { edges { cursor } }
  enterprises(first: 5) { edges { cursor node { id uscc } } }
  activities(first: 5) { edges { cursor node { id key } } }
}"""


def known_values(answer: dict[str, Any]) -> Known:
    words, ids, cursors = list(KEYED.values()), list[str](), list[str]()
    for connection in answer.values():
        for edge in connection["edges"]:
            cursors.append(edge["cursor"])
            node = edge.get("node", {})
            ids.extend(value for name, value in node.items() if name == "id")
            words.extend(value for name, value in node.items() if name != "id")
    words += ["44", "4401", "440103", "committee", "branch", "active", "open", "female", "广州"]
    return Known(words, ids, cursors)


def string_node(value: str) -> ValueNode:
    return graphql.StringValueNode(value=value)


def int_node(value: int) -> ValueNode:
    return graphql.IntValueNode(value=str(value))


def value_node(value: Any) -> ValueNode:
    """The GraphQL literal of a JSON value."""
    if value is None:
        return graphql.NullValueNode()
    if isinstance(value, bool):
        return graphql.BooleanValueNode(value=value)
    if isinstance(value, int):
        return int_node(value)
    if isinstance(value, float):
        return graphql.FloatValueNode(value=repr(value))
    if isinstance(value, str):
        return string_node(value)
    if isinstance(value, list):
        return graphql.ListValueNode(values=tuple(value_node(item) for item in value))
    fields = (
        graphql.ObjectFieldNode(name=NameNode(value=name), value=value_node(item))
        for name, item in value.items()
        if name.isidentifier() and name.isascii()
    )
    return graphql.ObjectValueNode(fields=tuple(fields))


def cursor_of(parts: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(parts).encode()).decode()


def hostile_cursors() -> st.SearchStrategy[str]:
    """Cursors shaped like the hub's (base64 of a JSON list) holding the wrong things."""
    parts = st.tuples(st.sampled_from(CURSOR_KINDS), JSON_VALUES, JSON_VALUES).map(list)
    return st.one_of(
        parts.map(cursor_of),
        st.lists(JSON_VALUES, max_size=5).map(cursor_of),
        st.binary(max_size=40).map(lambda raw: base64.urlsafe_b64encode(raw).decode()),
        st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/"),
    )


def mostly(usual: st.SearchStrategy[Any], *rare: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``usual`` about three times in four, else one of ``rare``."""
    return st.one_of(usual, usual, usual, st.one_of(*rare))


def strings(known: Known) -> st.SearchStrategy[str]:
    """Mostly real codes, keys and cursors; then anything, control characters included."""
    return mostly(
        st.sampled_from(known.words) | st.sampled_from(known.cursors),
        st.sampled_from(HOSTILE_STRINGS),
        st.text(),
        st.text(alphabet=st.characters(max_codepoint=0x9F, categories=["Cc"])),
        st.builds(str.__add__, st.sampled_from(known.words), st.text(max_size=3)),
        hostile_cursors(),
    )


def global_ids(known: Known) -> st.SearchStrategy[str]:
    """Real ids, well-formed ids of any type and key, and base64 that is not one."""
    types = st.sampled_from([*KEYED, *INTERFACES, "Query", "PageInfo", "", "Nope", "Member:P1"])
    return mostly(
        st.sampled_from(known.ids),
        st.builds(to_base64, types, st.one_of(st.sampled_from(known.words), strings(known))),
        st.binary(max_size=30).map(lambda raw: base64.b64encode(raw).decode()),
        strings(known),
    )


def integers() -> st.SearchStrategy[int]:
    return mostly(
        st.integers(0, 120) | st.integers(1, 3),
        st.integers(-3, 0),
        st.sampled_from([-(2**31), 2**31 - 1, 2**31, 2**53, 10**30, -(10**30)]),
        st.integers(),
    )


def dates() -> st.SearchStrategy[ValueNode]:
    return mostly(
        st.dates().map(lambda day: string_node(day.isoformat())),
        st.datetimes().map(lambda moment: string_node(moment.isoformat())),
        st.sampled_from(
            ["2024-02-30", "2024-13-01", "", "today", "+99999-01-01", "0000-00-00"]
        ).map(string_node),
        st.text(max_size=12).map(string_node),
        st.integers().map(int_node),
    )


def representations(known: Known) -> st.SearchStrategy[ValueNode]:
    """Federation's ``_Any``: an entity's key as a gateway sends it, or anything else."""
    typenames = st.sampled_from(
        ["Member", "Organization", "Activity", "Enterprise", "Person", *INTERFACES, "Nope"]
    )
    keyed = st.fixed_dictionaries(
        {"__typename": typenames},
        optional={
            "id": st.one_of(global_ids(known), JSON_VALUES),
            "uscc": st.one_of(st.sampled_from(known.words), JSON_VALUES),
            "extra": JSON_VALUES,
        },
    )
    return mostly(keyed, JSON_VALUES).map(value_node)


def scalars(known: Known) -> dict[str, st.SearchStrategy[ValueNode]]:
    """Literals for every scalar the schema takes, built-in ones overridden to bias them."""
    return {
        "String": strings(known).map(string_node),
        "ID": mostly(global_ids(known).map(string_node), integers().map(int_node)),
        "Int": integers().map(int_node),
        "Float": st.floats(allow_nan=False, allow_infinity=False).map(
            lambda number: graphql.FloatValueNode(value=repr(number))
        ),
        "Date": dates(),
        "DateTime": dates(),
        "_Any": representations(known),
    }


def lifted(document: str, schema: graphql.GraphQLSchema) -> tuple[str, dict[str, Any]]:
    """The same operation with each argument passed as a variable of the argument's type."""
    variables: dict[str, Any] = {}
    definitions: list[VariableDefinitionNode] = []
    info = TypeInfo(schema)

    class Lift(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: Any) -> ArgumentNode | None:
            argument = info.get_argument()
            if argument is None:
                return None
            name = f"v{len(definitions)}"
            definitions.append(
                VariableDefinitionNode(
                    variable=VariableNode(name=NameNode(value=name)),
                    type=parse_type(str(argument.type)),
                )
            )
            variables[name] = value_from_ast_untyped(node.value)
            return ArgumentNode(name=node.name, value=VariableNode(name=NameNode(value=name)))

    tree = visit(parse(document), TypeInfoVisitor(info, Lift()))
    assert isinstance(tree, DocumentNode)
    operation = tree.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    with_variables = OperationDefinitionNode(
        operation=operation.operation,
        name=operation.name,
        variable_definitions=tuple(definitions),
        directives=operation.directives,
        selection_set=operation.selection_set,
    )
    return print_ast(DocumentNode(definitions=(with_variables,))), variables


@dataclass(frozen=True)
class Sent:
    """One request as drawn: which hub, which method, and the body or parameters."""

    hub: str
    method: str
    payload: dict[str, Any]


def requests(schema: graphql.GraphQLSchema, known: Known) -> st.SearchStrategy[Sent]:
    """A document from the schema, sent as it is, as a GET, or with its arguments as
    variables; now and then with a body part of the wrong shape."""
    documents = mostly(
        from_schema(schema, custom_scalars=scalars(known), mode=Mode.POSITIVE),
        from_schema(schema, custom_scalars=scalars(known), mode=Mode.NEGATIVE),
    )

    @st.composite
    def draw_request(draw: st.DrawFn) -> Sent:
        document = draw(documents)
        payload: dict[str, Any] = {"query": document}
        if draw(st.booleans()):
            query, variables = lifted(document, schema)
            if draw(RARELY) and variables:
                name = draw(st.sampled_from(sorted(variables)))
                variables[name] = draw(st.one_of(JSON_VALUES, strings(known)))
            variables.update(draw(st.dictionaries(st.text(max_size=5), JSON_VALUES, max_size=2)))
            payload = {"query": query, "variables": variables}
        for part in ("operationName", "variables", "extensions"):
            if draw(RARELY):
                payload[part] = draw(JSON_VALUES)
        method = draw(st.sampled_from(["POST", "POST", "GET"]))
        return Sent(draw(st.sampled_from(["open", "closed"])), method, payload)

    return draw_request()


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
