"""The graph model's Cypher: one module per label, named as in ``graphdb.model``.

Cross-cutting reads are named for what they do: ``trace``, ``search`` and
``traversal``. Each label module lists the lookup and full-text indexes it
needs; the key of every label is unique and indexed, from ``graphdb.model``.
"""

from graphdb.domain import (
    activity,
    dues_payment,
    enterprise,
    federation_org,
    member,
    organization,
    person,
    post,
    registration,
    search,
    service_record,
    trace,
    transfer,
    traversal,
)
from graphdb.indexes import Index, unique
from graphdb.model import LABELS

INDEXES: tuple[Index, ...] = (
    *(unique(label.name, label.key) for label in LABELS),
    *organization.INDEXES,
    *person.INDEXES,
    *member.INDEXES,
    *post.INDEXES,
    *enterprise.INDEXES,
    *federation_org.INDEXES,
    *activity.INDEXES,
    *registration.INDEXES,
    *service_record.INDEXES,
    *transfer.INDEXES,
    *dues_payment.INDEXES,
)

__all__ = [
    "INDEXES",
    "activity",
    "dues_payment",
    "enterprise",
    "federation_org",
    "member",
    "organization",
    "person",
    "post",
    "registration",
    "search",
    "service_record",
    "trace",
    "transfer",
    "traversal",
]
