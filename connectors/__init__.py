"""Connectors: one package per source, writing to the graph through ``graphdb``."""

from connectors.identity import IdentityHasher, InvalidIdentifier, Protected

__all__ = ["IdentityHasher", "InvalidIdentifier", "Protected"]
