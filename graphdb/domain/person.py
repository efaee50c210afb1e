"""People (``Person``): anyone a youth platform knows, member or not.

Volunteers, activity participants and internship seekers are often not members;
cadres past membership age are people too. A member is a person with the
``Member`` label as well (``graphdb.domain.member``). ID numbers and phones are
stored only as a keyed hash (``*_hash``, for matching) and a masked form
(``*_masked``, for display); the raw value never reaches the graph. A person who
is not a member belongs to no organisation, so only callers who see the whole
tree see them.
"""

from graphdb import statement as cypher
from graphdb.indexes import fulltext, lookup
from graphdb.model import PERSON
from graphdb.scope import within
from graphdb.statement import SUBTREE

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

COUNT = PERSON.count()
