"""Trace benchmark: ``trace`` and ``traceOrganization`` over HTTP, against two baselines.

    python bench/trace.py --scale medium          # seeds once into --data-dir, then reuses it

For random members (and random grassroots committees), in the same run:

* **hub**: the GraphQL query over HTTP to ``hub serve`` (a separate process, with
  its parser and validation caches on);
* **(a) store**: the same Cypher through the store, no GraphQL: the trace
  statement, then the organisations it names in one batch, as the hub does;
* **(b) bare**: a bare Starlette endpoint (``bench/bare.py``) answering with the
  hub's own JSON for that id: the cost of HTTP and JSON alone.

Prints p50/p99 of each and the ratio hub / (a) (goal: p50 within 2x).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from connectors import IdentityHasher
from connectors.synthetic import SCALES, SyntheticProvince, seed
from graphdb import EmbeddedEngine, Store, connect, migrate, parse_graph_url
from graphdb.domain import organization, trace

GRAPH = "bench_trace"
TRACE = """query ($key: String!) { trace(memberKey: $key) {
  member { key name idNumberMasked } branch { code name } chain { code name level }
  posts { title organization { name } } transfers { status from { name } to { name } }
  dues { month amountFen } registrationCount serviceHours
  trajectory { on kind summary } } }"""
TRACE_ORG = """query ($code: String!) { traceOrganization(code: $code) {
  organization { code name } chain { code name } members
  children { organization { code name } members cadres vacancies } activityCount } }"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def spawn(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """A server process for the run, quiet, in this repository."""
    return subprocess.Popen(
        command,
        env=env,
        cwd=Path(__file__).parents[1],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def percentiles(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    return {
        "p50_ms": statistics.median(ordered),
        "p99_ms": ordered[max(0, int(len(ordered) * 0.99) - 1)],
    }


async def timed(samples: list[str], call: Callable[[str], Awaitable[Any]]) -> list[float]:
    for key in samples[:20]:  # warm caches and connections
        await call(key)
    timings = []
    for key in samples:
        started = time.perf_counter()
        await call(key)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


async def store_trace(store: Store, key: str) -> None:
    rows = await store.read(trace.MEMBER, {"id": key, "recent": 20})
    row = rows[0]
    ids = [
        *row["lineage"],
        *(p["organization_id"] for p in row["posts"]),
        *(t[end] for t in row["transfers"] for end in ("from_id", "to_id")),
    ]
    await store.read(organization.BY_IDS, {"ids": list(dict.fromkeys(ids))})


async def store_trace_org(store: Store, key: str) -> None:
    rows = await store.read(trace.ORGANIZATION, {"id": key, "recent": 20})
    row = rows[0]
    ids = [*row["lineage"], *(c["id"] for c in row["children"])]
    await store.read(organization.BY_IDS, {"ids": list(dict.fromkeys(ids))})


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="medium")
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument(
        "--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "hub-bench-trace"
    )
    args = parser.parse_args()
    scale = SCALES[args.scale]
    province = SyntheticProvince(scale, 1, IdentityHasher("bench-key-0123456789abcdef"))
    rng = random.Random(3)
    members = [f"P{rng.randrange(scale.members) + 1:08d}" for _ in range(args.samples)]
    committees = [org.id for org in province.tree.orgs if org.level == 4]
    orgs = [rng.choice(committees) for _ in range(args.samples)]

    engine = EmbeddedEngine(args.data_dir)
    endpoint = engine.start()
    store = connect(parse_graph_url("embedded"), graph=GRAPH, embedded=endpoint)
    await migrate(store)
    if not await store.read(organization.COUNT):
        print(f"seeding {scale.name} into {args.data_dir} ...", flush=True)
        await seed(store, province)

    env = {
        **os.environ,
        "HUB_DATA_DIR": str(args.data_dir),
        "HUB_GRAPH_NAME": GRAPH,
        "HUB_LOG_LEVEL": "warning",
    }
    hub_port, bare_port = free_port(), free_port()
    hub = spawn([sys.executable, "-m", "hub", "serve", "--port", str(hub_port)], env)
    answers = Path(tempfile.mkdtemp()) / "answers.json"
    bare: subprocess.Popen[bytes] | None = None
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{hub_port}", timeout=60) as client:
            for _ in range(600):
                try:
                    if (await client.get("/health")).status_code == 200:
                        break
                except httpx.HTTPError:
                    await asyncio.sleep(0.1)

            async def hub_trace(key: str) -> Any:
                response = await client.post(
                    "/graphql", json={"query": TRACE, "variables": {"key": key}}
                )
                body = response.json()
                assert "errors" not in body, body
                return body

            async def hub_trace_org(key: str) -> Any:
                response = await client.post(
                    "/graphql", json={"query": TRACE_ORG, "variables": {"code": key}}
                )
                body = response.json()
                assert "errors" not in body, body
                return body

            stored = {k: await hub_trace(k) for k in dict.fromkeys(members)}
            stored |= {k: await hub_trace_org(k) for k in dict.fromkeys(orgs)}
            answers.write_bytes(json.dumps(stored).encode())
            bare = spawn(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "bench.bare:app",
                    "--port",
                    str(bare_port),
                    "--log-level",
                    "warning",
                ],
                {**env, "BARE_JSON": str(answers)},
            )
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{bare_port}") as plain:
                for _ in range(300):
                    try:
                        await plain.get(f"/answer/{members[0]}")
                        break
                    except httpx.HTTPError:
                        await asyncio.sleep(0.1)

                async def bare_get(key: str) -> Any:
                    return (await plain.get(f"/answer/{key}")).content

                report: dict[str, dict[str, dict[str, float]]] = {}
                for name, samples, over_http, direct in (
                    ("trace", members, hub_trace, store_trace),
                    ("traceOrganization", orgs, hub_trace_org, store_trace_org),
                ):
                    report[name] = {
                        "hub": percentiles(await timed(samples, over_http)),
                        "store": percentiles(await timed(samples, partial(direct, store))),
                        "bare": percentiles(await timed(samples, bare_get)),
                    }
    finally:
        hub.terminate()
        hub.wait()
        if bare is not None:
            bare.terminate()
            bare.wait()
        await store.close()
        engine.stop()

    print(f"scale {scale.name}, {args.samples} samples each")
    for name, rows in report.items():
        ratio = rows["hub"]["p50_ms"] / rows["store"]["p50_ms"]
        print(
            f"{name:<18} hub p50 {rows['hub']['p50_ms']:6.2f} ms p99 "
            f"{rows['hub']['p99_ms']:6.2f} | store p50 {rows['store']['p50_ms']:6.2f} "
            f"p99 {rows['store']['p99_ms']:6.2f} | bare p50 {rows['bare']['p50_ms']:5.2f} "
            f"p99 {rows['bare']['p99_ms']:5.2f} | hub/store p50 {ratio:.2f} (goal <= 2)"
        )
    print(json.dumps({"scale": scale.name, "samples": args.samples, "report": report}))


if __name__ == "__main__":
    asyncio.run(main())
