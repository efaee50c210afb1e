"""The graph model, declared once: every label, its key, its domain and how it is bounded.

Every layer derives from :data:`LABELS`: the unique key indexes
(``graphdb.domain.INDEXES``), the traversals that walk any label
(``graphdb.domain.traversal``), the GraphQL node types (each names its
:class:`Label`; ``schema.node`` finds them by it), and the modules a newcomer
opens: a label's Cypher is in ``graphdb/domain/<domain>.py`` and its GraphQL
type in ``schema/<domain>.py``.

``anchor`` is how a node of the label belongs to the organisation tree: the
steps from the node to the organisation whose subtree decides who may see it.
A member belongs to their branch, an enterprise to the township committee over
its area, a transfer to both ends; an organisation belongs to itself. A
statement about one label bounds its nodes with :meth:`Label.bounded`; one that
walks nodes of any label (a traversal) looks every anchor up at once with
:func:`anchored`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from graphdb import statement as cypher
from graphdb.scope import anchored_within, within, within_any
from graphdb.statement import WHOLE_TREE

Direction = Literal["out", "in"]


@dataclass(frozen=True)
class Step:
    """One relationship on the way from a node to the organisation it belongs to."""

    direction: Direction
    types: tuple[str, ...]
    through: str = ""  # the label of the node the step reaches, when it is not the end

    def render(self, target: str) -> str:
        types = "|".join(self.types)
        return f"-[:{types}]->({target})" if self.direction == "out" else f"<-[:{types}]-({target})"


@dataclass(frozen=True)
class Label:
    name: str
    key: str
    domain: str
    type_name: str
    anchor: tuple[Step, ...]  # empty for organisations, bounded by their own lineage

    def pattern(self, node: str, org: str) -> str:
        """The anchor as a Cypher pattern from ``node`` to the organisation ``org``."""
        text = f"({node})"
        for step in self.anchor[:-1]:
            text += step.render(f":{step.through}")
        return text + self.anchor[-1].render(f"{org}:Organization")

    def bounded(self, node: str) -> str:
        """Cypher that is true when the node bound to ``node`` lies in the caller's scope.

        For statements about this label: the anchor is a pattern comprehension,
        which FalkorDB evaluates for every row, so keep the rows few (a lookup,
        a page of hits); :func:`anchored` serves statements over many nodes.
        """
        if not self.anchor:
            return within(node)
        org = f"{node}_{self.domain}_org"  # one name per label: FalkorDB shares equal names
        return anchored_within(self.pattern(node, org), org)

    def keep_bounded(self, node: str, carry: Sequence[str] = ()) -> str:
        """Clauses that keep ``carry`` and the node bound to ``node`` only if it is in scope."""
        return (
            f"WITH {', '.join([*carry, node])}, {self.bounded(node)} AS {node}_seen\n"
            f"WHERE {node}_seen"
        )

    def count(self) -> cypher.Statement:
        """``<domain>.count``: how many nodes of the label the graph holds, for tools."""
        return cypher.read(
            f"{self.domain}.count",
            f"MATCH (n:{self.name}) RETURN count(n) AS total",
            bound=WHOLE_TREE,
        )


def _label(name: str, domain: str, *anchor: Step, key: str = "id", type_name: str = "") -> Label:
    return Label(name, key, domain, type_name or name, anchor)


def _out(*types: str, through: str = "") -> Step:
    return Step("out", types, through)


def _in(*types: str, through: str = "") -> Step:
    return Step("in", types, through)


ORGANIZATION = _label("Organization", "organization")
MEMBER = _label("Member", "member", _out("MEMBER_OF"))
PERSON = _label("Person", "person", _out("MEMBER_OF"))
POST = _label("Post", "post", _out("POST_IN"), type_name="CadrePost")
ENTERPRISE = _label("Enterprise", "enterprise", _out("IN_AREA_OF"), key="uscc")
FEDERATION_ORG = _label(
    "FederationOrg", "federation_org", _out("BASED_IN", through="Enterprise"), _out("IN_AREA_OF")
)
ACTIVITY = _label("Activity", "activity", _out("HOSTED_BY"))
REGISTRATION = _label(
    "Registration", "registration", _out("FOR", through="Activity"), _out("HOSTED_BY")
)
SERVICE_RECORD = _label(
    "ServiceRecord", "service_record", _in("SERVED", through="Person"), _out("MEMBER_OF")
)
TRANSFER = _label("Transfer", "transfer", _out("FROM", "TO"))
DUES_PAYMENT = _label(
    "DuesPayment", "dues_payment", _in("PAID", through="Member"), _out("MEMBER_OF")
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

# Every relationship the graph holds: from which label, of which type, to which label.
RELATIONSHIPS: tuple[tuple[str, str, str], ...] = (  # checked against anchors at the end
    ("Organization", "SUB_OF", "Organization"),
    ("Member", "MEMBER_OF", "Organization"),
    ("Post", "POST_IN", "Organization"),
    ("Person", "SERVES_IN", "Post"),
    ("Enterprise", "IN_AREA_OF", "Organization"),
    ("Organization", "BASED_IN", "Enterprise"),
    ("FederationOrg", "BASED_IN", "Enterprise"),
    ("Activity", "HOSTED_BY", "Organization"),
    ("Activity", "CO_HOSTED_WITH", "FederationOrg"),
    ("Person", "REGISTERED", "Registration"),
    ("Registration", "FOR", "Activity"),
    ("Person", "SERVED", "ServiceRecord"),
    ("Member", "REQUESTED", "Transfer"),
    ("Transfer", "FROM", "Organization"),
    ("Transfer", "TO", "Organization"),
    ("Member", "PAID", "DuesPayment"),
)


def label_of(labels: Sequence[str]) -> Label:
    """The declared label a node with ``labels`` is known by (``Member`` before ``Person``)."""
    for label in LABELS:
        if label.name in labels:
            return label
    raise ValueError(f"no declared label among {list(labels)}")


def key_of(node: str) -> str:
    """Cypher for the key of the node bound to ``node``, whatever its label."""
    return f"coalesce({', '.join(f'{node}.{key}' for key in KEYS)})"


def _shapes() -> list[tuple[Step, ...]]:
    """The anchors of every label merged by shape: one pattern per sequence of directions.

    ``(n)-[:MEMBER_OF|POST_IN|...]->(o)`` stands for every one-step anchor. A
    merged pattern reaches no organisation a node's own anchor would not: the
    boundary tests compare every traversal with the subtree computed from the
    source rows, and fail if a new relationship type makes one.
    """
    merged: dict[tuple[Direction, ...], list[list[str]]] = {}
    for label in LABELS:
        shape = tuple(step.direction for step in label.anchor)
        if not shape:
            continue
        hops = merged.setdefault(shape, [[] for _ in shape])
        for hop, step in zip(hops, label.anchor, strict=True):
            hop.extend(t for t in step.types if t not in hop)
    return [
        tuple(Step(direction, tuple(types)) for direction, types in zip(shape, hops, strict=True))
        for shape, hops in merged.items()
    ]


def _labels_of(name: str) -> frozenset[str]:
    """The labels a node named by ``name`` may carry: a person may be a member."""
    return frozenset({"Person", "Member"}) if name in ("Person", "Member") else frozenset({name})


Relationship = tuple[str, str, str]
Walk = tuple[tuple[str, ...], frozenset[str]]  # the types so far, the labels reached


def _walks(
    start: str, steps: Sequence[Step], relationships: Sequence[Relationship]
) -> set[tuple[str, ...]]:
    """The relationship types of every walk along ``steps`` from a node of label ``start``
    that ends on an organisation."""
    frontier: set[Walk] = {((), _labels_of(start))}
    for step in steps:
        following: set[Walk] = set()
        for types, labels in frontier:
            for source, kind, target in relationships:
                near, far = (source, target) if step.direction == "out" else (target, source)
                if kind in step.types and near in labels:
                    following.add(((*types, kind), _labels_of(far)))
        frontier = following
    return {types for types, labels in frontier if "Organization" in labels}


def check_shapes(relationships: Sequence[Relationship]) -> None:
    """Refuse a model whose merged anchor shapes let a node belong where its anchor does not."""
    for label in LABELS:
        if not label.anchor:
            continue
        own = _walks(label.name, label.anchor, relationships)
        for shape in _shapes():
            stray = _walks(label.name, shape, relationships) - own
            if stray:
                raise ValueError(
                    f"the anchors merged by shape would let a {label.name} belong to an "
                    f"organisation through {sorted(stray)}; change its anchor or the shapes"
                )


def anchored(node: str, carry: Sequence[str]) -> str:
    """Clauses that bind ``<node>_seen``: whether the node, of any label, is in the scope.

    They look up the organisations every node of the stream belongs to with one
    ``OPTIONAL MATCH`` per anchor shape, keep ``carry`` (the variables the
    statement needs after them) and ``node``, and end on a ``WITH``. Rows that
    repeat ``carry`` and ``node`` are merged.
    """
    kept = ", ".join([*carry, node])
    clauses: list[str] = []
    lists: list[str] = []
    for number, steps in enumerate(_shapes()):
        org, found = f"{node}_o{number}", f"{node}_l{number}"
        pattern = f"({node})"
        for step in steps[:-1]:
            pattern += step.render("")
        pattern += steps[-1].render(f"{org}:Organization")
        clauses.append(f"OPTIONAL MATCH {pattern}")
        clauses.append(f"WITH {', '.join([kept, *lists])}, collect({org}.lineage) AS {found}")
        lists.append(found)
    lineages = f"{node}_lineages"
    clauses.append(
        f"WITH {kept}, CASE WHEN {node}:Organization THEN [{node}.lineage] "
        f"ELSE {' + '.join(lists)} END AS {lineages}"
    )
    clauses.append(f"WITH {kept}, {within_any(lineages)} AS {node}_seen")
    return "\n".join(clauses)


check_shapes(RELATIONSHIPS)
