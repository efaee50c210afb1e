"""What one GraphQL request may ask, checked before any resolver runs.

* depth: how deeply fields nest (fragments followed);
* aliases: how many aliased fields a document holds, fragments counted where spread;
* tokens: how long the document is, enforced by the parser itself;
* cost: fields weighted by the page sizes above them, so that nested
  connections multiply: ``members(first: 100) { edges { node { posts { ... } } } }``
  costs a hundred times the posts below it;
* one operation, or ``operationName`` saying which of several to run;
* introspection (``__schema``, ``__type``) is judged by its own rule, not by the
  depth and cost limits: graphql-core's ``MaxIntrospectionDepthRule`` (the rule
  graphql-js recommends) admits every tool's standard introspection query and
  refuses lists of types nested three deep. Where introspection is off it is
  refused, and no error suggests ("Did you mean ...?") a name of the schema;
* ``_service { sdl }`` is answered only where the subgraph is served to a
  gateway (``Limits.federation``); elsewhere it is an unknown field;
* arguments (:mod:`schema.arguments`): no control characters in strings, and
  ``_entities`` representations that name an entity and its key.

The measurement visits each fragment once (per introspection flag: a fragment
spread a million times is measured once and counted a million times) and stops
at the first limit it finds exceeded. Each refusal is a GraphQL error with its
own ``extensions.code`` and a message that names the limit and the value found.
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
    GraphQLError,
    GraphQLSchema,
    MaxIntrospectionDepthRule,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    ValidationRule,
    parse,
    validate,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from schema.arguments import Written, refused_arguments, written
from schema.cost import Walker, pages, refusal

# The rules strawberry's ``validate_document`` adds to graphql-core's.
_STRAWBERRY_RULES = (MaybeNullValidationRule, OneOfInputValidationRule)


@dataclass(frozen=True)
class Limits:
    max_depth: int = 12
    max_aliases: int = 50
    max_tokens: int = 5_000
    max_cost: int = 25_000
    max_page: int = 100
    max_scan: int = 50_000  # rows a sorted page or a filtered count may read
    federation: bool = True  # answer ``_service { sdl }``, for a gateway composing the subgraph


class Admission(SchemaExtension):
    """Parses, validates and measures each request before anything executes.

    The parse and the validation of a document are cached by its text (with
    the token limit and the rules that apply), so a repeated query costs a
    dictionary lookup. Depth, aliases, pages and cost are cached by the text and
    the limits too, except for documents whose page sizes come from the
    request's variables: those are measured every time, as are the variables'
    strings. The request context's :class:`Limits` and ``introspection`` apply.
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
            introspection = getattr(context.context, "introspection", True)
            limits = self._limits()
            rules = (*context.validation_rules, *_STRAWBERRY_RULES, MaxIntrospectionDepthRule)
            if not introspection:
                rules = (*rules, NoSchemaIntrospectionCustomRule)
            if not limits.federation:
                rules = (*rules, NoServiceRule)
            # strawberry has no public accessor for the graphql-core schema; its own
            # ValidationCache extension reads it the same way.
            problems: Sequence[GraphQLError] = _validated(
                context.schema._schema, context.query, limits.max_tokens, rules, introspection
            )
            document = context.graphql_document
            if not problems and document is not None:
                variables = context.variables or {}
                # strawberry runs the first operation when none is named; graphql-core
                # would refuse, and so does the hub. (The name asked for is private.)
                named = context._provided_operation_name
                problems = (
                    _unnamed_choice(document, named)
                    or _measured(
                        context.query, document, variables, limits, pages(context.schema._schema)
                    )
                    or refused_arguments(
                        context.schema, _written(context.query, limits.max_tokens), variables
                    )
                )
            context.pre_execution_errors = list(problems)
        yield


class NoServiceRule(ValidationRule):
    """``_service`` is refused as if the field did not exist: no suggestion, no schema."""

    def enter_field(self, node: FieldNode, *_args: object) -> None:
        parent = self.context.get_parent_type()
        if node.name.value == "_service" and parent is self.context.schema.query_type:
            self.report_error(
                GraphQLError(f"Cannot query field '_service' on type '{parent}'.", node)
            )


def _unnamed_choice(document: DocumentNode, named: str | None) -> list[GraphQLError]:
    operations = sum(isinstance(d, OperationDefinitionNode) for d in document.definitions)
    if named is not None or operations < 2:
        return []
    return [
        refusal(
            "OPERATION_RESOLUTION_FAILURE",
            f"the document holds {operations} operations; name the one to run in operationName",
        )
    ]


_MEASURED: dict[tuple[str, Limits], list[GraphQLError]] = {}


def _measured(
    query: str,
    document: DocumentNode,
    variables: Mapping[str, Any],
    limits: Limits,
    defaults: Mapping[str, int],
) -> list[GraphQLError]:
    """:func:`measure`, remembered for documents whose page sizes are written in them."""
    key = (query, limits)
    found = _MEASURED.get(key)
    if found is None:
        walker = Walker(document, variables, limits, defaults)
        found = walker.problems()
        if not walker.read_variables:
            if len(_MEASURED) >= 256:
                del _MEASURED[next(iter(_MEASURED))]
            _MEASURED[key] = found
    return found


@lru_cache(maxsize=256)
def _parsed(query: str, max_tokens: int) -> DocumentNode:
    return parse(query, max_tokens=max_tokens)


@lru_cache(maxsize=256)
def _written(query: str, max_tokens: int) -> Written:
    return written(_parsed(query, max_tokens))


@lru_cache(maxsize=256)
def _validated(
    schema: GraphQLSchema,
    query: str,
    max_tokens: int,
    rules: tuple[type[ASTValidationRule], ...],
    suggestions: bool,
) -> tuple[GraphQLError, ...]:
    document = _parsed(query, max_tokens)
    return tuple(validate(schema, document, rules, hide_suggestions=not suggestions))
