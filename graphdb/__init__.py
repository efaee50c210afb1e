"""The graph store: one small interface, two engines (FalkorDB embedded or server, Neo4j 5)."""

from graphdb.connect import connect, migrate
from graphdb.errors import (
    DataDirError,
    EngineStartError,
    GraphError,
    GraphUnavailable,
    GraphUrlError,
    QueryFailed,
)
from graphdb.falkordb_backend import EmbeddedEngine, Endpoint
from graphdb.statement import EVERYTHING, Provenance, Scope, Statement
from graphdb.store import Record, RoundTrips, Store, Transaction
from graphdb.url import GraphTarget, parse_graph_url

__all__ = [
    "EVERYTHING",
    "DataDirError",
    "EmbeddedEngine",
    "Endpoint",
    "EngineStartError",
    "GraphError",
    "GraphTarget",
    "GraphUnavailable",
    "GraphUrlError",
    "Provenance",
    "QueryFailed",
    "Record",
    "RoundTrips",
    "Scope",
    "Statement",
    "Store",
    "Transaction",
    "connect",
    "migrate",
    "parse_graph_url",
]
