"""Every failure of the Neo4j driver reaches the user as one line that says what to do.

Without a server: a closed port, ports that answer but not in Bolt, one that
never answers (where the pool's size and wait show), and the server's refusals
as the driver builds them. ``hub migrate``/``serve`` print one line and exit 1;
GraphQL answers 503 ``GRAPH_UNAVAILABLE``; the store raises graph errors only.
With ``NEO4J_URI`` (see tests/conftest.py): a wrong password, a missing
database, a full pool, a rejected statement, bookmarks and ``clear``, on a
server whose database they wipe; without it they are skipped, and say so.
"""

from __future__ import annotations

import asyncio
import os
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from neo4j.exceptions import Neo4jError

from graphdb import (
    GraphBusy,
    GraphError,
    GraphUnavailable,
    QueryFailed,
    Scope,
    Store,
    Transaction,
    connect,
    migrate,
    parse_graph_url,
)
from graphdb import statement as cypher
from graphdb.domain import organization
from graphdb.neo4j_backend import Neo4jStore
from graphdb.neo4j_backend.store import _graph_error
from hub.app import create_app
from hub.runtime import Runtime
from hub.settings import Settings
from tests.conftest import NEO4J_SKIP

PASSWORD = "not-the-password-0451"  # must never be printed
NOT_BOLT = {"ssh": b"SSH-2.0-OpenSSH_9.6\r\n", "http": b"HTTP/1.1 400 OK\r\n\r\n", "hang-up": b""}

# For the Neo4j runs: a key written twice, and a count of it.
ADD_PERSON = cypher.write("test.neo4j.add_person", "CREATE (p:Person {id: $id}) RETURN p.id AS id")
COUNT_PEOPLE = cypher.read(
    "test.neo4j.count_people", "MATCH (p:Person) RETURN count(p) AS people", bound=cypher.WHOLE_TREE
)


def a_free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def tcp_server(payload: bytes | None) -> Iterator[int]:
    """A TCP server on 127.0.0.1 that answers every connection with ``payload`` and hangs
    up, or (given None) holds it and never says a word."""
    stop = threading.Event()

    class Answer(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            if payload is None:
                stop.wait()
            else:
                self.request.sendall(payload)

    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), Answer) as server:
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield int(server.server_address[1])
        finally:
            stop.set()
            server.shutdown()


@pytest.fixture(params=sorted(NOT_BOLT))
def not_bolt(request: pytest.FixtureRequest) -> Iterator[int]:
    """A port that answers every connection with something that is not Bolt."""
    with tcp_server(NOT_BOLT[request.param]) as port:
        yield port


@pytest.fixture
def silent() -> Iterator[int]:
    """A port that accepts every connection and never says a word."""
    with tcp_server(None) as port:
        yield port


def hub(*args: str, url: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hub", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HUB_GRAPH_URL": url, "HUB_NEO4J_PASSWORD": PASSWORD,
             "HUB_REDIS_URL": "redis://127.0.0.1:1", "HUB_DATA_DIR": str(data_dir)},
        check=False,
    )  # fmt: skip


def one_line(run: subprocess.CompletedProcess[str]) -> str:
    """The one line a failed command printed, and nothing else."""
    assert run.returncode == 1, run.stderr
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("error: ")
    assert PASSWORD not in run.stderr
    return lines[0]


COMMANDS = [["migrate"], ["serve", "--port", "{port}"]]


@pytest.mark.parametrize("command", COMMANDS, ids=["migrate", "serve"])
@pytest.mark.parametrize("scheme", ["neo4j", "bolt"])
def test_a_closed_port_is_one_line_asking_whether_neo4j_runs_there(
    scheme: str, command: list[str], data_dir: Path
) -> None:
    args, closed_port = [part.format(port=a_free_port()) for part in command], a_free_port()
    line = one_line(hub(*args, url=f"{scheme}://127.0.0.1:{closed_port}", data_dir=data_dir))
    assert f"Neo4j does not answer at {scheme}://127.0.0.1:{closed_port}" in line
    assert "is it running there" in line
    assert "HUB_GRAPH_URL" in line


@pytest.mark.parametrize("scheme", ["neo4j", "bolt"])
def test_a_port_that_is_not_bolt_is_one_line_naming_the_url(
    not_bolt: int, scheme: str, data_dir: Path
) -> None:
    line = one_line(hub("migrate", url=f"{scheme}://127.0.0.1:{not_bolt}", data_dir=data_dir))
    assert f"{scheme}://127.0.0.1:{not_bolt}" in line
    assert "Bolt port" in line
    assert "HUB_GRAPH_URL" in line


def neo4j_store(url: str, **options: Any) -> Neo4jStore:
    """A store on ``url`` with the test's password and the driver options given."""
    target = parse_graph_url(url)
    return Neo4jStore(
        target.neo4j_uri, user="neo4j", password=PASSWORD, database=target.database, **options
    )


async def failure_of(work: Awaitable[object]) -> GraphError:
    with pytest.raises(GraphError) as raised:
        await work
    return raised.value


@pytest.mark.parametrize("host", ["127.0.0.1", "[::1]"])
async def test_every_operation_on_a_closed_port_is_unavailable(host: str) -> None:
    """Each way into the store, with the driver's retries cut short (half a second, not 30)."""
    closed_port = a_free_port()
    store = neo4j_store(f"neo4j://{host}:{closed_port}", retry_time=0.5)
    try:
        failures = [
            await failure_of(store.ping()),
            await failure_of(store.read(organization.COUNT_BY_LEVEL)),
            await failure_of(store.transaction(lambda _: asyncio.sleep(0))),
            await failure_of(store.clear()),
            await failure_of(migrate(store)),
        ]
    finally:
        await store.close()
    for failure in failures:
        assert type(failure) is GraphUnavailable
        assert f"Neo4j does not answer at neo4j://{host}:{closed_port}" in str(failure)


async def test_the_pool_s_size_and_wait_reach_the_driver(silent: int) -> None:
    """One connection at most: the second caller waits for it, then is told the graph is busy.

    The first caller's connection hangs in the handshake until its wait runs
    out; with a larger pool the second would open its own and hang the same way.
    """
    store = neo4j_store(f"bolt://127.0.0.1:{silent}", pool_size=1, pool_timeout=1.0)

    async def second() -> None:
        await asyncio.sleep(0.3)
        await store.ping()

    started = time.perf_counter()
    try:
        first, then = await asyncio.gather(store.ping(), second(), return_exceptions=True)
    finally:
        await store.close()
    assert type(first) is GraphUnavailable
    assert type(then) is GraphBusy
    assert "HUB_GRAPH_POOL_SIZE" in str(then)
    assert time.perf_counter() - started < 10  # the pool's wait, not the driver's 60 s


@pytest.fixture(params=["closed", "not-bolt"])
def unanswered(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a Neo4j that does not answer: a closed port, or one that is not Bolt."""
    if request.param == "closed":
        yield f"neo4j://127.0.0.1:{a_free_port()}"
        return
    with tcp_server(NOT_BOLT["ssh"]) as port:
        yield f"neo4j://127.0.0.1:{port}"


async def test_graphql_over_a_neo4j_that_does_not_answer_is_a_503(
    unanswered: str, tmp_path: Path
) -> None:
    settings = Settings(
        graph_url=unanswered,
        neo4j_password=PASSWORD,
        redis_url="redis://127.0.0.1:1",
        data_dir=tmp_path / "hub-data",
    )
    runtime = Runtime(settings)
    runtime.store = neo4j_store(unanswered, retry_time=0.5)  # as if it went away after start
    transport = httpx.ASGITransport(app=create_app(settings, runtime))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as http:
            response = await http.post(
                "/graphql", json={"query": '{ organization(code: "ORG0000001") { name } }'}
            )
    finally:
        await runtime.close()
    assert response.status_code == 503
    assert response.headers["retry-after"].isdigit()
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "GRAPH_UNAVAILABLE"
    assert error["message"] == "the graph does not answer; try again shortly"


# --- On a real Neo4j 5 (NEO4J_URI) -------------------------------------------------------


def server_url(database: str | None = None) -> str:
    url = os.environ.get("NEO4J_URI")
    if not url:
        pytest.skip(NEO4J_SKIP)
    database = database or os.environ.get("NEO4J_DATABASE")
    return f"{url.rstrip('/')}/{database}" if database else url


def on_server(
    url: str, password: str | None = None, *, pool_size: int = 32, pool_timeout: float = 5.0
) -> Store:
    return connect(
        parse_graph_url(url),
        graph="unused",
        neo4j_user=os.environ.get("NEO4J_USER", "neo4j"),
        neo4j_password=password or os.environ.get("NEO4J_PASSWORD", "neo4j"),
        pool_size=pool_size,
        pool_timeout=pool_timeout,
    )


@pytest.fixture
async def server() -> AsyncIterator[Store]:
    """The Neo4j of NEO4J_URI, emptied and migrated; emptied again after."""
    store = on_server(server_url())
    await store.clear()
    await migrate(store)
    yield store
    await store.clear()
    await store.close()


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("database", "password", "says"),
    [(None, PASSWORD, "check HUB_NEO4J_PASSWORD"), ("nosuch", None, "no database 'nosuch'")],
    ids=["wrong-password", "no-database"],
)
async def test_a_server_that_refuses_says_what_to_fix(
    database: str | None, password: str | None, says: str
) -> None:
    store = on_server(server_url(database), password=password)
    try:
        failure = await failure_of(store.ping())
    finally:
        await store.close()
    assert type(failure) is GraphUnavailable
    assert says in str(failure)


@pytest.mark.neo4j
def test_a_wrong_password_is_one_line_in_the_cli(data_dir: Path) -> None:
    assert "HUB_NEO4J_PASSWORD" in one_line(hub("migrate", url=server_url(), data_dir=data_dir))


@pytest.mark.neo4j
async def test_a_pool_with_every_connection_in_use_is_busy(server: Store) -> None:
    store = on_server(server_url(), pool_size=1, pool_timeout=0.5)
    holding = asyncio.Event()
    release = asyncio.Event()

    async def hold(tx: Transaction) -> None:
        await tx.read(COUNT_PEOPLE, scope=Scope.everything())
        holding.set()
        await release.wait()

    held = asyncio.create_task(store.transaction(hold))
    try:
        await holding.wait()
        failure = await failure_of(store.read(COUNT_PEOPLE, scope=Scope.everything()))
    finally:
        release.set()
        await held
        await store.close()
    assert type(failure) is GraphBusy


@pytest.mark.neo4j
async def test_a_rejected_statement_is_named_without_its_parameters(server: Store) -> None:
    """Alone, or as one statement of a transaction (which writes nothing then)."""

    async def twice(tx: Transaction) -> None:
        await tx.write(ADD_PERSON, {"id": "P-secret-4711"})
        await tx.write(ADD_PERSON, {"id": "P-secret-4711"})

    with pytest.raises(QueryFailed) as in_transaction:
        await server.transaction(twice)
    assert await server.read(COUNT_PEOPLE, scope=Scope.everything()) == [{"people": 0}]
    await server.write(ADD_PERSON, {"id": "P-secret-4711"})
    with pytest.raises(QueryFailed) as alone:
        await server.write(ADD_PERSON, {"id": "P-secret-4711"})
    for raised in (in_transaction, alone):
        assert raised.value.statement == "test.neo4j.add_person"
        assert "ConstraintValidationFailed" in str(raised.value)
        assert "secret" not in str(raised.value)


@pytest.mark.neo4j
async def test_writes_of_every_kind_are_read_back_and_cleared(server: Store) -> None:
    """The home database is looked up once; a transaction's write is read at once after it
    (the bookmarks are shared); ``clear`` (CALL { WITH n ... } IN TRANSACTIONS) empties it."""

    async def add(tx: Transaction) -> None:
        await tx.write(ADD_PERSON, {"id": "P-2"})

    assert isinstance(server, Neo4jStore)
    assert server.database
    await server.write(ADD_PERSON, {"id": "P-1"})
    await server.transaction(add)
    assert await server.read(COUNT_PEOPLE, scope=Scope.everything()) == [{"people": 2}]
    await server.clear()
    assert await server.read(COUNT_PEOPLE, scope=Scope.everything()) == [{"people": 0}]


@pytest.mark.parametrize(
    ("code", "server_says", "raised", "says"),
    [
        ("Neo.ClientError.Security.Unauthorized", "The client is unauthorized.",
         GraphUnavailable, "check HUB_NEO4J_PASSWORD"),
        ("Neo.ClientError.Security.AuthenticationRateLimit", "Too many times in a row.",
         GraphUnavailable, "check HUB_NEO4J_PASSWORD"),
        ("Neo.ClientError.Database.DatabaseNotFound", "Database does not exist.",
         GraphUnavailable, "has no database 'league': create it"),
        ("Neo.TransientError.General.DatabaseUnavailable", "Database 'league' is unavailable.",
         GraphUnavailable, "database 'league' is not available"),
        ("Neo.TransientError.Transaction.DeadlockDetected", "ForsetiClient[1] can't acquire ...",
         GraphBusy, "retry shortly"),
        ("Neo.ClientError.Schema.ConstraintValidationFailed",
         "Node(7) already exists with label `Person` and property `id` = 'P-secret-4711'",
         QueryFailed, "'person.upsert' failed: Neo.ClientError.Schema.ConstraintValidationFailed"),
        ("Neo.ClientError.Statement.SyntaxError", "Invalid input 'RETRN': expected 'RETURN'",
         QueryFailed, "'person.upsert' failed: Neo.ClientError.Statement.SyntaxError: Invalid"),
    ],
    ids=["password", "rate-limit", "no-database", "database-down", "deadlock", "duplicate",
         "syntax"],
)  # fmt: skip
def test_what_the_server_answers_is_told_as_what_to_do(
    code: str, server_says: str, raised: type[GraphError], says: str
) -> None:
    """The server's refusals as the driver builds them from Bolt's FAILURE, without a server.

    Only a syntax error keeps the server's words: a duplicate key quotes the value.
    """
    error = Neo4jError._hydrate_neo4j(code=code, message=server_says)
    told = _graph_error(error, "person.upsert", "neo4j://graph.example:7687", "league")
    assert type(told) is raised
    assert says in str(told)
    assert "secret" not in str(told)
