"""FalkorDB: the embedded engine and FalkorDB servers."""

from graphdb.falkordb_backend.embedded import (
    EmbeddedEngine,
    Endpoint,
    die_with_parent,
    find_binaries,
)
from graphdb.falkordb_backend.store import FalkorStore

__all__ = ["EmbeddedEngine", "Endpoint", "FalkorStore", "die_with_parent", "find_binaries"]
