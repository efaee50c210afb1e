"""The graph store: one small interface, two engines (FalkorDB embedded or server, Neo4j 5)."""

from graphdb.connect import connect, migrate
from graphdb.errors import (
    DataDirError,
    EngineStartError,
    GraphBusy,
    GraphError,
    GraphUnavailable,
    GraphUrlError,
    QueryFailed,
    UnboundedRead,
)
from graphdb.falkordb_backend import EmbeddedEngine, Endpoint
from graphdb.model import LABELS, Label
from graphdb.scope import Scope
from graphdb.statement import PUBLIC, SUBTREE, WHOLE_TREE, Bound, Provenance, Statement
from graphdb.store import Record, RoundTrips, Store, Transaction
from graphdb.url import GraphTarget, parse_graph_url

__all__ = [
    "LABELS",
    "PUBLIC",
    "SUBTREE",
    "WHOLE_TREE",
    "Bound",
    "DataDirError",
    "EmbeddedEngine",
    "Endpoint",
    "EngineStartError",
    "GraphBusy",
    "GraphError",
    "GraphTarget",
    "GraphUnavailable",
    "GraphUrlError",
    "Label",
    "Provenance",
    "QueryFailed",
    "Record",
    "RoundTrips",
    "Scope",
    "Statement",
    "Store",
    "Transaction",
    "UnboundedRead",
    "connect",
    "migrate",
    "parse_graph_url",
]
