"""The embedded engine: persistence, reuse, clean stops and no orphans."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from graphdb import (
    DataDirError,
    EmbeddedEngine,
    Provenance,
    Scope,
    connect,
    migrate,
    parse_graph_url,
)
from graphdb.domain import organization
from graphdb.falkordb_backend import Endpoint

ROOT = [{"id": "R", "founded_on": "1999-01-01", "props": {"name": "root", "level": 1}}]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it is gone for every purpose that matters here.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(")")[-1].split()[0] != "Z"


def wait_gone(pid: int, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


def crash_owner(script: str, data_dir: Path) -> str:
    """Run ``script`` in a process that kills itself with SIGKILL; return what it printed."""
    owner = subprocess.run(
        [sys.executable, "-c", script, str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert owner.returncode == -signal.SIGKILL, owner.stderr
    return owner.stdout


@contextlib.contextmanager
def owned_engine(data_dir: Path, stop_timeout: float = 30.0) -> Iterator[EmbeddedEngine]:
    """A started engine that is gone afterwards, stopped by the test or killed here."""
    engine = EmbeddedEngine(data_dir, stop_timeout=stop_timeout)
    pid = engine.start().pid
    try:
        yield engine
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGCONT)
        engine.stop()
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def engine_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "graphdb.engine" and record.levelno >= logging.WARNING
    ]


def engine_pid(data_dir: Path) -> int:
    pid: int = json.loads((data_dir / "falkordb" / "engine.json").read_text())["pid"]
    return pid


async def write_root(endpoint: Endpoint) -> None:
    store = connect(parse_graph_url("embedded"), graph="g", embedded=endpoint)
    await migrate(store)
    await store.write(organization.UPSERT_ROOT, {"rows": ROOT}, provenance=Provenance("t", 1))
    await store.close()


async def read_root(endpoint: Endpoint) -> list[str]:
    store = connect(parse_graph_url("embedded"), graph="g", embedded=endpoint)
    rows = await store.read(organization.BY_IDS, {"ids": ["R"]}, scope=Scope.everything())
    await store.close()
    return [row["node"]["name"] for row in rows]


async def test_data_survives_a_stop_and_a_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with EmbeddedEngine(tmp_path) as endpoint:
        await write_root(endpoint)
    assert not alive(endpoint.pid)
    assert engine_warnings(caplog) == []
    assert "DB saved on disk" in (tmp_path / "falkordb" / "engine.log").read_text()
    with EmbeddedEngine(tmp_path) as again:
        assert again.pid != endpoint.pid
        assert await read_root(again) == ["root"]


def test_data_survives_a_crashed_hub(tmp_path: Path) -> None:
    """The hub dies mid-work: its engine gets SIGTERM, saves, and the data is there next time."""
    script = (
        "import asyncio, os, sys\n"
        "from pathlib import Path\n"
        "from graphdb import EmbeddedEngine, Provenance, connect, migrate, parse_graph_url\n"
        "from graphdb.domain import organization\n"
        "endpoint = EmbeddedEngine(Path(sys.argv[1])).start()\n"
        "async def write():\n"
        "    store = connect(parse_graph_url('embedded'), graph='g', embedded=endpoint)\n"
        "    await migrate(store)\n"
        "    rows = [{'id': 'R', 'founded_on': '1999-01-01', 'props': {'name': 'root'}}]\n"
        "    await store.write(organization.UPSERT_ROOT, {'rows': rows},\n"
        "                      provenance=Provenance('t', 1))\n"
        "asyncio.run(write())\n"
        "os.kill(os.getpid(), 9)\n"
    )
    crash_owner(script, tmp_path)
    assert wait_gone(engine_pid(tmp_path))
    with EmbeddedEngine(tmp_path) as again:
        assert asyncio.run(read_root(again)) == ["root"]


def test_a_second_hub_reuses_the_running_engine(tmp_path: Path) -> None:
    first = EmbeddedEngine(tmp_path)
    endpoint = first.start()
    second = EmbeddedEngine(tmp_path)
    assert second.start() == endpoint
    assert (first.owned, second.owned) == (True, False)
    second.stop()  # not the owner: lets go, the engine keeps running
    assert alive(endpoint.pid)
    first.stop()
    assert wait_gone(endpoint.pid)


def test_a_stale_state_file_starts_a_fresh_engine(tmp_path: Path) -> None:
    with EmbeddedEngine(tmp_path) as endpoint:
        state = (tmp_path / "falkordb" / "engine.json").read_text()
    (tmp_path / "falkordb" / "engine.json").write_text(state)  # left over by a crash
    with EmbeddedEngine(tmp_path) as fresh:
        assert fresh.pid != endpoint.pid
        fresh.client().ping()


def test_a_crashed_owner_leaves_no_orphan(tmp_path: Path) -> None:
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from graphdb import EmbeddedEngine\n"
        "endpoint = EmbeddedEngine(Path(sys.argv[1])).start()\n"
        "print(endpoint.pid, flush=True)\n"
        "os.kill(os.getpid(), 9)\n"
    )
    started = int(crash_owner(script, tmp_path).split()[0])
    assert wait_gone(started), "the engine outlived the process that started it"


def test_an_unusable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(DataDirError, match="set HUB_DATA_DIR to a writable directory"):
        EmbeddedEngine(blocker / "data").start()


def test_a_path_too_long_for_a_socket_falls_back_to_loopback(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    with EmbeddedEngine(deep) as endpoint:
        assert endpoint.unix_socket is None
        assert endpoint.redis_url.startswith("redis://127.0.0.1:")
        assert endpoint.client().ping()


def test_the_engine_is_a_redis_too(engine: Endpoint) -> None:
    client: redis.Redis = engine.client()
    client.set("hub:test", "ok")
    assert client.get("hub:test") == b"ok"
    modules = {module[b"name"] for module in client.module_list()}
    assert b"graph" in modules


def test_a_stop_whose_save_fails_ends_the_engine_and_says_what_was_lost(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The data directory is deleted under a running engine: the hub's stop still ends it."""
    with owned_engine(tmp_path / "data") as engine:
        assert engine.endpoint is not None
        pid = engine.endpoint.pid
        asyncio.run(write_root(engine.endpoint))
        shutil.rmtree(tmp_path / "data")
        started = time.monotonic()
        engine.stop()
        assert time.monotonic() - started < 5
        assert not alive(pid)
    [warning] = engine_warnings(caplog)
    assert "could not write its final snapshot" in warning
    assert f"its directory {(tmp_path / 'data').resolve() / 'falkordb'} is gone" in warning
    lost = re.search(
        r"(\d+) writes since its last snapshot at .* are lost; it held 1 key \(g\)", warning
    )
    assert lost is not None, warning
    assert int(lost[1]) > 0


def test_sigterm_ends_an_engine_that_cannot_save(tmp_path: Path) -> None:
    """What the kernel sends the engine when its hub dies: it must exit even without a save."""
    with owned_engine(tmp_path / "data") as engine:
        assert engine.endpoint is not None
        asyncio.run(write_root(engine.endpoint))
        shutil.rmtree(tmp_path / "data")
        os.kill(engine.endpoint.pid, signal.SIGTERM)
        assert wait_gone(engine.endpoint.pid, 5), "the engine ignored SIGTERM"


def test_a_dead_hub_leaves_no_engine_even_when_its_data_dir_is_gone(tmp_path: Path) -> None:
    """The hub is killed after its data directory was deleted: its engine goes too."""
    script = (
        "import os, shutil, sys\n"
        "from pathlib import Path\n"
        "from graphdb import EmbeddedEngine\n"
        "endpoint = EmbeddedEngine(Path(sys.argv[1])).start()\n"
        "endpoint.client().set('unsaved', 1)\n"
        "print(endpoint.pid, flush=True)\n"
        "shutil.rmtree(sys.argv[1])\n"
        "os.kill(os.getpid(), 9)\n"
    )
    started = int(crash_owner(script, tmp_path / "data").split()[0])
    try:
        assert wait_gone(started, 5), "the engine outlived its hub"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(started, signal.SIGKILL)


def test_an_engine_that_does_not_answer_is_killed_and_the_kill_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A frozen engine answers nothing: the stop still ends, within its bound."""
    with owned_engine(tmp_path, stop_timeout=1.0) as engine:
        assert engine.endpoint is not None
        pid = engine.endpoint.pid
        os.kill(pid, signal.SIGSTOP)
        started = time.monotonic()
        engine.stop()
        assert time.monotonic() - started < 5
        assert not alive(pid)
    first, second = engine_warnings(caplog)
    assert "did not answer SHUTDOWN" in first
    assert "did not exit within 1 s of being stopped; killed it (SIGKILL)" in second
