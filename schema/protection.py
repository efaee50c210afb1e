"""Limits on what one GraphQL request may ask, checked before any resolver runs.

* depth: how deeply fields nest (fragments followed); introspection (``__schema``,
  ``__type``) is bounded by the schema, not by the caller, and has a limit of its
  own that admits every IDE's introspection query (graphql-core's is 15 deep);
* aliases: how many aliased fields a document holds;
* tokens: how long the document is, enforced by the parser itself;
* cost: fields weighted by the page sizes above them, so that nested
  connections multiply: ``members(first: 100) { edges { node { posts { ... } } } }``
  costs a hundred times the posts below it.

Each refusal is a GraphQL error with its own ``extensions.code`` and a message
that names the limit and the value found.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    parse,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

DEFAULT_PAGE = 10  # what a connection returns when ``first`` is not given
MAX_INTROSPECTION_DEPTH = 20
_INTROSPECTION = frozenset({"__schema", "__type"})


@dataclass(frozen=True)
class Limits:
    max_depth: int = 12
    max_aliases: int = 50
    max_tokens: int = 5_000
    max_cost: int = 25_000
    max_page: int = 100


class Admission(SchemaExtension):
    """Parses, validates and measures each request before anything executes.

    The parse and the validation of a document are cached by its text (with
    the token limit and the introspection switch), so a repeated query costs a
    dictionary lookup. Depth, aliases, pages and cost are cached by the text and
    the limits too, except for documents whose page sizes come from the
    request's variables: those are measured every time. The request context's
    :class:`Limits` and ``introspection`` apply.
    """

    def _limits(self) -> Limits:
        limits = getattr(self.execution_context.context, "limits", None)
        return limits if isinstance(limits, Limits) else Limits()

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        max_tokens = self._limits().max_tokens
        context.parse_options["max_tokens"] = max_tokens
        if context.graphql_document is None and context.query:
            # A document that does not parse is left to strawberry, which parses it
            # again inside its own error handling and answers with the syntax error.
            with suppress(GraphQLError):
                context.graphql_document = _parsed(context.query, max_tokens)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.query and context.pre_execution_errors is None:
            rules = context.validation_rules
            if not getattr(context.context, "introspection", True):
                rules = (*rules, NoSchemaIntrospectionCustomRule)
            limits = self._limits()
            # strawberry has no public accessor for the graphql-core schema or its
            # validation; its own ValidationCache extension reads them the same way.
            problems: Sequence[GraphQLError] = _validated(
                context.schema._schema, context.query, limits.max_tokens, rules
            )
            if not problems and context.graphql_document is not None:
                problems = _measured(
                    context.query, context.graphql_document, context.variables or {}, limits
                )
            context.pre_execution_errors = list(problems)
        yield


_MEASURED: dict[tuple[str, Limits], list[GraphQLError]] = {}


def _measured(
    query: str, document: DocumentNode, variables: Mapping[str, Any], limits: Limits
) -> list[GraphQLError]:
    """:func:`measure`, remembered for documents whose page sizes are written in them."""
    key = (query, limits)
    found = _MEASURED.get(key)
    if found is None:
        walker = _walk(document, variables, limits)
        found = _problems(walker, limits)
        if not walker.read_variables:
            if len(_MEASURED) >= 256:
                del _MEASURED[next(iter(_MEASURED))]
            _MEASURED[key] = found
    return found


@lru_cache(maxsize=256)
def _parsed(query: str, max_tokens: int) -> DocumentNode:
    return parse(query, max_tokens=max_tokens)


@lru_cache(maxsize=256)
def _validated(
    schema: GraphQLSchema,
    query: str,
    max_tokens: int,
    rules: tuple[type[ASTValidationRule], ...],
) -> tuple[GraphQLError, ...]:
    return tuple(validate_document(schema, _parsed(query, max_tokens), rules))


def measure(
    document: DocumentNode, variables: Mapping[str, Any], limits: Limits
) -> list[GraphQLError]:
    """The limits a document breaks, each as a coded error; empty when it keeps them all."""
    return _problems(_walk(document, variables, limits), limits)


def _walk(document: DocumentNode, variables: Mapping[str, Any], limits: Limits) -> _Walker:
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    walker = _Walker(fragments, variables, limits.max_page)
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            walker.walk(definition.selection_set, depth=1, multiplier=1, path=())
    return walker


def _problems(walker: _Walker, limits: Limits) -> list[GraphQLError]:
    problems: list[GraphQLError] = []
    if walker.deepest > limits.max_depth:
        problems.append(
            _refusal(
                "DEPTH_LIMIT_EXCEEDED",
                f"query depth {walker.deepest} is over the limit of "
                f"{limits.max_depth}; ask for less nesting",
            )
        )
    if walker.deepest_introspection > MAX_INTROSPECTION_DEPTH:
        problems.append(
            _refusal(
                "DEPTH_LIMIT_EXCEEDED",
                f"introspection depth {walker.deepest_introspection} is over the limit of "
                f"{MAX_INTROSPECTION_DEPTH}; ask for less nesting",
            )
        )
    if walker.aliases > limits.max_aliases:
        problems.append(
            _refusal(
                "ALIAS_LIMIT_EXCEEDED",
                f"{walker.aliases} aliases are over the limit of "
                f"{limits.max_aliases}; split the request",
            )
        )
    if walker.largest_page > limits.max_page:
        problems.append(
            _refusal(
                "PAGE_TOO_LARGE",
                f"first: {walker.largest_page} is over the page limit of "
                f"{limits.max_page}; page through with after",
            )
        )
    if walker.cost > limits.max_cost:
        problems.append(
            _refusal(
                "COST_LIMIT_EXCEEDED",
                f"query cost {walker.cost:,} is over the limit of "
                f"{limits.max_cost:,}; ask for smaller pages or fewer "
                "nested connections",
            )
        )
    return problems


class _Walker:
    def __init__(
        self,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        max_page: int,
    ) -> None:
        self.fragments = fragments
        self.variables = variables
        self.max_page = max_page
        self.deepest = 0
        self.deepest_introspection = 0
        self.aliases = 0
        self.cost = 0
        self.largest_page = 0
        self.read_variables = False  # whether a page size came from the variables

    def walk(
        self,
        selections: SelectionSetNode | None,
        *,
        depth: int,
        multiplier: int,
        path: tuple[str, ...],
        introspecting: bool = False,
    ) -> None:
        if selections is None:
            return
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                inside = introspecting or selection.name.value in _INTROSPECTION
                if inside:
                    self.deepest_introspection = max(self.deepest_introspection, depth)
                else:
                    self.deepest = max(self.deepest, depth)
                self.aliases += selection.alias is not None
                self.cost += multiplier
                if self.cost > 10**12:  # already refused; stop counting
                    return
                self.walk(
                    selection.selection_set,
                    depth=depth + 1,
                    multiplier=multiplier * self._page(selection),
                    path=path,
                    introspecting=inside,
                )
            elif isinstance(selection, InlineFragmentNode):
                self.walk(
                    selection.selection_set,
                    depth=depth,
                    multiplier=multiplier,
                    path=path,
                    introspecting=introspecting,
                )
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in path:  # cycles: validation's job
                    self.walk(
                        fragment.selection_set,
                        depth=depth,
                        multiplier=multiplier,
                        path=(*path, name),
                        introspecting=introspecting,
                    )

    def _page(self, field: FieldNode) -> int:
        for argument in field.arguments or ():
            if argument.name.value != "first":
                continue
            value = argument.value
            given: object = None
            if isinstance(value, IntValueNode):
                given = int(value.value)
            elif isinstance(value, VariableNode):
                self.read_variables = True
                given = self.variables.get(value.name.value)
            if isinstance(given, int):
                self.largest_page = max(self.largest_page, given)
                return max(1, min(given, self.max_page))
            return DEFAULT_PAGE
        return 1


def _refusal(code: str, message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})
