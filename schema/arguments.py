"""Arguments checked where they enter, before any resolver runs.

* No string, written in the document or passed as a variable, at any depth
  inside lists and input objects, holds a C0 control character other than tab,
  newline and carriage return: the engines take NUL as the end of a string or
  fail on it, and no field of the graph holds one.
* The representations ``_entities`` receives (Apollo Federation's ``_Any``, any
  JSON at all) are objects that name an entity type of this subgraph and carry
  exactly one of its ``@key`` field sets as strings: what a gateway sends.

Each refusal is a ``BAD_USER_INPUT`` (or ``BAD_REPRESENTATION``) error naming
the argument or variable, and the place inside it, with what to send instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any, NamedTuple

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    ListValueNode,
    Node,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValueNode,
    value_from_ast_untyped,
)
from strawberry import Schema
from strawberry.federation.schema_directives import Key

from graphdb.store import CONTROL_CHARACTERS

BAD_INPUT = "BAD_USER_INPUT"
BAD_REPRESENTATION = "BAD_REPRESENTATION"
_CONTROL = CONTROL_CHARACTERS  # the same characters the store refuses
_ALLOWED = "tab, newline and carriage return are the only control characters allowed"
_EXAMPLE = 'send objects such as {"__typename": "Member", "id": "<the id the API returned>"}'


class Written(NamedTuple):
    """What a document says itself: its strings with control characters (each as an
    error), and its ``_entities`` fields, whose representations depend on variables."""

    refused: tuple[GraphQLError, ...]
    entities: tuple[FieldNode, ...]


def written(document: DocumentNode) -> Written:
    """The arguments written in ``document``; the same for every request of its text."""
    refused: list[GraphQLError] = []
    entities: list[FieldNode] = []
    for node, where, value in _values(document):
        if isinstance(node, FieldNode):
            entities.append(node)
        elif value is not None:
            refused.extend(_control_error(found, node) for found in _literal_controls(value, where))
    return Written(tuple(refused), tuple(entities))


def refused_arguments(
    schema: Schema, document: Written, variables: Mapping[str, Any]
) -> list[GraphQLError]:
    """The first argument the hub will not take, as a coded error; empty when all are fine."""
    if document.refused:
        return [document.refused[0]]
    for name, value in variables.items():
        found = _control_in(value, f"${name}")
        if found is not None:
            return [_control_error(found, None)]
    keys = _entity_keys(schema)
    for field in document.entities:
        for argument in field.arguments or ():
            if argument.name.value == "representations":
                given = value_from_ast_untyped(argument.value, dict(variables))
                problem = _representation_problem(given, keys)
                if problem is not None:
                    code = {"code": BAD_REPRESENTATION}
                    return [GraphQLError(problem, argument, extensions=code)]
    return []


def _values(document: DocumentNode) -> Iterator[tuple[Node, str, ValueNode | None]]:
    """Every value written in a document (arguments, also of directives, and variable
    defaults) with its name, and every ``_entities`` field, walked with an explicit stack."""
    stack: list[Node] = list(document.definitions)
    while stack:
        node = stack.pop()
        if isinstance(node, OperationDefinitionNode):
            for variable in node.variable_definitions or ():
                name = f"${variable.variable.name.value}"
                yield variable, name, variable.default_value
        if isinstance(node, FieldNode):
            if node.name.value == "_entities":
                yield node, "_entities", None
            for argument in node.arguments or ():
                yield argument, argument.name.value, argument.value
        for directive in getattr(node, "directives", None) or ():
            for argument in directive.arguments or ():
                yield argument, f"@{directive.name.value}({argument.name.value})", argument.value
        selections = getattr(node, "selection_set", None)
        if isinstance(selections, SelectionSetNode):
            stack.extend(selections.selections)


def _literal_controls(value: ValueNode, where: str) -> Iterator[str]:
    if isinstance(value, StringValueNode) and _CONTROL.search(value.value):
        yield _described(where, value.value)
    elif isinstance(value, ListValueNode):
        for index, item in enumerate(value.values):
            yield from _literal_controls(item, f"{where}[{index}]")
    elif isinstance(value, ObjectValueNode):
        for field in value.fields:
            yield from _literal_controls(field.value, f"{where}.{field.name.value}")


def _control_in(value: object, where: str) -> str | None:
    """Where inside a variable's JSON value (nested up to orjson's 1024 levels, so walked
    with an explicit stack) a string holds a control character."""
    stack: list[tuple[str, object]] = [(where, value)]
    while stack:
        place, item = stack.pop()
        if isinstance(item, str):
            if _CONTROL.search(item):
                return _described(place, item)
        elif isinstance(item, list):
            stack.extend((f"{place}[{i}]", inner) for i, inner in reversed(list(enumerate(item))))
        elif isinstance(item, dict):
            stack.extend((f"{place}.{key}", inner) for key, inner in reversed(item.items()))
    return None


def _described(where: str, text: str) -> str:
    match = _CONTROL.search(text)
    assert match is not None
    return f"{where} holds the control character U+{ord(match.group()):04X}"


def _control_error(found: str, node: Node | None) -> GraphQLError:
    return GraphQLError(
        f"{found}; send text without it ({_ALLOWED})", node, extensions={"code": BAD_INPUT}
    )


@lru_cache(maxsize=4)
def _entity_keys(schema: Schema) -> dict[str, tuple[frozenset[str], ...]]:
    """Each entity type of the schema, with the field sets of its ``@key`` directives."""
    found: dict[str, tuple[frozenset[str], ...]] = {}
    for name, kind in schema.schema_converter.type_map.items():
        directives = getattr(kind.definition, "directives", None) or ()
        keys = tuple(frozenset(d.fields.split()) for d in directives if isinstance(d, Key))
        if keys:
            found[name] = keys
    return found


def _representation_problem(
    value: object, keys: Mapping[str, tuple[frozenset[str], ...]]
) -> str | None:
    """What is wrong with the first bad representation, as a message; None when none is."""
    for index, item in enumerate(value if isinstance(value, list) else [value]):
        where = f"representations[{index}]"
        if not isinstance(item, dict):
            return f"{where} is not an object; {_EXAMPLE}"
        type_name = item.get("__typename")
        if not isinstance(type_name, str) or type_name not in keys:
            return f"{where} names no entity type of this subgraph in __typename; {_EXAMPLE}"
        fields = frozenset(item) - {"__typename"}
        if fields not in keys[type_name]:
            wanted = " or ".join(", ".join(sorted(key)) for key in keys[type_name])
            return f"{where} must carry exactly the key of {type_name}: {wanted}"
        if not all(isinstance(item[field], str) for field in fields):
            return f"{where} must give the key of {type_name} as strings"
    return None
