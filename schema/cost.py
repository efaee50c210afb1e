"""The size of a GraphQL document: depth, aliases and cost, each fragment measured once.

Cost weighs every field by the page sizes of the connections above it: ``first``
as written, or from a variable (its value, else its default), else the page the
field returns without one (:func:`pages`, read from the schema). Cost is linear
in that multiplier, so a fragment measured once is counted wherever it is spread
by scaling its cost. The walk stops at the first limit it finds exceeded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    value_from_ast_untyped,
)

if TYPE_CHECKING:
    from schema.protection import Limits

DEFAULT_PAGE = 10  # what a connection returns when ``first`` is not given
MAX_FRAGMENT_NESTING = 100  # fragments spread inside fragments, before any field
_INTROSPECTION = frozenset({"__schema", "__type"})


def measure(
    document: DocumentNode,
    variables: Mapping[str, Any],
    limits: Limits,
    defaults: Mapping[str, int] | None = None,
) -> list[GraphQLError]:
    """The first limit a document breaks, as a coded error; empty when it keeps them all.

    ``defaults``: the page a field returns when ``first`` is not given (:func:`pages`).
    """
    return Walker(document, variables, limits, defaults or {}).problems()


@lru_cache(maxsize=4)
def pages(schema: GraphQLSchema) -> dict[str, int]:
    """The page each field with a ``first`` argument returns when none is given, by name.

    Fields of the same name on several types count at their largest page.
    """
    found: dict[str, int] = {}
    for named in schema.type_map.values():
        for name, field in getattr(named, "fields", {}).items():
            first = field.args.get("first") if hasattr(field, "args") else None
            if first is not None:
                default = first.default_value
                page = default if isinstance(default, int) else DEFAULT_PAGE
                found[name] = max(found.get(name, 0), page)
    return found


@dataclass(frozen=True)
class _Size:
    """What a selection set asks, measured from its own depth with a multiplier of 1.

    Cost is linear in the multiplier, so a fragment measured once is counted
    wherever it is spread by scaling its cost.
    """

    depth: int = 0  # the deepest field, 1 for a set of leaves; introspection not counted
    aliases: int = 0
    cost: int = 0

    def __add__(self, other: _Size) -> _Size:  # siblings
        return _Size(
            max(self.depth, other.depth), self.aliases + other.aliases, self.cost + other.cost
        )


class _Exceeded(Exception):
    def __init__(self, error: GraphQLError) -> None:
        self.error = error


class Walker:
    def __init__(
        self,
        document: DocumentNode,
        variables: Mapping[str, Any],
        limits: Limits,
        defaults: Mapping[str, int],
    ) -> None:
        self.document = document
        self.defaults = defaults
        self.variable_defaults = {
            variable.variable.name.value: value_from_ast_untyped(variable.default_value)
            for definition in document.definitions
            if isinstance(definition, OperationDefinitionNode)
            for variable in definition.variable_definitions or ()
            if variable.default_value is not None
        }
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.variables = variables
        self.limits = limits
        self.read_variables = False  # whether a page size came from the variables
        self._sizes: dict[tuple[str, bool], _Size] = {}
        self._entered: set[str] = set()  # fragments being measured: cycles are validation's

    def problems(self) -> list[GraphQLError]:
        total = _Size()
        try:
            for definition in self.document.definitions:
                if isinstance(definition, OperationDefinitionNode):
                    total += self._set(definition.selection_set, 1, False, 0)
                    self._check(total)
        except _Exceeded as exceeded:
            return [exceeded.error]
        return []

    def _set(
        self, selections: SelectionSetNode, depth: int, introspecting: bool, nesting: int
    ) -> _Size:
        """The size of ``selections``, whose fields are at ``depth`` of the document."""
        size = _Size()
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                size += self._field(selection, depth, introspecting, nesting)
            elif isinstance(selection, InlineFragmentNode):
                size += self._set(selection.selection_set, depth, introspecting, nesting)
            elif isinstance(selection, FragmentSpreadNode):
                size += self._spread(selection.name.value, depth, introspecting, nesting + 1)
            self._check(size)
        return size

    def _field(self, field: FieldNode, depth: int, introspecting: bool, nesting: int) -> _Size:
        inside = introspecting or field.name.value in _INTROSPECTION
        if not inside and depth > self.limits.max_depth:
            self._check(_Size(depth=depth))
        page = self._page(field)
        below = _Size()
        if field.selection_set is not None:
            below = self._set(field.selection_set, depth + 1, inside, nesting)
        aliases = (field.alias is not None) + below.aliases
        if inside:
            return _Size(aliases=aliases)
        return _Size(1 + below.depth, aliases, 1 + page * below.cost)

    def _spread(self, name: str, depth: int, introspecting: bool, nesting: int) -> _Size:
        if nesting > MAX_FRAGMENT_NESTING:
            raise _Exceeded(
                refusal(
                    "DEPTH_LIMIT_EXCEEDED",
                    f"fragments spread inside each other {nesting} deep, over the limit "
                    f"of {MAX_FRAGMENT_NESTING}; write some of them out",
                )
            )
        key = (name, introspecting)
        size = self._sizes.get(key)
        if size is None:
            fragment = self.fragments.get(name)
            if fragment is None or name in self._entered:
                return _Size()
            self._entered.add(name)
            try:
                size = self._set(fragment.selection_set, depth, introspecting, nesting)
            finally:
                self._entered.discard(name)
            self._sizes[key] = size
        if size.depth and depth + size.depth - 1 > self.limits.max_depth:
            self._check(_Size(depth=depth + size.depth - 1))
        return size

    def _check(self, size: _Size) -> None:
        """Refuse at once when ``size``, a part of the document, is over a limit already."""
        limits = self.limits
        if size.depth > limits.max_depth:
            raise _Exceeded(
                refusal(
                    "DEPTH_LIMIT_EXCEEDED",
                    f"query depth {size.depth} is over the limit of "
                    f"{limits.max_depth}; ask for less nesting",
                )
            )
        if size.aliases > limits.max_aliases:
            raise _Exceeded(
                refusal(
                    "ALIAS_LIMIT_EXCEEDED",
                    f"{size.aliases} aliases are over the limit of "
                    f"{limits.max_aliases}; split the request",
                )
            )
        if size.cost > limits.max_cost:
            raise _Exceeded(
                refusal(
                    "COST_LIMIT_EXCEEDED",
                    f"query cost {size.cost:,} is over the limit of "
                    f"{limits.max_cost:,}; ask for smaller pages or fewer "
                    "nested connections",
                )
            )

    def _page(self, field: FieldNode) -> int:
        """The page a field returns: ``first`` as written, or from a variable (its value,
        else its default), else the field's own default (``pages``)."""
        default = self.defaults.get(field.name.value)
        for argument in field.arguments or ():
            if argument.name.value != "first":
                continue
            value = argument.value
            given: object = None
            if isinstance(value, IntValueNode):
                given = int(value.value)
            elif isinstance(value, VariableNode):
                self.read_variables = True
                name = value.name.value
                given = self.variables.get(name, self.variable_defaults.get(name))
                if (
                    given is None
                    and name not in self.variables
                    and name not in self.variable_defaults
                ):
                    given = self.limits.max_page
            if isinstance(given, int) and not isinstance(given, bool):
                if given > self.limits.max_page:
                    raise _Exceeded(
                        refusal(
                            "PAGE_TOO_LARGE",
                            f"first: {given} is over the page limit of "
                            f"{self.limits.max_page}; page through with after",
                        )
                    )
                return max(1, given)
            return default or DEFAULT_PAGE
        return default or 1


def refusal(code: str, message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})
