"""The graph model: one module per label, with its keys, indexes and Cypher."""

from graphdb.domain import (
    activity,
    dues,
    enterprise,
    federation,
    organization,
    person,
    post,
    service,
    transfer,
)
from graphdb.indexes import Index

INDEXES: tuple[Index, ...] = (
    *organization.INDEXES,
    *person.INDEXES,
    *post.INDEXES,
    *enterprise.INDEXES,
    *federation.INDEXES,
    *activity.INDEXES,
    *service.INDEXES,
    *transfer.INDEXES,
    *dues.INDEXES,
)

__all__ = [
    "INDEXES",
    "activity",
    "dues",
    "enterprise",
    "federation",
    "organization",
    "person",
    "post",
    "service",
    "transfer",
]
