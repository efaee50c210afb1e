"""People (``Person``): anyone a youth platform knows, member or not.

Volunteers, activity participants and internship seekers are often not members;
cadres past membership age are people too. A member is a person with the
``Member`` label as well (``graphdb.domain.member``). ID numbers and phones are
stored only as a keyed hash (``*_hash``, for matching) and a masked form
(``*_masked``, for display); the raw value never reaches the graph. A person who
is not a member belongs to no organisation, so only callers who see the whole
tree see them.

The raw ID number and phone are also kept sealed (``id_number_sealed``,
``phone_sealed``: AES-256-GCM under ``HUB_PII_KEY``, ``graphdb.security.seal``),
written with the rest of ``props`` by :data:`UPSERT` and ``member.upsert``; only
:data:`SEALED` reads them, for the full values behind ``pii:read``.
"""

from graphdb import statement as cypher
from graphdb.indexes import fulltext, lookup
from graphdb.model import PERSON
from graphdb.scope import within
from graphdb.statement import SUBTREE, WHOLE_TREE

INDEXES = (
    lookup("Person", "id_number_hash"),
    lookup("Person", "phone_hash"),
    fulltext("Person", "search_terms"),  # graphdb.search_text
)

UPSERT = cypher.write(
    "person.upsert",
    """
    UNWIND $rows AS r
    MERGE (p:Person {id: r.id})
    SET p += r.props, p.birth_date = date(r.birth_date),
        p.search_terms = coalesce(r.search_terms, p.search_terms),
        p.source = $source, p.synced_at = $synced_at
    RETURN count(p) AS written
    """,
    search="name",
)

BY_IDS = cypher.read(
    "person.by_ids",
    f"""
    UNWIND $ids AS id
    MATCH (p:Person {{id: id}})
    WITH p
    OPTIONAL MATCH (p)-[:MEMBER_OF]->(b:Organization)
    WITH p, b
    WHERE {within("b")}
    RETURN p {{.id, .name, .gender, .birth_date, .id_number_masked, .phone_masked,
              is_member: b IS NOT NULL}} AS node
    """,
    bound=SUBTREE,
)

# The sealed raw values, with the lineage of the person's branch for the audit trail.
SEALED = cypher.read(
    "person.sealed",
    f"""
    UNWIND $ids AS id
    MATCH (p:Person {{id: id}})
    WITH p
    OPTIONAL MATCH (p)-[:MEMBER_OF]->(b:Organization)
    WITH p, b
    WHERE {within("b")}
    RETURN p {{.id, .id_number_sealed, .phone_sealed, lineage: coalesce(b.lineage, [])}} AS node
    """,
    bound=SUBTREE,
)

# The branch of one person (null if not a member): where a signed-in account's own
# record is read from (``viewer``), by that branch's scope. Nothing else of the person.
BRANCH_OF = cypher.read(
    "person.branch_of",
    """
    MATCH (p:Person {id: $id})
    OPTIONAL MATCH (p)-[:MEMBER_OF]->(b:Organization)
    RETURN b.id AS branch
    """,
    bound=WHOLE_TREE,
)

COUNT = PERSON.count()
