"""Neo4j 5: the production backend."""

from graphdb.neo4j_backend.store import Neo4jStore

__all__ = ["Neo4jStore"]
