"""Which OAuth scopes open which types and fields, checked on the document before anything runs.

The one table of the schema's grants (``TYPES``, then ``FIELDS`` for the fields
that differ from their type and for every entry point of ``Query``):

========================  ==================================================================
scope                     opens
========================  ==================================================================
(public: anyone)          ``Organization``'s identity and place in the tree (``id key code
                          name level kind field regionCode parent parentChain children``);
                          ``organization``, ``organizations``, ``organizationTree``;
                          ``node``, ``nodes``, ``search``, ``_entities`` (each answers only
                          the types the caller may read); ``viewer`` (the caller's own record);
                          ``_service``, introspection, ``__typename``; the list wrappers
                          (connections, edges, ``pageInfo``, ``totalCount``)
``org:read``              the rest of ``Organization`` (``foundedOn``, ``posts``),
                          ``CadrePost``, ``Activity``, ``Registration``, ``traceOrganization``,
                          ``activities``, ``activity``
``member:read``           ``Member``, ``Person``, ``Transfer``, ``DuesPayment``,
                          ``ServiceRecord``, ``members``, ``member``, ``trace`` and its types,
                          ``neighborhood``, ``path``
``enterprise:read``       ``Enterprise``, ``FederationOrg``, ``enterprises``, ``enterprise``
``pii:read``              ``idNumber`` and ``phone`` in full on ``Member`` and ``Person`` (with
                          ``member:read``, and a declared purpose: ``schema.audit``)
``audit:read``            ``auditTrail``
========================  ==================================================================

A field needs the scopes of its own entry and those of the object type it
returns (``CadrePost.holder`` needs ``member:read`` as well as ``org:read``). A
type or a ``Query`` field missing from the table is open to nobody: a new type
is declared here, on purpose, before anyone can read it. Fields asked through
an abstract type (``... on Member`` inside ``node``, ``search``, ``neighborhood``
or ``_entities``) are checked on the fragment's concrete type; the resolvers of
those entry points never load a node of a type the caller may not read
(``Context.may_load``), so such a node answers null, as one that does not exist.

Under ``viewer`` the caller's own ``Person`` and ``Member`` need no
``member:read``: a member reads their own record, nothing nested further out.

The check is a validation rule made once per set of scopes (:func:`grant_rule`),
so a document's validation, cached by its text and rules, is cached per set of
scopes too: it costs nothing per field when the query runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    NamedTypeNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    get_named_type,
)
from strawberry.extensions import SchemaExtension

from schema.caller import (
    AUDIT_READ,
    ENTERPRISE_READ,
    MEMBER_READ,
    ORG_READ,
    PII_READ,
    READ_SCOPES,
    Caller,
)

FORBIDDEN = "FORBIDDEN"
UNDECLARED = "undeclared"  # held by no caller: what is not in the table is open to nobody
PUBLIC: frozenset[str] = frozenset()
SELF_TYPES = frozenset({"Person", "Member"})  # the caller's own record, under ``viewer``
_ROOTS = frozenset({"Query", "Mutation", "Subscription"})

_READ_SCOPES = frozenset(READ_SCOPES)
_ORG = frozenset({ORG_READ})
_MEMBER = frozenset({MEMBER_READ})
_ENTERPRISE = frozenset({ENTERPRISE_READ})
_PII = frozenset({MEMBER_READ, PII_READ})

TYPES: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        (
            "Node",
            "SourceRecord",
            "Organization",
            "TreeNode",
            "SearchHit",
            "PageInfo",
            "_Service",
            "OrganizationConnection",
            "OrganizationEdge",
            "MemberConnection",
            "MemberEdge",
            "EnterpriseConnection",
            "EnterpriseEdge",
            "ActivityConnection",
            "ActivityEdge",
            "AuditEntryConnection",
            "AuditEntryEdge",
        ),
        PUBLIC,
    ),
    **dict.fromkeys(
        ("CadrePost", "Activity", "Registration", "OrganizationTrace", "ChildSummary"), _ORG
    ),
    **dict.fromkeys(
        (
            "Member",
            "Person",
            "Transfer",
            "DuesPayment",
            "ServiceRecord",
            "MemberTrace",
            "TrajectoryEvent",
            "HeldPost",
            "DuesMonth",
            "RecentRegistration",
            "RecentService",
            "Neighbor",
            "GraphPath",
        ),
        _MEMBER,
    ),
    **dict.fromkeys(("Enterprise", "FederationOrg"), _ENTERPRISE),
    "AuditEntry": frozenset({AUDIT_READ}),
}

FIELDS: dict[tuple[str, str], frozenset[str]] = {
    ("Organization", "foundedOn"): _ORG,
    ("Organization", "posts"): _ORG,
    ("Member", "idNumber"): _PII,
    ("Member", "phone"): _PII,
    ("Person", "idNumber"): _PII,
    ("Person", "phone"): _PII,
    **{
        ("Query", name): PUBLIC
        for name in (
            "node",
            "nodes",
            "search",
            "organization",
            "organizations",
            "organizationTree",
            "viewer",
            "_entities",
            "_service",
        )
    },
    **{("Query", name): _ORG for name in ("traceOrganization", "activities", "activity")},
    **{("Query", name): _MEMBER for name in ("members", "member", "trace", "neighborhood", "path")},
    **{("Query", name): _ENTERPRISE for name in ("enterprises", "enterprise")},
    ("Query", "auditTrail"): frozenset({AUDIT_READ}),
}


def field_needs(type_name: str, field_name: str) -> frozenset[str]:
    """The scopes a field needs by its own entry (its return type's aside)."""
    if field_name.startswith("__") or type_name.startswith("__"):
        return PUBLIC  # __typename and introspection
    found = FIELDS.get((type_name, field_name))
    if found is None:
        found = TYPES.get(type_name, frozenset({UNDECLARED}))
    return found


def type_needs(named: GraphQLNamedType) -> frozenset[str]:
    """The scopes an object type needs; abstract types and leaves need none of their own."""
    if not isinstance(named, GraphQLObjectType) or named.name.startswith("__"):
        return PUBLIC
    return TYPES.get(named.name, frozenset({UNDECLARED}))


def known(grants: frozenset[str]) -> frozenset[str]:
    """The read scopes among a token's (``openid``, ``profile`` and the like gate nothing here):
    at most 32 sets, so the caches below stay small."""
    return grants & _READ_SCOPES


@lru_cache(maxsize=64)
def readable_types(grants: frozenset[str]) -> frozenset[str]:
    """The types whose nodes a caller holding ``grants`` (:func:`known`) may be answered."""
    return frozenset(name for name, needs in TYPES.items() if needs <= grants)


@lru_cache(maxsize=64)
def grant_rule(grants: frozenset[str]) -> type[ValidationRule]:
    """The validation rule of one set of scopes (a class each, so caches keep them apart)."""

    class GrantRule(ValidationRule):
        def enter_document(self, node: DocumentNode, *_args: object) -> None:
            for problem in _Walk(self.context.schema, node, grants).problems():
                self.report_error(problem)

    GrantRule.__name__ = f"GrantRule[{' '.join(sorted(grants)) or 'anonymous'}]"
    return GrantRule


class _Walk:
    """Every field a document selects, with its parent type, fragments followed once each."""

    def __init__(
        self, schema: GraphQLSchema, document: DocumentNode, grants: frozenset[str]
    ) -> None:
        self.schema = schema
        self.query = schema.query_type
        self.grants = grants
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.document = document
        self._seen: set[tuple[str, bool]] = set()
        self._reported: set[tuple[str, str]] = set()

    def problems(self) -> Iterator[GraphQLError]:
        for definition in self.document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                root = self.schema.get_root_type(definition.operation)
                if root is not None:
                    yield from self._set(definition.selection_set, root, own=False)

    def _set(
        self, selections: SelectionSetNode, parent: GraphQLNamedType, *, own: bool
    ) -> Iterator[GraphQLError]:
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                yield from self._field(selection, parent, own=own)
            elif isinstance(selection, InlineFragmentNode):
                inner = self._condition(selection.type_condition, parent)
                if inner is not None:
                    yield from self._set(selection.selection_set, inner, own=own)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or (name, own) in self._seen:
                    continue
                self._seen.add((name, own))
                inner = self._condition(fragment.type_condition, parent)
                if inner is not None:
                    yield from self._set(fragment.selection_set, inner, own=own)

    def _condition(
        self, condition: NamedTypeNode | None, parent: GraphQLNamedType
    ) -> GraphQLNamedType | None:
        return parent if condition is None else self.schema.get_type(condition.name.value)

    def _field(
        self, node: FieldNode, parent: GraphQLNamedType, *, own: bool
    ) -> Iterator[GraphQLError]:
        name = node.name.value
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return
        definition = parent.fields.get(name)
        if definition is None:
            return  # an unknown field: validation's own rules answer it
        returned = get_named_type(definition.type)
        # The caller's own record under ``viewer``: Person and Member need no member:read.
        here = (parent is self.query and name == "viewer") or (own and parent.name in SELF_TYPES)
        needs = field_needs(parent.name, name)
        if own and parent.name in SELF_TYPES:
            needs -= _MEMBER
        returns = type_needs(returned)
        if here and returned.name in SELF_TYPES:
            returns -= _MEMBER
        missing = (needs | returns) - self.grants
        if missing:
            yield from self._forbidden(node, parent.name, name, missing)
            return
        if node.selection_set is not None:
            yield from self._set(
                node.selection_set, returned, own=here and returned.name in SELF_TYPES
            )

    def _forbidden(
        self, node: FieldNode, type_name: str, name: str, missing: frozenset[str]
    ) -> Iterator[GraphQLError]:
        if (type_name, name) in self._reported:
            return
        self._reported.add((type_name, name))
        where = name if type_name in _ROOTS else f"{type_name}.{name}"
        if UNDECLARED in missing:
            message = f"{where} is open to no caller: its scope is not declared (schema/grants.py)"
        else:
            scopes = " and ".join(sorted(missing))
            plural = "s" if len(missing) > 1 else ""
            message = (
                f"{where} needs the scope{plural} {scopes}; "
                f"ask for a token granted {'them' if plural else 'it'}"
            )
        yield GraphQLError(message, node, extensions={"code": FORBIDDEN})


class Grants(SchemaExtension):
    """Adds the request's grant rule to validation; list it before ``Admission``, which
    validates with the rules the execution context holds."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        caller = getattr(context.context, "caller", None)
        grants = known(caller.grants) if isinstance(caller, Caller) else PUBLIC
        context.validation_rules = (*context.validation_rules, grant_rule(grants))
        yield
