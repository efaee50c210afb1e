"""The Relay ``Node`` interface for graph records: global ids, loading by id in batches.

Every node type names its :class:`graphdb.Label` and registers itself when it
is declared; :func:`node_type` finds the type of a label. ``schema`` imports
the module of every label of :data:`graphdb.LABELS`, so that each is declared.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Self

import strawberry
from strawberry import relay
from strawberry.extensions import FieldExtension
from strawberry.types import Info

from graphdb import Label, Record, Statement
from graphdb.store import CONTROL_CHARACTERS
from schema.context import Context
from schema.errors import BadGlobalId, HubGraphQLError

_TYPES: dict[str, type[GraphNode]] = {}


@strawberry.interface(
    name="SourceRecord", description="A node synced from a source system, with its key there."
)
class GraphNode(relay.Node):
    """A node whose fields are the columns of its ``by_ids`` statement's ``node`` map.

    ``resolve_nodes`` loads every requested id of one type in one round trip
    through the request's loader, so ``nodes``, nested fields and federation
    ``_entities`` all batch the same way.
    """

    label: ClassVar[Label]
    by_ids: ClassVar[Statement]
    key: relay.NodeID[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        label = cls.__dict__.get("label")
        if isinstance(label, Label):
            if cls.__name__ != label.type_name or label.name in _TYPES:
                raise TypeError(f"{cls.__name__} is not the one node type of label {label.name}")
            _TYPES[label.name] = cls

    @strawberry.field(name="key", description="The record's own key in its source system.")
    def source_key(self) -> str:
        return self.key

    @classmethod
    def from_record(cls, record: Record) -> Self:
        values = {name: record.get(name) for name in _columns(cls)}
        return cls(key=record["id"], **values)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, None], node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        # A type the caller may not read is never loaded (``schema.grants``): its nodes
        # answer null, as ones that do not exist, through node, nodes, _entities, search
        # and the traversals alike.
        ids = list(node_ids)
        wanted = [key for key in ids if info.context.may_load(cls.__name__, key)]
        records = await info.context.nodes(cls.by_ids).load_many(wanted) if wanted else []
        found = dict(zip(wanted, records, strict=True))
        return [cls.from_record(record) if (record := found.get(key)) else None for key in ids]

    @classmethod
    async def load(cls, info: Info[Context, None], key: str) -> Self | None:
        (found,) = await cls.resolve_nodes(info=info, node_ids=[key])
        return found

    @classmethod
    def key_of(cls, global_id: str) -> str:
        """The record key inside a global id of this type; a clear error otherwise."""
        kind, key = decode(global_id)
        if kind is not cls:
            raise BadGlobalId(
                f"{global_id!r} is the id of a {kind.__name__}, not of a {cls.__name__}"
            )
        return key


def node_type(label: Label) -> type[GraphNode]:
    """The GraphQL type of the nodes of ``label``."""
    found = _TYPES.get(label.name)
    if found is None:
        raise LookupError(f"no node type for label {label.name}: import schema.{label.domain}")
    return found


Ref = tuple[Label, str]  # a node's label and key


async def load_refs(info: Info[Context, None], refs: Sequence[Ref]) -> dict[Ref, GraphNode]:
    """Nodes by (label, key), one round trip per label, each through the request's loader.

    A key the caller may not see (or that names nothing) is left out.
    """
    found: dict[Ref, GraphNode] = {}
    for label in dict.fromkeys(label for label, _ in refs):
        keys = [key for known, key in refs if known == label]
        nodes = await node_type(label).resolve_nodes(info=info, node_ids=keys)
        found |= {(label, key): node for key, node in zip(keys, nodes, strict=True) if node}
    return found


def decode(global_id: str) -> tuple[type[GraphNode], str]:
    """The node type and record key inside a global id; a clear error otherwise."""
    try:
        decoded = relay.GlobalID.from_id(global_id)
    except relay.GlobalIDValueError:
        raise BadGlobalId(f"{global_id!r} is not a global id") from None
    kind = next((t for t in _TYPES.values() if t.__name__ == decoded.type_name), None)
    if kind is None:
        raise BadGlobalId(f"{global_id!r} names no type of this graph")
    if CONTROL_CHARACTERS.search(decoded.node_id):
        raise BadGlobalId(f"{global_id!r} holds a control character")
    return kind, decoded.node_id


class RecordIds(FieldExtension):
    """Refuses, on ``node`` and ``nodes``, an id that names no node type of the graph.

    Relay resolves any subclass of ``Node`` named in an id, the interfaces ``Node``
    and ``SourceRecord`` too, which hold no records: such an id is the caller's
    mistake, refused before anything loads.
    """

    def map_arguments(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        for global_id in kwargs["ids"] if "ids" in kwargs else [kwargs["id"]]:
            decode(str(global_id))
        return kwargs


_COLUMNS: dict[type, tuple[str, ...]] = {}


def _columns(cls: type) -> tuple[str, ...]:
    """The fields of a node type that come from its record (resolvers are not columns)."""
    found = _COLUMNS.get(cls)
    if found is None:
        found = _COLUMNS[cls] = tuple(
            f.name
            for f in dataclasses.fields(cls)
            if getattr(f, "base_resolver", None) is None and f.name != "key"
        )
    return found


def exactly_one(**arguments: Any) -> tuple[str, Any]:
    given = [(name, value) for name, value in arguments.items() if value is not None]
    if len(given) != 1:
        raise HubGraphQLError(f"pass exactly one of {', '.join(arguments)}")
    return given[0]
