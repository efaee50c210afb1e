"""Traces: everything about one member, or one organisation, in one statement each.

``trace.member`` gathers the member, their branch and every organisation above
it, posts held, transfers, dues, recent registrations and service records.
``trace.organization`` gathers an organisation, the organisations above it, its
children with member and cadre counts, and its recent activities. Each also
returns, as ``organizations``, the full record of every organisation it names
that the caller may see, so a whole trace is one round trip: the schema primes
its organisation loader with them instead of loading them again.

Everything a trace returns or counts is held to the caller's scope: the chain
stops at the top of the scope, and posts, transfers and registrations outside
it are left out, as they would be if asked for by id.
"""

from graphdb import statement as cypher
from graphdb.scope import within
from graphdb.statement import SUBTREE

MEMBER = cypher.read(
    "trace.member",
    f"""
    MATCH (m:Member {{id: $id}})
    WITH m
    MATCH (m)-[j:MEMBER_OF]->(b:Organization)
    WHERE {within("b")}
    MATCH (b)-[:SUB_OF*0..4]->(c:Organization)
    WHERE {within("c")}
    WITH m, j, b, collect(c) AS chain
    OPTIONAL MATCH (m)-[s:SERVES_IN]->(p:Post)-[:POST_IN]->(po:Organization)
    WITH m, j, b, chain, s, p, po, p IS NOT NULL AND {within("po")} AS held
    WITH m, j, b, chain,
         collect(CASE WHEN held THEN p {{.id, .title, .mode, .source,
                 since: s.since, organization_id: po.id}} END) AS posts,
         collect(CASE WHEN held THEN po END) AS held_in
    OPTIONAL MATCH (m)-[:REQUESTED]->(x:Transfer)-[:FROM]->(xf:Organization)
    OPTIONAL MATCH (x)-[:TO]->(xt:Organization)
    WITH m, j, b, chain, posts, held_in, x, xf, xt,
         {within("xf")} AS left_seen, {within("xt")} AS joined_seen
    WITH m, j, b, posts, chain, held_in,
         collect(CASE WHEN left_seen THEN xf END) AS left,
         collect(CASE WHEN joined_seen THEN xt END) AS joined,
         collect(CASE WHEN x IS NOT NULL AND (left_seen OR joined_seen) THEN x {{.id, .status,
                 .requested_at, .responded_at, .source,
                 from_id: CASE WHEN left_seen THEN xf.id END,
                 to_id: CASE WHEN joined_seen THEN xt.id END}} END) AS transfers
    WITH m, j, b, posts, [o IN chain + held_in + left + joined | o {{.*}}] AS organizations,
         transfers
    OPTIONAL MATCH (m)-[:PAID]->(d:DuesPayment)
    WITH m, j, b, posts, organizations, transfers, d ORDER BY d.month
    WITH m, j, b, posts, organizations, transfers,
         collect(CASE WHEN d IS NULL THEN null
                 ELSE d {{.id, .month, .amount_fen, .paid_on, .source}} END) AS dues
    OPTIONAL MATCH (m)-[:REGISTERED]->(g:Registration)-[:FOR]->(a:Activity)
                   -[:HOSTED_BY]->(ao:Organization)
    WITH m, j, b, posts, organizations, transfers, dues, g, a,
         g IS NOT NULL AND {within("ao")} AS registered
    ORDER BY g.registered_on DESC
    WITH m, j, b, posts, organizations, transfers, dues,
         collect(CASE WHEN registered
                 THEN g {{.id, .registered_on, .attended, .rating, .source, activity_id: a.id,
                         title: a.title, starts_on: a.starts_on}} END) AS registrations
    OPTIONAL MATCH (m)-[:SERVED]->(r:ServiceRecord)
    WITH m, j, b, posts, organizations, transfers, dues, registrations, r ORDER BY r.served_on DESC
    WITH m, j, b, posts, organizations, transfers, dues, registrations,
         collect(CASE WHEN r IS NULL THEN null
                 ELSE r {{.id, .platform, .project, .served_on, .hours, .source}} END) AS service
    RETURN m {{.id, .name, .gender, .birth_date, .id_number_masked, .phone_masked, .status,
              .joined_on, .source, branch_id: b.id}} AS member,
           b.lineage AS lineage, organizations, j.since AS joined_on, posts, transfers, dues,
           registrations[0..$recent] AS registrations, size(registrations) AS registered,
           service[0..$recent] AS service, size(service) AS served,
           reduce(total = 0.0, x IN service | total + x.hours) AS service_hours
    """,
    bound=SUBTREE,
)

ORGANIZATION = cypher.read(
    "trace.organization",
    f"""
    MATCH (o:Organization {{id: $id}})
    WITH o
    WHERE {within("o")}
    MATCH (o)-[:SUB_OF*0..4]->(up:Organization)
    WHERE {within("up")}
    WITH o, collect(up) AS chain
    OPTIONAL MATCH (o)<-[:SUB_OF]-(c:Organization)
    WITH o, chain, c ORDER BY c.id
    WITH o, chain, collect(c) AS below, collect(CASE WHEN c IS NULL THEN null ELSE c {{.id,
        members: size([(c)<-[:SUB_OF*0..4]-(:Organization)<-[:MEMBER_OF]-(cm:Member) | cm]),
        cadres: size([(c)<-[:POST_IN]-(h:Post)<-[:SERVES_IN]-(:Person) | h]),
        vacancies: size([(c)<-[:POST_IN]-(v:Post) WHERE v.vacant_since IS NOT NULL | v])
    }} END) AS children
    OPTIONAL MATCH (o)<-[:HOSTED_BY]-(a:Activity)
    WITH o, chain, below, children, a ORDER BY a.starts_on DESC
    WITH o, chain, below, children, collect(a.id) AS activities
    RETURN o.lineage AS lineage, [n IN chain + below | n {{.*}}] AS organizations, children,
           size([(o)<-[:SUB_OF*0..4]-(:Organization)<-[:MEMBER_OF]-(m:Member) | m]) AS members,
           activities[0..$recent] AS activities, size(activities) AS activity_count
    """,
    bound=SUBTREE,
)
