"""The graph model's Cypher: one module per label, named as its domain in ``graphdb.model``.

Reads that cross labels are named for what they do: ``trace``, ``search`` and
``traversal``. Each label's module lists the lookup and full-text indexes it
needs; the key of every label is unique and indexed, from ``graphdb.model``.
"""

import importlib

from graphdb.indexes import Index, unique
from graphdb.listing import Listing
from graphdb.model import LABELS
from graphdb.security import INDEXES as SECURITY_INDEXES

INDEXES: tuple[Index, ...] = (
    *(unique(label.name, label.key) for label in LABELS),
    *(
        index
        for label in LABELS
        for index in importlib.import_module(f"graphdb.domain.{label.domain}").INDEXES
    ),
    *SECURITY_INDEXES,
)

# The labels listed under organisations (``graphdb.listing``): those whose module has a LISTING.
LISTINGS: tuple[Listing, ...] = tuple(
    module.LISTING
    for label in LABELS
    if hasattr(module := importlib.import_module(f"graphdb.domain.{label.domain}"), "LISTING")
)

__all__ = ["INDEXES", "LISTINGS"]
