"""The seeded province the GraphQL benchmarks share: generated once into a data directory."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from connectors import IdentityHasher
from connectors.synthetic import SCALES, SyntheticProvince, seed
from graphdb import Endpoint, Store, connect, migrate, parse_graph_url
from graphdb.domain import organization

GRAPH = "bench_trace"
DATA_DIR = Path(tempfile.gettempdir()) / "hub-bench-trace"


def options(doc: str, samples: int) -> tuple[argparse.Namespace, SyntheticProvince]:
    """The command line of a benchmark (scale, samples, data dir) and the province it names."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="medium")
    parser.add_argument("--samples", type=int, default=samples)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args()
    hasher = IdentityHasher("bench-key-0123456789abcdef")
    return args, SyntheticProvince(SCALES[args.scale], 1, hasher)


async def opened(endpoint: Endpoint, province: SyntheticProvince, data_dir: Path) -> Store:
    """A store on the benchmarks' graph, seeded with ``province`` the first time."""
    store = connect(parse_graph_url("embedded"), graph=GRAPH, embedded=endpoint)
    await migrate(store)
    if not await store.read(organization.COUNT_BY_LEVEL):
        print(f"seeding {province.scale.name} into {data_dir} ...", flush=True)
        await seed(store, province)
    return store
