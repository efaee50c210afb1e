"""FalkorDB: the embedded engine and FalkorDB servers."""

from graphdb.falkordb_backend.embedded import EmbeddedEngine, Endpoint, find_binaries
from graphdb.falkordb_backend.store import FalkorStore

__all__ = ["EmbeddedEngine", "Endpoint", "FalkorStore", "find_binaries"]
