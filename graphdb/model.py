"""The graph model, declared once: every label, its key, its domain and how it is bounded.

Every layer derives from :data:`LABELS`: the unique key indexes
(``graphdb.domain.INDEXES``), the traversals that walk any label
(``graphdb.domain.traversal``), the GraphQL node types (each names its
:class:`Label`; ``schema.node`` checks that every label has exactly one), and
the modules a newcomer opens: a label's Cypher is in ``graphdb/domain/<domain>.py``
and its GraphQL type in ``schema/<domain>.py``.

``anchor`` is how a node of the label belongs to the organisation tree: the
pattern from the node to the organisation whose subtree decides who may see it.
A member belongs to their branch, an enterprise to the township committee over
its area, a transfer to both ends. ``anchored_within`` turns it into the
subtree bound of any statement that walks nodes of every label.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graphdb import statement as cypher
from graphdb.scope import anchored_within, within
from graphdb.statement import SUBTREE


@dataclass(frozen=True)
class Label:
    name: str
    key: str
    domain: str
    type_name: str
    anchor: str | None  # ``{node}`` to ``{org}``; None for organisations (their own lineage)

    def bounded(self, node: str) -> str:
        """Cypher that is true when the node bound to ``node`` lies in the caller's scope."""
        if self.anchor is None:
            return within(node)
        org = f"{node}_{self.domain}_org"  # one name per label: FalkorDB shares equal names
        return anchored_within(self.anchor.format(node=node, org=org), org)

    def count(self) -> cypher.Statement:
        """``<domain>.count``: how many nodes of the label the caller's scope holds."""
        return cypher.read(
            f"{self.domain}.count",
            f"""
            MATCH (n:{self.name})
            WITH n, {self.bounded("n")} AS seen
            WHERE seen
            RETURN count(n) AS total
            """,
            bound=SUBTREE,
        )


def _label(
    name: str, domain: str, anchor: str | None, *, key: str = "id", type_name: str = ""
) -> Label:
    return Label(name, key, domain, type_name or name, anchor)


ORGANIZATION = _label("Organization", "organization", None)
MEMBER = _label("Member", "member", "({node})-[:MEMBER_OF]->({org}:Organization)")
PERSON = _label("Person", "person", "({node})-[:MEMBER_OF]->({org}:Organization)")
POST = _label("Post", "post", "({node})-[:POST_IN]->({org}:Organization)", type_name="CadrePost")
ENTERPRISE = _label(
    "Enterprise", "enterprise", "({node})-[:IN_AREA_OF]->({org}:Organization)", key="uscc"
)
FEDERATION_ORG = _label(
    "FederationOrg",
    "federation_org",
    "({node})-[:BASED_IN]->(:Enterprise)-[:IN_AREA_OF]->({org}:Organization)",
)
ACTIVITY = _label("Activity", "activity", "({node})-[:HOSTED_BY]->({org}:Organization)")
REGISTRATION = _label(
    "Registration",
    "registration",
    "({node})-[:FOR]->(:Activity)-[:HOSTED_BY]->({org}:Organization)",
)
SERVICE_RECORD = _label(
    "ServiceRecord",
    "service_record",
    "({node})<-[:SERVED]-(:Person)-[:MEMBER_OF]->({org}:Organization)",
)
TRANSFER = _label("Transfer", "transfer", "({node})-[:FROM|TO]->({org}:Organization)")
DUES_PAYMENT = _label(
    "DuesPayment",
    "dues_payment",
    "({node})<-[:PAID]-(:Member)-[:MEMBER_OF]->({org}:Organization)",
)

# Most specific first: a member's node carries both ``Person`` and ``Member``.
LABELS: tuple[Label, ...] = (
    ORGANIZATION,
    POST,
    MEMBER,
    PERSON,
    ENTERPRISE,
    FEDERATION_ORG,
    ACTIVITY,
    REGISTRATION,
    SERVICE_RECORD,
    TRANSFER,
    DUES_PAYMENT,
)
KEYS: tuple[str, ...] = tuple(dict.fromkeys(label.key for label in LABELS))


def label_of(labels: Sequence[str]) -> Label:
    """The declared label a node with ``labels`` is known by (``Member`` before ``Person``)."""
    for label in LABELS:
        if label.name in labels:
            return label
    raise ValueError(f"no declared label among {list(labels)}")


def key_of(node: str) -> str:
    """Cypher for the key of the node bound to ``node``, whatever its label."""
    return f"coalesce({', '.join(f'{node}.{key}' for key in KEYS)})"


def bounded(node: str) -> str:
    """Cypher that is true when the node bound to ``node``, of any label, is in the scope."""
    cases = " ".join(f"WHEN {node}:{label.name} THEN {label.bounded(node)}" for label in LABELS)
    return f"CASE {cases} ELSE false END"
