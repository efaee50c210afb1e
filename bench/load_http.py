"""HTTP load benchmark: throughput and p50/p99 under 1 to 128 concurrent clients.

    python -m bench.load_http --scale small --data-dir /tmp/hub-bench-small
    python -m bench.load_http --scale medium      # reuses bench.trace's graph

Two queries, each sent by N clients at once (N = 1, 8, 32, 128), each client on
its own keep-alive connection, sending its next request as soon as the last
one is answered, for ``BENCH_SECONDS`` (5 unless set) per cell:

* ``trace`` of random members;
* a 100-row list, ``members(first: 100, where: {under: <a county>})``.

Against three servers, all started here on the same engine:

* **hub**: ``hub serve``, one process;
* **hub x2**: ``hub serve --workers 2``, the engine shared by both workers;
* **bare**: a bare Starlette endpoint (``bench/bare.py``) answering the hub's
  own JSON for the same request: the floor of HTTP and JSON alone.

Every answer is compared with the one the hub gave at rest, byte for byte; a
wrong answer or an error answer is counted, never timed. Throughput is answers
per second over the cell; the clients run in this one process (with uvloop and
the minimal client of ``bench.trace``), on the same machine as the servers, so
on a small machine they take a share of the cores the servers could use.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from bench.seeded import GRAPH, opened, options
from bench.timing import percentiles
from bench.trace import TRACE, Http, free_port, ready, spawn
from graphdb import EmbeddedEngine

CONCURRENCY = (1, 8, 32, 128)
LIST = """query ($code: String!) { members(first: 100, where: {under: $code}) {
  edges { cursor node { key name joinedOn branch { code name } } } pageInfo { hasNextPage } } }"""


@dataclass
class Request:
    """One request of a query, the key the bare endpoint answers it under, and its answer."""

    key: str
    body: bytes
    answer: bytes = b""


@dataclass
class Cell:
    answered: int = 0
    failed: int = 0
    timings: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def report(self) -> dict[str, float]:
        found = percentiles(self.timings) if self.timings else {"p50_ms": 0.0, "p99_ms": 0.0}
        return {
            "per_s": round(self.answered / self.seconds, 1),
            "p50_ms": round(found["p50_ms"], 2),
            "p99_ms": round(found["p99_ms"], 2),
            "failed": self.failed,
        }


async def load(
    port: int, requests: list[Request], clients: int, seconds: float, *, bare: bool
) -> Cell:
    """``clients`` connections sending ``requests`` in turn for ``seconds``; answers checked."""
    cell = Cell()
    connections = [Http(port) for _ in range(clients)]
    for connection in connections:  # connect and warm each one, untimed
        await ask(connection, requests[0], bare=bare)
    stop_at = time.perf_counter() + seconds

    async def client(number: int, connection: Http) -> None:
        turn = number * 7
        while time.perf_counter() < stop_at:
            request = requests[turn % len(requests)]
            turn += 1
            started = time.perf_counter()
            try:
                body = await ask(connection, request, bare=bare)
            except (RuntimeError, OSError, asyncio.IncompleteReadError):
                cell.failed += 1
                await connection.close()
                continue
            if body != request.answer:
                cell.failed += 1
                continue
            cell.timings.append((time.perf_counter() - started) * 1000)
            cell.answered += 1

    started = time.perf_counter()
    await asyncio.gather(*(client(n, c) for n, c in enumerate(connections)))
    cell.seconds = time.perf_counter() - started
    for connection in connections:
        await connection.close()
    return cell


async def ask(connection: Http, request: Request, *, bare: bool) -> bytes:
    if bare:
        return await connection.request("GET", f"/answer/{request.key}")
    return await connection.request("POST", "/graphql", request.body)


def requests_of(query: str, variable: str, keys: list[str], prefix: str) -> list[Request]:
    return [
        Request(f"{prefix}{key}", orjson.dumps({"query": query, "variables": {variable: key}}))
        for key in keys
    ]


async def main() -> None:
    args, province = options(__doc__ or "", samples=300)
    seconds = float(os.environ.get("BENCH_SECONDS", "5"))
    scale = province.scale
    rng = random.Random(11)
    members = [f"P{rng.randrange(scale.members) + 1:08d}" for _ in range(args.samples)]
    counties = [org.id for org in province.tree.orgs if org.level == 3]
    queries = {
        "trace": requests_of(TRACE, "key", members, "t-"),
        "members(first: 100)": requests_of(
            LIST, "code", rng.sample(counties, min(20, len(counties))), "l-"
        ),
    }

    engine = EmbeddedEngine(args.data_dir)
    store = await opened(engine.start(), province, args.data_dir)
    await store.close()
    env = {
        **os.environ,
        "HUB_DATA_DIR": str(args.data_dir),
        "HUB_GRAPH_NAME": GRAPH,
        "HUB_LOG_LEVEL": "warning",
    }
    ports = {"hub": free_port(), "hub x2": free_port(), "bare": free_port()}
    hub = [sys.executable, "-m", "hub", "serve"]
    servers = [
        spawn([*hub, "--port", str(ports["hub"])], env),
        spawn([*hub, "--workers", "2", "--port", str(ports["hub x2"])], env),
    ]
    report: dict[str, dict[str, dict[str, dict[str, float]]]] = {}
    try:
        for name in ("hub", "hub x2"):
            await ready(Http(ports[name]), "/health")
        at_rest = Http(ports["hub"])
        for requests in queries.values():
            for request in requests:
                request.answer = await at_rest.request("POST", "/graphql", request.body)
                assert b'"errors"' not in request.answer, request.answer
        await at_rest.close()
        answers = Path(tempfile.mkdtemp()) / "answers.json"
        answers.write_bytes(
            orjson.dumps({r.key: orjson.loads(r.answer) for rs in queries.values() for r in rs})
        )
        uvicorn = [sys.executable, "-m", "uvicorn", "bench.bare:app", "--log-level", "warning"]
        servers.append(
            spawn([*uvicorn, "--port", str(ports["bare"])], {**env, "BARE_JSON": str(answers)})
        )
        await ready(Http(ports["bare"]), f"/answer/{queries['trace'][0].key}")

        for query, requests in queries.items():
            report[query] = {}
            for clients in CONCURRENCY:
                row: dict[str, dict[str, float]] = {}
                for name, port in ports.items():
                    cell = await load(port, requests, clients, seconds, bare=name == "bare")
                    row[name] = cell.report()
                report[query][str(clients)] = row
                print(_line(query, clients, row), flush=True)
    finally:
        for server in servers:
            server.terminate()
            server.wait()
        engine.stop()
    print(json.dumps({"scale": scale.name, "seconds": seconds, "report": report}))


def _line(query: str, clients: int, row: dict[str, dict[str, float]]) -> str:
    cells = " | ".join(
        f"{name} {cell['per_s']:7.0f}/s p50 {cell['p50_ms']:7.2f} p99 {cell['p99_ms']:7.2f}"
        + (f" FAILED {cell['failed']:.0f}" if cell["failed"] else "")
        for name, cell in row.items()
    )
    return f"{query:<20} {clients:>3} clients | {cells}"


def run(work: Coroutine[Any, Any, None]) -> None:
    """On uvloop where it is installed: the clients then take less of the machine."""
    try:
        import uvloop
    except ImportError:
        asyncio.run(work)
        return
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(work)


if __name__ == "__main__":
    run(main())
