"""Load benchmark: ``hub seed`` against a raw batched ``UNWIND`` load of the same rows.

    python -m bench.load --scale medium        # >= 1,000,000 members; about 10 minutes

Both loads run on one fresh embedded engine, each into its own graph with the
same indexes and batch size:

* **hub seed**: ``connectors.synthetic.seed`` as ``hub seed`` runs it: rows
  generated on the fly, written through the store with the ``MERGE`` upserts;
* **raw UNWIND**: the same rows, generated beforehand (untimed), sent with the
  FalkorDB client straight to the engine through the same statements, one batch
  after the other: the engine's own speed, without the hub. The 0.8 goal is
  measured against this;
* **raw CREATE**: the same again with ``CREATE`` in place of ``MERGE`` (no
  existence checks, so not idempotent): the ceiling of the engine, for reference.

Then p50 and p99 of two lookups through the store on the seeded graph: a member by
id, and a member's chain of organisations to the province committee. Peak memory
is the benchmark process's maximum resident set during the seed, and the
engine's peak memory.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from falkordb.asyncio import FalkorDB

from connectors import IdentityHasher
from connectors.synthetic import SCALES, SyntheticProvince, seed, streams
from graphdb import EmbeddedEngine, Endpoint, Scope, Store, connect, migrate, parse_graph_url
from graphdb.domain import member

BATCH = 2000


async def hub_seed(endpoint: Endpoint, province: SyntheticProvince) -> tuple[int, float]:
    store = connect(parse_graph_url("embedded"), graph="bench_seed", embedded=endpoint)
    await store.clear()
    await migrate(store)
    started = time.perf_counter()
    written = await seed(store, province, batch_size=BATCH)
    elapsed = time.perf_counter() - started
    await store.close()
    return sum(written.values()), elapsed


async def raw_unwind(
    endpoint: Endpoint, province: SyntheticProvince, *, create: bool
) -> tuple[int, float]:
    name = "bench_raw_create" if create else "bench_raw"
    store = connect(parse_graph_url("embedded"), graph=name, embedded=endpoint)
    await store.clear()
    await migrate(store)
    await store.close()
    client = FalkorDB(unix_socket_path=endpoint.unix_socket, host=endpoint.host, port=endpoint.port)
    graph = client.select_graph(name)
    rows_sent, elapsed = 0, 0.0
    for stream in streams(province):
        text = stream.statement.text.replace("MERGE", "CREATE") if create else stream.statement.text
        rows = list(stream.rows())  # generated before the clock starts
        started = time.perf_counter()
        for start in range(0, len(rows), BATCH):
            params: dict[str, Any] = {
                "rows": rows[start : start + BATCH],
                "source": "raw",
                "synced_at": 0,
            }
            await graph.query(text, params)
        elapsed += time.perf_counter() - started
        rows_sent += len(rows)
    await client.connection.execute_command("GRAPH.DELETE", name)
    await client.connection.aclose()
    return rows_sent, elapsed


async def lookups(
    endpoint: Endpoint, province: SyntheticProvince, samples: int
) -> dict[str, dict[str, float]]:
    store: Store = connect(parse_graph_url("embedded"), graph="bench_seed", embedded=endpoint)
    rng = random.Random(5)
    ids = [f"P{rng.randrange(province.scale.members) + 1:08d}" for _ in range(samples)]
    report: dict[str, dict[str, float]] = {}
    for name, statement, params in (
        ("member by id", member.BY_IDS, lambda id_: {"ids": [id_]}),
        ("member to root chain", member.CHAIN_TO_ROOT, lambda id_: {"id": id_}),
    ):
        timings = []
        for id_ in ids:
            started = time.perf_counter()
            rows = await store.read(statement, params(id_), scope=Scope.everything())
            timings.append((time.perf_counter() - started) * 1000)
            assert rows, f"{name}: no answer for {id_}"
        timings.sort()
        report[name] = {
            "p50_ms": statistics.median(timings),
            "p99_ms": timings[int(len(timings) * 0.99) - 1],
        }
    await store.close()
    return report


def _line(name: str, rows: int, seconds: float) -> str:
    return f"{name:<12} {rows:>11,} rows {seconds:8.1f} s {rows / seconds:>9,.0f} rows/s"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="medium")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    scale = SCALES[args.scale]
    hasher = IdentityHasher("bench-key-0123456789abcdef")
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="hub-bench-"))
    with EmbeddedEngine(data_dir) as endpoint:
        print(
            f"scale {scale.name}: {scale.members:,} members, {scale.organizations:,} "
            f"organisations; engine data in {data_dir}",
            flush=True,
        )
        seed_rows, seed_s = await hub_seed(endpoint, SyntheticProvince(scale, args.seed, hasher))
        peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        memory = endpoint.client().info("memory")
        engine_mb = memory["used_memory"] / 2**20
        engine_peak_mb = memory["used_memory_peak"] / 2**20
        print(_line("hub seed", seed_rows, seed_s), flush=True)
        raw_rows, raw_s = await raw_unwind(
            endpoint, SyntheticProvince(scale, args.seed, hasher), create=False
        )
        print(_line("raw UNWIND", raw_rows, raw_s), flush=True)
        create_rows, create_s = await raw_unwind(
            endpoint, SyntheticProvince(scale, args.seed, hasher), create=True
        )
        print(_line("raw CREATE", create_rows, create_s), flush=True)
        latency = await lookups(endpoint, SyntheticProvince(scale, args.seed, hasher), args.samples)
    seed_rate, raw_rate, create_rate = seed_rows / seed_s, raw_rows / raw_s, create_rows / create_s
    result = {
        "scale": scale.name,
        "rows": seed_rows,
        "hub_seed_rows_per_s": round(seed_rate),
        "raw_unwind_rows_per_s": round(raw_rate),
        "raw_create_rows_per_s": round(create_rate),
        "ratio_seed_to_raw_unwind": round(seed_rate / raw_rate, 3),
        "ratio_seed_to_raw_create": round(seed_rate / create_rate, 3),
        "peak_rss_during_seed_mb": round(peak_rss_mb),
        "engine_memory_after_seed_mb": round(engine_mb),
        "engine_peak_memory_during_seed_mb": round(engine_peak_mb),
        "lookups": {
            name: {k: round(v, 3) for k, v in values.items()} for name, values in latency.items()
        },
        "python": sys.version.split()[0],
    }
    print(
        f"hub seed / raw UNWIND: {seed_rate / raw_rate:.2f} (goal: at least 0.80); "
        f"hub seed / raw CREATE: {seed_rate / create_rate:.2f}"
    )
    for name, values in latency.items():
        print(f"{name:<22} p50 {values['p50_ms']:.2f} ms  p99 {values['p99_ms']:.2f} ms")
    print(
        f"peak memory during the seed: benchmark process {peak_rss_mb:,.0f} MB, "
        f"engine {engine_peak_mb:,.0f} MB ({engine_mb:,.0f} MB held after it)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main())
