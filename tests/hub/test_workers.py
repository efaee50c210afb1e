"""``hub serve --workers N`` over real HTTP, and hubs that outlive their engine.

The workers are found as the supervisor's child processes, and which worker
answered a connection by the socket it holds (``/proc``): a connection held
open after its answer belongs to the worker that accepted it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fixtures.live import free_port

ORGANIZATIONS = "{ organizations(first: 3) { totalCount edges { node { code name } } } }"
START_TIMEOUT_S = 120


class Hub:
    """A ``hub`` command run as a server on a free port, its output in a file."""

    def __init__(self, data_dir: Path, *arguments: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = data_dir.parent / f"hub-{self.port}.log"
        data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log, "wb") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "hub", *arguments, "--port", str(self.port)],
                env={**os.environ, "HUB_DATA_DIR": str(data_dir), "HUB_LOG_LEVEL": "warning"},
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self._ready()

    def _ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the hub exited: {self.log.read_text()}")
            try:
                if httpx.get(f"{self.base}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        pytest.fail(f"the hub did not answer in {START_TIMEOUT_S} s: {self.log.read_text()}")

    def ask(self, query: str, client: httpx.Client | None = None) -> httpx.Response:
        post = client.post if client is not None else httpx.post
        return post(f"{self.base}/graphql", json={"query": query}, timeout=30)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)

    def workers(self) -> set[int]:
        """The supervisor's worker processes (uvicorn spawns them with multiprocessing)."""
        return {
            pid
            for pid in children(self.process.pid)
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
        }

    def serving(self, workers: set[int], connections: int = 8) -> dict[int, int]:
        """Open ``connections`` keep-alive connections, one answer each: how many each worker took.

        Every answer must be right.
        """
        with ExitStack() as stack:
            for _ in range(connections):
                client = stack.enter_context(httpx.Client())
                answer = self.ask(ORGANIZATIONS, client)
                assert answer.status_code == 200, answer.text
                assert "errors" not in answer.json(), answer.text
            held = accepted_sockets(self.port)
            return {pid: len(held & sockets_of(pid)) for pid in workers}


def children(parent: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == parent:
                found.add(int(entry.name))
    return found


def accepted_sockets(port: int) -> set[str]:
    """Inodes of the established connections accepted on 127.0.0.1:``port``."""
    local = f"0100007F:{port:04X}"
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1] == local and fields[3] == "01":  # 01: ESTABLISHED
            inodes.add(fields[9])
    return inodes


def sockets_of(pid: int) -> set[str]:
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            found.add(target[len("socket:[") : -1])
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def engine_pid(data_dir: Path) -> int:
    state: dict[str, Any] = json.loads((data_dir / "falkordb" / "engine.json").read_text())
    return int(state["pid"])


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[Hub]:
    hub = Hub(tmp_path / "data", "demo", "--scale", "tiny", "--workers", "2")
    yield hub
    hub.stop()


def test_two_workers_answer_and_a_killed_worker_is_replaced(
    two_workers: Hub, tmp_path: Path
) -> None:
    hub = two_workers
    expected = hub.ask(ORGANIZATIONS).json()
    assert expected["data"]["organizations"]["totalCount"] > 0
    workers = hub.workers()
    assert len(workers) == 2
    engine = engine_pid(tmp_path / "data")
    assert engine in children(hub.process.pid)  # the supervisor owns the engine

    deadline = time.monotonic() + 30
    while not all(hub.serving(workers).values()):
        assert time.monotonic() < deadline, "one worker never answered"

    killed = min(workers)
    os.kill(killed, signal.SIGKILL)
    until = time.monotonic() + 3
    while time.monotonic() < until:  # the other worker answers meanwhile, every time
        answer = hub.ask(ORGANIZATIONS)
        assert answer.status_code == 200, answer.text
        assert answer.json() == expected

    deadline = time.monotonic() + 30
    while len(replaced := hub.workers() - {killed}) < 2:
        assert time.monotonic() < deadline, "the killed worker was not replaced"
        time.sleep(0.2)
    while not all(hub.serving(replaced).values()):
        assert time.monotonic() < deadline, "the new worker never answered"
    assert alive(engine)

    assert hub.stop() == 0
    assert not any(alive(pid) for pid in (*replaced, engine))


def test_a_hub_whose_engine_went_away_answers_graph_unavailable(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first = Hub(data_dir, "serve")
    second = Hub(data_dir, "serve")  # reuses the engine the first one started
    try:
        answer = second.ask(ORGANIZATIONS)
        assert answer.status_code == 200
        assert answer.json()["data"]["organizations"]["totalCount"] == 0
        engine = engine_pid(data_dir)
        first.stop()  # and the engine with it
        deadline = time.monotonic() + 30
        while alive(engine):
            assert time.monotonic() < deadline, "the engine outlived the hub that started it"
            time.sleep(0.1)
        for _ in range(3):
            answer = second.ask(ORGANIZATIONS)
            assert answer.status_code == 503, answer.text
            errors = answer.json()["errors"]
            assert [error["extensions"]["code"] for error in errors] == ["GRAPH_UNAVAILABLE"]
            assert "does not answer" in errors[0]["message"]
        assert httpx.get(f"{second.base}/health").status_code == 503
    finally:
        first.stop()
        second.stop()
