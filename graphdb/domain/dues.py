"""Dues payments (团费): a member ``PAID`` a ``DuesPayment`` for one month.

``month`` is ``YYYY-MM``; ``amount_fen`` is the amount in fen (1/100 yuan), an
integer so that sums are exact.
"""

from graphdb import statement as cypher
from graphdb.indexes import lookup, unique

INDEXES = (
    unique("DuesPayment", "id"),
    lookup("DuesPayment", "month"),
)

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

COUNT = cypher.read(
    "dues_payment.count",
    """
    MATCH (d:DuesPayment)
    RETURN count(d) AS dues_payments
    """,
)

BY_IDS = cypher.read(
    "dues_payment.by_ids",
    """
    UNWIND $ids AS id
    MATCH (d:DuesPayment {id: id})
    WITH d
    MATCH (m:Member)-[:PAID]->(d)
    MATCH (m)-[:MEMBER_OF]->(b:Organization)
    WHERE $scope IS NULL OR $scope IN b.lineage
    RETURN d {.id, .month, .amount_fen, .paid_on, member_id: m.id} AS node
    """,
)
