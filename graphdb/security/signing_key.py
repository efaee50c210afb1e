"""Signing keys (RFC 7517 JWKs) of the tokens the hub issues, kept in the graph.

A ``SigningKey`` has a ``kid`` (its RFC 7638 thumbprint), an ``alg``, a
``state`` and three instants in epoch milliseconds: ``created_at``,
``activated_at`` and ``retire_after``. Its ``public_jwk`` is JSON text; its
private JWK is sealed (``private_jwk_sealed``, :mod:`graphdb.security.seal`).

States follow a rotation (``hub.auth.keys``): a ``next`` key is published but
signs nothing yet, so every verifier has it before it signs; the ``active`` key
signs; a ``retiring`` key is published until ``retire_after``, so tokens it
signed still verify, and is deleted after. FalkorDB has no multi-statement
transactions, so each state change is one statement, ordered by the caller so
that no crash between them leaves the hub without an active key.
"""

from graphdb import statement as cypher
from graphdb.indexes import unique
from graphdb.statement import WHOLE_TREE

INDEXES = (unique("SigningKey", "kid"),)

ALL = cypher.read(
    "signing_key.all",
    """
    MATCH (k:SigningKey)
    RETURN k {.kid, .alg, .state, .public_jwk, .private_jwk_sealed, .created_at,
              .activated_at, .retire_after} AS key
    """,
    bound=WHOLE_TREE,
)

# The first keys of a graph, written only when it holds none: FalkorDB runs one
# graph's writes one at a time, so of two hubs starting together one writes them.
BOOTSTRAP = cypher.write(
    "signing_key.bootstrap",
    """
    OPTIONAL MATCH (held:SigningKey)
    WITH count(held) AS held
    WHERE held = 0
    UNWIND $rows AS r
    MERGE (k:SigningKey {kid: r.kid})
    ON CREATE SET k += r.props
    RETURN k.kid AS kid, k.state AS state
    """,
)

CREATE = cypher.write(
    "signing_key.create",
    """
    MERGE (k:SigningKey {kid: $kid})
    ON CREATE SET k += $props
    RETURN k.kid AS kid, k.state AS state
    """,
)

PROMOTE = cypher.write(
    "signing_key.promote",
    """
    MATCH (k:SigningKey {kid: $kid})
    WHERE k.state = 'next'
    SET k.state = 'active', k.activated_at = $now
    RETURN k.kid AS kid
    """,
)

# Every active key but the one that now signs starts retiring.
RETIRE = cypher.write(
    "signing_key.retire",
    """
    MATCH (k:SigningKey {state: 'active'})
    WHERE k.kid <> $keep
    SET k.state = 'retiring', k.retire_after = $retire_after
    RETURN k.kid AS kid
    """,
)

DELETE_RETIRED = cypher.write(
    "signing_key.delete_retired",
    """
    MATCH (k:SigningKey {state: 'retiring'})
    WHERE k.retire_after <= $now
    WITH k, k.kid AS kid
    DETACH DELETE k
    RETURN kid
    """,
)
