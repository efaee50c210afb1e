"""``hub demo`` over real HTTP: it starts, seeds, answers GraphQL, and stops cleanly."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest


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


def test_the_demo_answers_graphql_over_http(
    demo: tuple[str, subprocess.Popen[str], Path],
) -> None:
    base, process, data_dir = demo
    health = httpx.get(f"{base}/health").json()
    assert health == {"graph": "ok", "redis": "ok", "status": "ok"}
    query = """{ organization(code: "ORG0000001") { name level children { level } }
                 member(key: "P00000001") { idNumberMasked branch { parentChain { level } } } }"""
    answer = httpx.post(f"{base}/graphql", json={"query": query}).json()
    root = answer["data"]["organization"]
    assert (root["name"], root["level"]) == ("共青团广东省委员会", 1)
    assert {child["level"] for child in root["children"]} == {2}
    member = answer["data"]["member"]
    assert member["idNumberMasked"].count("*") == 8
    assert [org["level"] for org in member["branch"]["parentChain"]] == [4, 3, 2, 1]
    ide = httpx.get(f"{base}/graphql", headers={"accept": "text/html"})
    assert "graphiql" in ide.text.lower()

    engine_pid = json.loads((data_dir / "falkordb" / "engine.json").read_text())["pid"]
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) in (0, 130)
    time.sleep(0.2)
    assert (
        not Path(f"/proc/{engine_pid}").exists()
        or Path(f"/proc/{engine_pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    )
