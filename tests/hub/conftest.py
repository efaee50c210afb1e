"""Fixtures of the hub's tests: a place to sign on (the demo's people and clients), and
``hub demo`` itself, run as a process on a free port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from connectors import IdentityHasher
from graphdb import Endpoint, Store
from tests.fixtures.live import free_port
from tests.fixtures.oauth import Place
from tests.fixtures.sign_on import sign_on_place


@pytest.fixture
async def place(
    engine: Endpoint, seeded_graph: str, seeded: Store, hasher: IdentityHasher, tmp_path: Path
) -> AsyncIterator[Place]:
    """The hub over the seeded province, with the demo's accounts and partner client, a
    confidential relying platform and a public app; all removed afterwards."""
    async with sign_on_place(engine, seeded_graph, seeded, hasher, tmp_path) as place:
        yield place


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str], Path]]:
    port = free_port()
    data_dir = tmp_path / "data"
    process = subprocess.Popen(
        [sys.executable, "-m", "hub", "demo", "--scale", "tiny", "--port", str(port)],
        env={**os.environ, "HUB_DATA_DIR": str(data_dir)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"hub demo exited: {process.stdout.read() if process.stdout else ''}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    yield base, process, data_dir
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    if process.stdout:
        process.stdout.close()
