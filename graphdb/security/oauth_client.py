"""OAuth 2.0 clients (RFC 6749 §2): partner agencies and relying platforms, as ``OAuthClient``.

A client is keyed by ``client_id``; its secret is kept only as an Argon2id hash
(``secret_hash``, absent for public clients). ``scopes``, ``redirect_uris`` and
``subtree`` (the organisations its own client-credentials tokens may see) are
lists; ``created_at`` and ``revoked_at`` are epoch milliseconds. A revoked
client is kept, so its id is never given out again and its tokens can be told
apart from an unknown client's. Only the authorization server reads clients:
every read is ``WHOLE_TREE``.
"""

from graphdb import statement as cypher
from graphdb.indexes import unique
from graphdb.statement import WHOLE_TREE

INDEXES = (unique("OAuthClient", "client_id"),)

CREATE = cypher.write(
    "oauth_client.create",
    """
    CREATE (c:OAuthClient {client_id: $client_id})
    SET c += $props, c.created_at = $now
    RETURN c.client_id AS client_id
    """,
)

BY_ID = cypher.read(
    "oauth_client.by_id",
    """
    MATCH (c:OAuthClient {client_id: $client_id})
    RETURN c {.*} AS client
    """,
    bound=WHOLE_TREE,
)

LIST = cypher.read(
    "oauth_client.list",
    """
    MATCH (c:OAuthClient)
    WITH c ORDER BY c.created_at, c.client_id
    RETURN c {.*} AS client
    """,
    bound=WHOLE_TREE,
)

# Revoking twice keeps the first instant.
REVOKE = cypher.write(
    "oauth_client.revoke",
    """
    MATCH (c:OAuthClient {client_id: $client_id})
    SET c.revoked_at = coalesce(c.revoked_at, $now)
    RETURN c.revoked_at AS revoked_at
    """,
)

# Which of the organisation ids a registration names exist (its allowed subtree).
KNOWN_ORGANIZATIONS = cypher.read(
    "oauth_client.known_organizations",
    """
    UNWIND $ids AS id
    MATCH (o:Organization {id: id})
    RETURN o.id AS id, o.name AS name
    """,
    bound=WHOLE_TREE,
)
