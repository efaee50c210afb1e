"""Refresh tokens: rotated on every use, in families that die together.

A refresh token is random; the graph keeps only its SHA-256 (``hash``). Each
authorization starts a family; every refresh marks the token used and issues
the next of the same family. :data:`CLAIM` marks a token used and says whether
it already was, in one statement, so two refreshes racing with one token cannot
both win; a token used twice is a stolen one, and :data:`REVOKE_FAMILY` ends
every token of its family, which also lists the access tokens (``access_jtis``)
it gave out, for the revocation list.
"""

from graphdb import statement as cypher
from graphdb.indexes import lookup, unique
from graphdb.statement import WHOLE_TREE

INDEXES = (unique("RefreshToken", "hash"), lookup("RefreshToken", "family"))

SAVE = cypher.write(
    "refresh_token.save",
    """
    MERGE (t:RefreshToken {hash: $hash})
    SET t.family = $family, t.client_id = $client_id, t.account_id = $account_id,
        t.scope = $granted, t.issued_at = $now, t.expires_at = $expires_at,
        t.access_jtis = $access_jtis, t.auth_time = $auth_time
    RETURN t.hash AS hash
    """,
)

CLAIM = cypher.write(
    "refresh_token.claim",
    """
    MATCH (t:RefreshToken {hash: $hash})
    WITH t, t.used_at AS used_before
    SET t.used_at = coalesce(t.used_at, $now)
    RETURN t {.family, .client_id, .account_id, .scope, .expires_at, .revoked_at,
              .auth_time} AS token, used_before
    """,
)

FIND = cypher.read(
    "refresh_token.find",
    """
    MATCH (t:RefreshToken {hash: $hash})
    RETURN t {.family, .client_id, .account_id, .scope, .expires_at, .revoked_at,
              .used_at, .issued_at} AS token
    """,
    bound=WHOLE_TREE,
)

REVOKE_FAMILY = cypher.write(
    "refresh_token.revoke_family",
    """
    MATCH (t:RefreshToken {family: $family})
    SET t.revoked_at = coalesce(t.revoked_at, $now)
    WITH collect(t.access_jtis) AS given, max(t.expires_at) AS until
    RETURN reduce(all = [], jtis IN given | all + coalesce(jtis, [])) AS access_jtis, until
    """,
)
