"""Membership transfers (组织关系转接): a member ``REQUESTED`` a ``Transfer`` ``FROM`` ``TO``.

The receiving organisation must respond; leaders watch the share answered within
72 hours. ``requested_at`` and ``responded_at`` are instants in epoch
milliseconds (FalkorDB has no ``datetime``); ``responded_at`` is null while
pending. A transfer belongs to both ends: the sending and the receiving
organisation each see it.
"""

from graphdb import statement as cypher
from graphdb.indexes import lookup
from graphdb.model import TRANSFER
from graphdb.scope import within
from graphdb.statement import SUBTREE

INDEXES = (lookup("Transfer", "status"),)

UPSERT = cypher.write(
    "transfer.upsert",
    """
    UNWIND $rows AS r
    MATCH (m:Member {id: r.member_id})
    MATCH (f:Organization {id: r.from_id})
    MATCH (t:Organization {id: r.to_id})
    MERGE (x:Transfer {id: r.id})
    SET x += r.props, x.source = $source, x.synced_at = $synced_at
    MERGE (m)-[:REQUESTED]->(x)
    MERGE (x)-[:FROM]->(f)
    MERGE (x)-[:TO]->(t)
    RETURN count(x) AS written
    """,
)

COUNT = TRANSFER.count()

BY_IDS = cypher.read(
    "transfer.by_ids",
    f"""
    UNWIND $ids AS id
    MATCH (x:Transfer {{id: id}})
    WITH x
    MATCH (m:Member)-[:REQUESTED]->(x)-[:FROM]->(f:Organization)
    MATCH (x)-[:TO]->(t:Organization)
    WHERE {within("f")} OR {within("t")}
    RETURN x {{.id, .status, .requested_at, .responded_at, member_id: m.id, from_id: f.id,
              to_id: t.id}} AS node
    """,
    bound=SUBTREE,
)
