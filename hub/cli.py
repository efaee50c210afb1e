"""The ``hub`` command line: demo, serve, seed, migrate.

Every failure the user can fix prints one line saying what to do, and exits
non-zero; no traceback.

``hub serve --workers N`` (and ``hub demo``) runs N HTTP worker processes on one
listening socket. The process the command started is their supervisor: it
starts the embedded engine, migrates (and seeds the demo) once, then runs
uvicorn's multiprocess supervisor, which restarts a worker that dies. The
engine belongs to the supervisor, so it outlives any one worker; stopping the
supervisor stops the workers, then the engine (saving its data).
"""

from __future__ import annotations

import asyncio
import errno
import functools
import gc
import os
import signal
import socket
import sys
import time
from collections.abc import Callable, Coroutine
from enum import StrEnum
from typing import Annotated, Any

import typer
import uvicorn
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from starlette.applications import Starlette
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

from connectors import IdentityHasher
from connectors.synthetic import SCALES, Scale, SeedProgress, Stream, SyntheticProvince, seed
from graphdb import Endpoint, GraphError, Store, migrate
from graphdb.domain import organization
from graphdb.falkordb_backend import die_with_parent
from graphdb.security.audit import PiiKeys
from hub.app import create_app
from hub.auth.accounts import Accounts
from hub.auth.cli_accounts import accounts_app
from hub.auth.cli_clients import clients_app
from hub.auth.cli_keys import keys_app
from hub.auth.clients import ClientRegistry
from hub.auth.demo import CREDENTIALS_FILE, provision_demo
from hub.auth.operator import token_command
from hub.runtime import Runtime
from hub.settings import DEMO_PII_KEY, Settings

app = typer.Typer(
    help="YouthGraph Hub: one GraphQL schema over the youth-league graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True, soft_wrap=True)


class ScaleName(StrEnum):
    tiny = "tiny"
    small = "small"
    medium = "medium"
    province = "province"


class HubError(Exception):
    """A problem the user can fix; the message says how."""


Host = Annotated[str | None, typer.Option(help="address to listen on [default: HUB_HOST]")]
Port = Annotated[
    int | None, typer.Option(min=1, max=65535, help="port to listen on [default: HUB_PORT]")
]
ScaleOption = Annotated[ScaleName, typer.Option(help="size of the synthetic province")]
Workers = Annotated[
    int | None,
    typer.Option(min=1, max=64, help="HTTP worker processes [default: HUB_WORKERS]"),
]


@app.command()
def demo(
    host: Host = None,
    port: Port = None,
    scale: ScaleOption = ScaleName.small,
    workers: Workers = None,
) -> None:
    """Start the embedded graph, load demo data if it is empty, serve GraphQL with its IDE."""
    _serving(host, port, workers, demo_scale=SCALES[scale.value])


@app.command()
def serve(host: Host = None, port: Port = None, workers: Workers = None) -> None:
    """Serve GraphQL on the configured graph (HUB_GRAPH_URL), migrating its schema first."""
    _serving(host, port, workers, demo_scale=None)


@app.command("seed")
def seed_command(
    scale: ScaleOption = ScaleName.small,
    seed_value: Annotated[int, typer.Option("--seed", help="same seed, same graph")] = 1,
    reset: Annotated[bool, typer.Option(help="delete the graph's data first")] = False,
    batch_size: Annotated[int, typer.Option(min=1, max=50_000, help="rows per statement")] = 2000,
) -> None:
    """Generate a synthetic province and load it; re-running with the same seed changes nothing."""

    async def work(runtime: Runtime) -> None:
        async with runtime.opened() as store:
            if reset:
                await store.clear()
            await migrate(store)
            await _seed(store, runtime.settings, SCALES[scale.value], seed_value, batch_size)

    _run(work)


@app.command("migrate")
def migrate_command() -> None:
    """Create the graph's keys, indexes and full-text indexes; safe to run again."""

    async def work(runtime: Runtime) -> None:
        async with runtime.opened() as store:
            applied = await migrate(store)
        console.print(f"applied {len(applied)} schema changes" if applied else "schema up to date")

    _run(work)


def main() -> None:
    app()


def _run(
    work: Callable[[Runtime], Coroutine[Any, Any, None]],
    then: Callable[[Runtime], None] | None = None,
) -> None:
    """Settings, the engine (from the main thread), one event loop; errors as one line.

    ``then`` runs in the main thread after the event loop, with the engine still up.
    """
    try:
        settings = Settings()
    except ValidationError as error:
        for problem in error.errors():
            name = "HUB_" + "_".join(str(part) for part in problem["loc"]).upper()
            reason = problem.get("ctx", {}).get("error", problem["msg"])
            said = str(reason) if str(reason).startswith(name) else f"{name}: {reason}"
            console.print(f"[red]error:[/] {escape(said)}")
        raise typer.Exit(2) from None
    runtime: Runtime | None = None
    try:
        runtime = Runtime(settings)
        runtime.start_engine()
        with asyncio.Runner(loop_factory=_loop_factory()) as runner:
            runner.run(work(runtime))
        if then is not None:
            then(runtime)
    except (GraphError, HubError) as error:
        console.print(f"[red]error:[/] {escape(str(error))}")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    finally:
        if runtime is not None:
            runtime.stop_engine()


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop where it is installed (it answers HTTP faster), else asyncio's own loop."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def _serving(
    host: str | None, port: int | None, workers: int | None, demo_scale: Scale | None
) -> None:
    """One process serving (as ``hub serve`` always did), or a supervisor of ``workers``."""

    def count(runtime: Runtime) -> int:
        return workers or runtime.settings.workers

    async def prepare(runtime: Runtime) -> None:
        if count(runtime) == 1:
            await _serve(runtime, host, port, demo_scale)
        else:
            await _prepare(runtime, host, port, demo_scale)

    def supervise(runtime: Runtime) -> None:
        if count(runtime) > 1:
            _supervise(runtime, host, port, count(runtime))

    _run(prepare, then=supervise)


async def _prepare(
    runtime: Runtime, host: str | None, port: int | None, demo_scale: Scale | None
) -> tuple[str, int]:
    """Check the port, migrate, seed the demo if the graph is empty: once, before serving."""
    settings = runtime.settings
    bind_host, bind_port = host or settings.host, port or settings.port
    _check_port(bind_host, bind_port)
    async with runtime.opened() as store:
        await migrate(store)
        if demo_scale is not None and not await store.read(organization.COUNT_BY_LEVEL):
            await _seed(store, settings, demo_scale, 1, 2000)
        if demo_scale is not None:
            hasher = IdentityHasher(settings.pii_key.get_secret_value())
            accounts = Accounts(store, hasher, settings.auth_secret.get_secret_value())
            demo = await provision_demo(
                store, hasher, settings.data_dir, ClientRegistry(store), accounts
            )
            console.print(
                "[bold]Sign in[/] at /login (or through a platform) as any of these; the same is "
                f"in {settings.data_dir / CREDENTIALS_FILE}:"
            )
            for line in demo.summary():
                console.print("  " + escape(line))
    return bind_host, bind_port


async def _serve(
    runtime: Runtime, host: str | None, port: int | None, demo_scale: Scale | None
) -> None:
    settings = runtime.settings
    bind_host, bind_port = await _prepare(runtime, host, port, demo_scale)
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, runtime),
            host=bind_host,
            port=bind_port,
            log_level=settings.log_level,
            lifespan="on",
        )
    )
    # What start-up built lives as long as the process: keep it out of every
    # garbage collection from now on, so that requests pay only for their own objects.
    gc.freeze()
    where = f"http://{bind_host}:{bind_port}"
    console.print(
        f"YouthGraph Hub on the {runtime.target.address} graph: "
        f"GraphQL IDE at [bold]{where}/graphql[/], health at {where}/health "
        "(Ctrl-C stops)"
    )
    await server.serve()


def _supervise(runtime: Runtime, host: str | None, port: int | None, workers: int) -> None:
    """Run ``workers`` processes on one socket until a signal stops them; restart any that dies.

    uvicorn starts workers with ``spawn``: each is a fresh interpreter that reads
    the settings from the same environment and is handed only the engine's
    endpoint (:func:`_worker_app`), so nothing open here is shared with them.
    """
    settings = runtime.settings
    bind_host, bind_port = host or settings.host, port or settings.port
    config = uvicorn.Config(
        functools.partial(_worker_app, runtime.endpoint, os.getpid()),
        factory=True,
        host=bind_host,
        port=bind_port,
        workers=workers,
        log_level=settings.log_level,
        lifespan="on",
    )
    listening = config.bind_socket()
    where = f"http://{bind_host}:{bind_port}"
    console.print(
        f"YouthGraph Hub on the {runtime.target.address} graph, {workers} workers "
        f"(supervisor pid {os.getpid()}): GraphQL IDE at [bold]{where}/graphql[/], "
        f"health at {where}/health (Ctrl-C stops)"
    )
    supervisor = Multiprocess(config, sockets=[listening])
    try:
        supervisor.run()
    finally:
        listening.close()
    if any(worker.exitcode == STARTUP_FAILURE for worker in supervisor.processes):
        raise HubError("a worker could not start (said above); fix that, then start the hub again")


def _worker_app(endpoint: Endpoint | None, supervisor: int) -> Starlette:
    """The app of one worker process, on the engine its supervisor runs.

    A worker that cannot build its app exits as a start-up failure, which stops
    the supervisor: restarting it would fail the same way, forever.
    """
    _exit_with(supervisor)
    try:
        settings = Settings()
        application = create_app(settings, Runtime(settings, endpoint=endpoint))
    except Exception as error:  # anything: a worker must not crash-loop
        console.print(f"[red]error:[/] worker {os.getpid()} cannot start: {escape(str(error))}")
        sys.exit(STARTUP_FAILURE)
    gc.freeze()  # as in _serve: what start-up built stays out of every collection
    return application


def _exit_with(supervisor: int) -> None:
    """Have the kernel send this worker SIGTERM when its supervisor dies, even by SIGKILL.

    Without it a worker orphaned by a killed supervisor would go on listening,
    with no engine behind it.
    """
    die_with_parent()
    if os.getppid() != supervisor:  # it died before the line above
        os.kill(os.getpid(), signal.SIGTERM)


def _check_port(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise HubError(
                    f"port {port} on {host} is in use: stop what holds it, or pass --port"
                ) from None
            raise HubError(
                f"cannot listen on {host}:{port} ({error.strerror}); pass another --host or --port"
            ) from None


async def _seed(
    store: Store, settings: Settings, scale: Scale, seed_value: int, batch_size: int
) -> None:
    key = settings.pii_key.get_secret_value()
    if key == DEMO_PII_KEY:
        console.print(
            "[yellow]note:[/] hashing identifiers with the demo key; set HUB_PII_KEY for real data"
        )
    province = SyntheticProvince(scale, seed_value, IdentityHasher(key), sealer=PiiKeys(key).sealer)
    started = time.perf_counter()
    with _SeedBars() as bars:
        written = await seed(store, province, batch_size=batch_size, progress=bars)
    console.print(
        f"seeded {scale.name} (seed {seed_value}): {sum(written.values()):,} rows "
        f"in {time.perf_counter() - started:.1f} s"
    )


class _SeedBars(SeedProgress):
    """Rich progress bars, one per stream."""

    def __init__(self) -> None:
        self._progress = Progress(
            TextColumn("{task.description:<28}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=not sys.stderr.isatty(),
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> _SeedBars:
        self._progress.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._progress.stop()

    def stream_started(self, stream: Stream) -> None:
        self._tasks[stream.name] = self._progress.add_task(stream.name, total=stream.count)

    def rows_written(self, stream: Stream, rows: int) -> None:
        self._progress.advance(self._tasks[stream.name], rows)

    def stream_finished(self, stream: Stream) -> None:
        task = self._tasks[stream.name]
        self._progress.update(task, total=self._progress.tasks[task].completed)
        self._progress.stop_task(task)


app.add_typer(clients_app(_run), name="clients")
app.add_typer(keys_app(_run), name="keys")
app.add_typer(accounts_app(_run), name="accounts")
app.command("token")(token_command(_run))
