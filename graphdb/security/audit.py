"""The audit trail of personal data read in full (PIPL): append-only ``AuditEntry`` nodes.

Every GraphQL request that reveals a full ID number or phone appends one
entry: who asked (the token's ``sub`` and the kind of caller), through which
client and token, for what declared purpose, which fields, which records, and
when (``at``, epoch milliseconds). Records are named by a keyed hash of their
ids (:meth:`PiiKeys.record_hash`), so the trail itself discloses nobody; an
auditor holding the key hashes an id the same way to find its reads.

An entry carries ``lineage``: the union of the lineages of the branches of the
records read, so reading the trail is bounded by the caller's subtree like any
other read (``within("a")``); an entry about people in no branch is seen by
callers who see the whole tree only. No statement here, or anywhere, updates
or deletes an entry: :data:`APPEND` creates, :data:`TRAIL` reads.
"""

from __future__ import annotations

import hashlib
import hmac

from graphdb import statement as cypher
from graphdb.indexes import lookup
from graphdb.scope import within
from graphdb.security.seal import Sealer
from graphdb.statement import SUBTREE

PII_PURPOSE = "pii"  # the Sealer purpose of raw ID numbers and phones
LATEST = 2**62  # an ``at`` later than any entry: the first page starts before it
HIGHEST_ID = "~"  # sorts after every entry id (hex)

INDEXES = (lookup("AuditEntry", "at"),)

APPEND = cypher.write(
    "audit.append",
    """
    CREATE (a:AuditEntry {id: $id, at: $at, kind: $kind, purpose: $purpose,
                          fields: $fields, records: $records, lineage: $lineage})
    SET a.subject = $subject, a.client_id = $client_id, a.token_id = $token_id
    RETURN a.id AS id
    """,
)

# Newest first, one page after the (at, id) of the last entry seen; ``$since`` and
# ``$before_at`` make a range on the ``at`` index.
TRAIL = cypher.read(
    "audit.trail",
    f"""
    MATCH (a:AuditEntry)
    WHERE a.at >= $since AND a.at <= $before_at
      AND (a.at < $before_at OR a.id < $before_id)
      AND ($purpose IS NULL OR a.purpose = $purpose)
      AND {within("a")}
    RETURN a {{.id, .at, .kind, .purpose, .fields, .records, .subject, .client_id,
              .token_id}} AS entry
    ORDER BY a.at DESC, a.id DESC
    LIMIT $limit
    """,
    bound=SUBTREE,
)


class PiiKeys:
    """What reading personal data in full needs, both from ``HUB_PII_KEY``: the seal of
    the raw values, and the keyed hash that names records in the audit trail."""

    __slots__ = ("_key", "sealer")

    def __init__(self, secret: str) -> None:
        self.sealer = Sealer(secret, PII_PURPOSE)
        self._key = secret.encode()

    def record_hash(self, record_id: str) -> str:
        """HMAC-SHA256 of ``record:<id>`` with the key, hex: as the identity hasher does."""
        return hmac.new(self._key, f"record:{record_id}".encode(), hashlib.sha256).hexdigest()
