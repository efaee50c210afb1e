"""The embedded engine's log: how the hub follows what the engine does.

Redis writes its progress to ``engine.log``. Starting, the launcher waits as
long as the log grows (loading a large graph can hold up even PING); stopping,
``ready to exit`` says the data is on disk, and the lines written since the stop
began say why a final save failed. Each reader remembers the size of the log
when it began and reads what was written after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class EngineLog:
    path: Path

    def size(self) -> int:
        """How far the log has been written: the offset to read new lines from."""
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    def since(self, offset: int) -> str:
        """What the engine logged after ``offset`` (empty when there is no log)."""
        try:
            with open(self.path, "rb") as handle:
                handle.seek(offset)
                return handle.read().decode(errors="replace")
        except OSError:
            return ""

    def last_line(self) -> str:
        """The text of the last line, without its timestamp: why an engine would not start."""
        try:
            lines = self.path.read_text(errors="replace").strip().splitlines()
        except OSError:
            return "no log written"
        return lines[-1].split(" * ")[-1].split(" # ")[-1] if lines else "no log written"
