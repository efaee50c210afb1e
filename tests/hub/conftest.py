"""Fixtures of the hub's tests: a place to sign on (the demo's people and clients), and
``hub demo`` itself, run as a process on a free port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from connectors import IdentityHasher
from graphdb import Endpoint, Store
from hub.auth.accounts import Accounts
from hub.auth.clients import ClientRegistry
from hub.auth.demo import provision_demo
from hub.settings import DEMO_AUTH_SECRET
from tests.fixtures.hub import hub_client
from tests.fixtures.oauth import RP_SCOPES, Place, redirect_uri
from tests.fixtures.secrets import TEST_PII_KEY
from tests.fixtures.sign_on import signing_on


@pytest.fixture
async def place(
    engine: Endpoint, seeded_graph: str, seeded: Store, hasher: IdentityHasher, tmp_path: Path
) -> AsyncIterator[Place]:
    """The hub over the seeded province, with the demo's accounts and partner client, a
    confidential relying platform and a public app; all removed afterwards."""
    async with signing_on(seeded) as store:
        registry = ClientRegistry(store)
        accounts = Accounts(store, hasher, DEMO_AUTH_SECRET)
        demo = await provision_demo(store, hasher, tmp_path, registry, accounts)
        rp, secret = await registry.add(
            "Volunteer platform", "confidential", RP_SCOPES, [redirect_uri()]
        )
        public, _ = await registry.add("Youth app", "public", RP_SCOPES, [redirect_uri()])
        assert secret is not None
        async with hub_client(engine, seeded_graph, operator=False, pii_key=TEST_PII_KEY) as http:
            yield Place(http, demo, rp.client_id, secret, public.client_id)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


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
