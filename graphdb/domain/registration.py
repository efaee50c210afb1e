"""Registrations for activities: a person ``REGISTERED`` a ``Registration`` ``FOR`` an activity.

The registration is the sign-up (报名); it records attendance (参加) and an
optional rating from 1 to 5 (评议). It belongs to the activity's host, so a
caller sees the registrations for the activities of their subtree.
"""

from graphdb import statement as cypher
from graphdb.model import REGISTRATION
from graphdb.scope import within
from graphdb.statement import SUBTREE

INDEXES = ()

UPSERT = cypher.write(
    "registration.upsert",
    """
    UNWIND $rows AS r
    MATCH (p:Person {id: r.person_id})
    MATCH (a:Activity {id: r.activity_id})
    MERGE (g:Registration {id: r.id})
    SET g += r.props, g.registered_on = date(r.registered_on),
        g.source = $source, g.synced_at = $synced_at
    MERGE (p)-[:REGISTERED]->(g)
    MERGE (g)-[:FOR]->(a)
    RETURN count(g) AS written
    """,
)

COUNT = REGISTRATION.count()

BY_IDS = cypher.read(
    "registration.by_ids",
    f"""
    UNWIND $ids AS id
    MATCH (g:Registration {{id: id}})
    WITH g
    MATCH (p:Person)-[:REGISTERED]->(g)-[:FOR]->(a:Activity)-[:HOSTED_BY]->(o:Organization)
    WHERE {within("o")}
    RETURN g {{.id, .registered_on, .attended, .rating, person_id: p.id,
              activity_id: a.id}} AS node
    """,
    bound=SUBTREE,
)
