"""``hub clients add|list|revoke``: the secret shown once, never listed; errors in one line."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import pytest
import typer
from typer.testing import CliRunner, Result

from graphdb import Endpoint, Scope
from graphdb import statement as cypher
from hub.auth.cli_clients import clients_app
from hub.cli import _run
from tests.conftest import open_store

STORED = cypher.read(
    "test.oauth_client_nodes",
    "MATCH (c:OAuthClient) RETURN properties(c) AS props",
    bound=cypher.WHOLE_TREE,
)


@pytest.fixture
def hub_clients(engine: Endpoint) -> Iterator[tuple[typer.Typer, dict[str, str]]]:
    """The ``clients`` commands as ``hub.cli`` registers them, on a graph of their own."""
    assert engine.unix_socket is not None
    graph = f"test_{uuid.uuid4().hex[:12]}"
    app = typer.Typer()
    app.add_typer(clients_app(_run), name="clients")
    env = {
        "HUB_DATA_DIR": engine.unix_socket.rsplit("/falkordb/", 1)[0],
        "HUB_GRAPH_NAME": graph,
        "COLUMNS": "200",
    }
    yield app, env
    asyncio.run(_forget(engine, graph))


async def _forget(engine: Endpoint, graph: str) -> None:
    store = open_store("falkordb", engine, graph)
    await store.clear()
    await store.close()


def invoke(hub: tuple[typer.Typer, dict[str, str]], *args: str) -> Result:
    app, env = hub
    return CliRunner().invoke(app, ["clients", *args], env=env)


def test_add_shows_the_secret_once_and_list_never(
    hub_clients: tuple[typer.Typer, dict[str, str]], engine: Endpoint
) -> None:
    added = invoke(
        hub_clients, "add", "--name", "Women's federation", "--type", "confidential",
        "--scope", "org:read", "--scope", "member:read",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    client_id = added.stdout.split("client_id:")[1].split()[0]
    secret = added.stdout.split("client_secret:")[1].split()[0]
    assert "cannot be shown again" in added.stderr
    app = invoke(
        hub_clients, "add", "--name", "Youth app", "--type", "public", "--scope", "openid",
        "--redirect-uri", "https://app.example.org/cb", "--pairwise",
    )  # fmt: skip
    assert app.exit_code == 0, app.output
    assert "client_secret" not in app.stdout
    listed = invoke(hub_clients, "list")
    assert listed.exit_code == 0, listed.output
    assert client_id in listed.stdout
    youth_app = next(line for line in listed.stdout.splitlines() if "Youth app" in line)
    assert "pairwise" in youth_app
    assert "https://app.example.org/cb" in listed.stdout
    assert secret not in listed.output
    assert "$argon2" not in listed.output

    async def stored() -> str:
        store = open_store("falkordb", engine, hub_clients[1]["HUB_GRAPH_NAME"])
        try:
            return repr(await store.read(STORED, scope=Scope.everything()))
        finally:
            await store.close()

    assert secret not in asyncio.run(stored())
    revoked = invoke(hub_clients, "revoke", client_id)
    assert revoked.exit_code == 0, revoked.output
    after = [line for line in invoke(hub_clients, "list").stdout.splitlines() if client_id in line]
    assert "revoked" in after[0]


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("add --name X --type confidential --scope member:write", "unknown scope"),
        (
            "add --name X --type public --scope openid --redirect-uri http://app.example.org/cb",
            "use https",
        ),
        ("add --name X --type confidential --scope org:read --subtree ORG9999999", "ORG9999999"),
        ("revoke c_nosuchclient000", "no client has the id"),
    ],
)
def test_bad_input_is_one_line_saying_what_to_do(
    hub_clients: tuple[typer.Typer, dict[str, str]], command: str, says: str
) -> None:
    run = invoke(hub_clients, *command.split())
    assert run.exit_code == 1
    assert "Traceback" not in run.output
    errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, run.stderr
    assert says in errors[0]
