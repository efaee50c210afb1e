"""Dues payments (团费): a member ``PAID`` a ``DuesPayment`` for one month.

``month`` is ``YYYY-MM``; ``amount_fen`` is the amount in fen (1/100 yuan), an
integer so that sums are exact. A payment belongs to the member's branch.
"""

from graphdb import statement as cypher
from graphdb.indexes import lookup
from graphdb.model import DUES_PAYMENT
from graphdb.scope import within
from graphdb.statement import SUBTREE

INDEXES = (lookup("DuesPayment", "month"),)

UPSERT = cypher.write(
    "dues_payment.upsert",
    """
    UNWIND $rows AS r
    MATCH (m:Member {id: r.member_id})
    MERGE (d:DuesPayment {id: r.id})
    SET d += r.props, d.paid_on = date(r.paid_on),
        d.source = $source, d.synced_at = $synced_at
    MERGE (m)-[:PAID]->(d)
    RETURN count(d) AS written
    """,
)

COUNT = DUES_PAYMENT.count()

BY_IDS = cypher.read(
    "dues_payment.by_ids",
    f"""
    UNWIND $ids AS id
    MATCH (d:DuesPayment {{id: id}})
    WITH d
    MATCH (m:Member)-[:PAID]->(d)
    MATCH (m)-[:MEMBER_OF]->(b:Organization)
    WHERE {within("b")}
    RETURN d {{.id, .month, .amount_fen, .paid_on, member_id: m.id}} AS node
    """,
    bound=SUBTREE,
)
