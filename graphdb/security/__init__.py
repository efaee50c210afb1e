"""The hub's own security records, kept in the graph beside the tree they guard.

Signing keys (``signing_key``), OAuth clients (``oauth_client``), accounts
(``account``), refresh tokens (``refresh_token``), revocations (``revocation``)
and the audit trail of personal-data reads (``audit``). None of them belongs to
the organisation tree except the audit trail, which carries the lineages of the
records read; the others are read by the authorization server only, which sees
the whole tree (``Scope.everything()``): their reads are declared
``WHOLE_TREE``. Each module lists its indexes; :data:`INDEXES` gathers them for
``migrate``.
"""

from __future__ import annotations

import importlib

from graphdb.indexes import Index

MODULES = ("signing_key", "oauth_client", "account", "refresh_token", "revocation", "audit")


INDEXES: tuple[Index, ...] = tuple(
    index
    for name in MODULES
    for index in importlib.import_module(f"graphdb.security.{name}").INDEXES
)

__all__ = ["INDEXES", "MODULES"]
