"""Revoked access tokens, kept in the graph so that no Redis restart un-revokes one.

Redis holds the list the bearer check reads (``hub.auth.state``); the graph
holds the record. :data:`UNEXPIRED` reloads Redis from it after a restart.
"""

from graphdb import statement as cypher
from graphdb.indexes import lookup, unique
from graphdb.statement import WHOLE_TREE

INDEXES = (unique("Revocation", "jti"), lookup("Revocation", "expires_at"))

RECORD = cypher.write(
    "revocation.record",
    """
    UNWIND $rows AS r
    MERGE (v:Revocation {jti: r.jti})
    ON CREATE SET v.expires_at = r.expires_at, v.at = $now, v.reason = r.reason
    RETURN count(v) AS written
    """,
)

UNEXPIRED = cypher.read(
    "revocation.unexpired",
    """
    MATCH (v:Revocation)
    WHERE v.expires_at > $now
    RETURN v.jti AS jti, v.expires_at AS expires_at
    """,
    bound=WHOLE_TREE,
)

FORGET_EXPIRED = cypher.write(
    "revocation.forget_expired",
    """
    MATCH (v:Revocation)
    WHERE v.expires_at <= $now
    DELETE v
    RETURN count(*) AS forgotten
    """,
)
