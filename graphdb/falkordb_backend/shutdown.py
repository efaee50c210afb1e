"""Stopping the embedded engine the hub started: it ends even when its final save fails.

The owner stops the engine with ``SHUTDOWN SAVE``, which answers an error when
the save fails (the data directory deleted, the disk full): then the hub logs
what was not saved (on the ``graphdb.engine`` logger) and ends the engine with
``SHUTDOWN NOSAVE FORCE``. An engine that does not answer gets SIGTERM, on which
it saves if it can and exits either way (the launcher sets
``shutdown-on-sigterm save force``). Every wait is bounded; SIGKILL is the last
resort, and logged.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

import redis

from graphdb.falkordb_backend.engine_log import EngineLog

log = logging.getLogger("graphdb.engine")

_EXIT_GRACE_S = 0.2
_READY_TO_EXIT = "ready to exit"
_KEYS_NAMED = 10


@dataclass(frozen=True)
class Shutdown:
    """The stop of one engine process: each wait ends ``timeout`` s after its last progress."""

    process: subprocess.Popen[bytes]
    control: redis.Redis
    data_dir: Path
    engine_dir: Path
    engine_log: EngineLog
    timeout: float

    def run(self) -> None:
        """End the engine, saved if it can be; log what was lost and how it ended."""
        logged = self.engine_log.size()
        exited = self.process.poll()
        try:
            if exited is None:
                self._shut_down(logged)
        finally:
            self.control.close()
            self._wait_for_exit(logged)
        if exited is not None or self.process.returncode not in (0, -signal.SIGKILL):
            log.warning(
                "the embedded engine of %s exited with code %s %s: the writes since its last "
                "snapshot may be lost; see %s",
                self.data_dir,
                self.process.returncode,
                "before the hub stopped it" if exited is not None else "as it stopped",
                self.engine_log.path,
            )

    def _shut_down(self, logged: int) -> None:
        """``SHUTDOWN SAVE``; if that fails, log what is lost, then ``SHUTDOWN NOSAVE FORCE``."""
        try:
            unsaved = _unsaved(self.control)
            connection = self.control.connection_pool.get_connection()
            refusal = self._send_shutdown(connection, logged, "SAVE")
            if refusal is None:
                return
            log.warning(
                "the embedded engine of %s could not write its final snapshot (%s) and was "
                "stopped without it: %s",
                self.data_dir,
                self._save_failure(logged, refusal),
                unsaved,
            )
            if self._send_shutdown(connection, logged, "NOSAVE", "FORCE") is not None:
                self.process.terminate()
        except (redis.RedisError, OSError) as error:
            # SIGTERM instead, on which it saves if it can and exits either way.
            log.warning(
                "the embedded engine of %s did not answer SHUTDOWN (%s); sent it SIGTERM",
                self.data_dir,
                error,
            )
            self.process.terminate()

    def _send_shutdown(self, connection: redis.Connection, logged: int, *flags: str) -> str | None:
        """Send ``SHUTDOWN``; ``None`` once the engine goes, else the error it answered.

        A large graph takes a while to save: the wait is extended for as long as the
        snapshot being written keeps growing.
        """
        connection.send_command("SHUTDOWN", *flags)  # type: ignore[no-untyped-call]  # redis-py
        snapshot = self.engine_dir / f"temp-{self.process.pid}.rdb"
        written = _size(snapshot)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                if connection.can_read(timeout=0.1):
                    connection.read_response()
                    return None  # SHUTDOWN answers only errors; an engine that goes says nothing
            except redis.ResponseError as error:
                return str(error)
            except redis.ConnectionError:
                return None  # the engine closed the connection as it exited
            if self.process.poll() is not None or _READY_TO_EXIT in self.engine_log.since(logged):
                return None
            if _size(snapshot) != written:
                written = _size(snapshot)
                deadline = time.monotonic() + self.timeout
            if time.monotonic() > deadline:
                raise redis.TimeoutError(f"no answer to SHUTDOWN in {self.timeout:.0f} s")

    def _wait_for_exit(self, logged: int) -> None:
        deadline = time.monotonic() + self.timeout
        saved_at: float | None = None
        while self.process.poll() is None and time.monotonic() < deadline:
            # After "ready to exit" the data is on disk; the module's threads can take
            # seconds more to wind down, and there is nothing left to wait for.
            if saved_at is None and _READY_TO_EXIT in self.engine_log.since(logged):
                saved_at = time.monotonic()
            if saved_at is not None and time.monotonic() - saved_at > _EXIT_GRACE_S:
                break
            time.sleep(0.02)
        if self.process.poll() is None:
            if saved_at is None:
                log.warning(
                    "the embedded engine of %s (pid %d) did not exit within %.0f s of being "
                    "stopped; killed it (SIGKILL): the writes since its last snapshot are lost",
                    self.data_dir,
                    self.process.pid,
                    self.timeout,
                )
            self.process.kill()
        self.process.wait()

    def _save_failure(self, logged: int, refusal: str) -> str:
        """Why the final save failed, as the engine logged it."""
        if not self.engine_dir.is_dir():
            return f"its directory {self.engine_dir} is gone"
        for line in self.engine_log.since(logged).splitlines():
            _, warned, text = line.partition(" # ")
            if warned and not text.startswith(("Error trying to save", "Errors trying to")):
                return text.strip()
        return f"{refusal.rstrip('.')}; see {self.engine_log.path}"


def _unsaved(client: redis.Redis) -> str:
    """What a failed final save loses: the changes since the last snapshot, and the keys held."""
    persistence = client.info("persistence")
    changes = int(persistence["rdb_changes_since_last_save"])
    since = datetime.fromtimestamp(int(persistence["rdb_last_save_time"]), UTC)
    held = int(client.dbsize())
    names = sorted(
        key.decode(errors="replace") if isinstance(key, bytes) else str(key)
        for key in islice(client.scan_iter(count=100), _KEYS_NAMED)
    )
    more = ", ..." if held > len(names) else ""
    return (
        f"{changes} writes since its last snapshot at {since:%Y-%m-%d %H:%M:%S} UTC are lost; "
        f"it held {held} {'key' if held == 1 else 'keys'} ({', '.join(names)}{more})"
    )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1
