"""Sign-on accounts (一号通): an ``Account`` ``ACCOUNT_OF`` exactly one ``Person``.

An account keeps the person's keyed phone hash (``phone_hash``, the phone is how
a person signs in and how identity was verified when the account was made), an
Argon2id ``password_hash``, and ``created_at`` / ``disabled_at`` in epoch
milliseconds. What an account may see is not stored here: it is read from the
graph each time (:data:`BY_ID`, :data:`BY_PHONE`), from the posts the person
holds (``SERVES_IN`` a ``Post`` ``POST_IN`` an organisation) and the branch a
member belongs to, so an appointment or a transfer takes effect at the next
sign-in. Only the authorization server reads accounts: every read is
``WHOLE_TREE``.
"""

from graphdb import statement as cypher
from graphdb.indexes import lookup, unique
from graphdb.statement import WHOLE_TREE

INDEXES = (unique("Account", "id"), lookup("Account", "phone_hash"))

# An account with its person, the organisations of the posts held, and the branch.
_PROFILE = """
    WITH a
    MATCH (a)-[:ACCOUNT_OF]->(p:Person)
    OPTIONAL MATCH (p)-[:SERVES_IN]->(:Post)-[:POST_IN]->(o:Organization)
    WITH a, p, collect(DISTINCT o.id) AS orgs
    OPTIONAL MATCH (p)-[:MEMBER_OF]->(b:Organization)
    RETURN a.id AS id, a.password_hash AS password_hash, a.phone_hash AS phone_hash,
           a.disabled_at AS disabled_at, p.id AS person_id, p.name AS name,
           p.phone_masked AS phone_masked, orgs, b.id AS branch_id
"""

BY_ID = cypher.read(
    "account.by_id",
    "MATCH (a:Account {id: $id})" + _PROFILE,
    bound=WHOLE_TREE,
)

BY_PHONE = cypher.read(
    "account.by_phone",
    "MATCH (a:Account {phone_hash: $phone_hash})" + _PROFILE,
    bound=WHOLE_TREE,
)

BY_PERSON = cypher.read(
    "account.by_person",
    "MATCH (:Person {id: $person_id})<-[:ACCOUNT_OF]-(a:Account)" + _PROFILE,
    bound=WHOLE_TREE,
)

PERSON = cypher.read(
    "account.person",
    """
    MATCH (p:Person {id: $person_id})
    OPTIONAL MATCH (a:Account)-[:ACCOUNT_OF]->(p)
    RETURN p.phone_hash AS phone_hash, a.id AS account_id
    """,
    bound=WHOLE_TREE,
)

# One account per person: a second call for the same person sets the password again.
UPSERT = cypher.write(
    "account.upsert",
    """
    MATCH (p:Person {id: $person_id})
    MERGE (a:Account)-[:ACCOUNT_OF]->(p)
    ON CREATE SET a.id = $id, a.created_at = $now
    SET a.phone_hash = $phone_hash, a.password_hash = $password_hash
    RETURN a.id AS id
    """,
)

SET_PASSWORD_HASH = cypher.write(
    "account.set_password_hash",
    """
    MATCH (a:Account {id: $id})
    SET a.password_hash = $password_hash
    RETURN a.id AS id
    """,
)

DISABLE = cypher.write(
    "account.disable",
    """
    MATCH (a:Account {id: $id})
    SET a.disabled_at = coalesce(a.disabled_at, $now)
    RETURN a.disabled_at AS disabled_at
    """,
)

# For the demo (hub.auth.demo): whom to give accounts to, in a stable order.

ROOT = cypher.read(
    "account.root",
    """
    MATCH (o:Organization {level: 1})
    RETURN o.id AS id, o.name AS name
    ORDER BY o.id
    LIMIT 1
    """,
    bound=WHOLE_TREE,
)

POSTS_UNDER = cypher.read(
    "account.posts_under",
    """
    MATCH (top:Organization {id: $under})
    WITH top
    MATCH (top)<-[:SUB_OF*0..4]-(o:Organization)
    WHERE o.level = $level
    MATCH (o)<-[:POST_IN]-(post:Post)
    OPTIONAL MATCH (h:Person)-[:SERVES_IN]->(post)
    RETURN post.id AS post_id, o.id AS organization_id, o.name AS organization_name,
           h.id AS holder_id
    ORDER BY post.id
    LIMIT $limit
    """,
    bound=WHOLE_TREE,
)

ORGANIZATIONS_UNDER = cypher.read(
    "account.organizations_under",
    """
    MATCH (top:Organization {id: $under})
    WITH top
    MATCH (top)<-[:SUB_OF*0..4]-(o:Organization)
    WHERE o.level = $level
    RETURN o.id AS id, o.name AS name
    ORDER BY o.id
    LIMIT 1
    """,
    bound=WHOLE_TREE,
)

MEMBERS_WITHOUT_POST_UNDER = cypher.read(
    "account.members_without_post_under",
    """
    MATCH (top:Organization {id: $under})
    WITH top
    MATCH (top)<-[:SUB_OF*0..4]-(b:Organization)<-[:MEMBER_OF]-(m:Member)
    WHERE NOT (m)-[:SERVES_IN]->(:Post)
    RETURN m.id AS person_id, b.id AS branch_id, b.name AS branch_name
    ORDER BY m.id
    LIMIT $limit
    """,
    bound=WHOLE_TREE,
)

# People without a post, those who are not members first (members stay members).
PEOPLE_WITHOUT_POST = cypher.read(
    "account.people_without_post",
    """
    MATCH (p:Person)
    WHERE NOT (p)-[:SERVES_IN]->(:Post)
    WITH p, size([(p)-[:MEMBER_OF]->(b:Organization) | b.id]) AS memberships
    RETURN p.id AS person_id
    ORDER BY memberships, p.id
    LIMIT $limit
    """,
    bound=WHOLE_TREE,
)

# Who an ID number belongs to (its keyed hash): an account is matched to its Person by it.
PERSON_BY_ID_NUMBER = cypher.read(
    "account.person_by_id_number",
    """
    MATCH (p:Person {id_number_hash: $id_number_hash})
    RETURN p.id AS person_id
    """,
    bound=WHOLE_TREE,
)
