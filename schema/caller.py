"""Who is asking: the caller a verified access token names, or an anonymous one.

The HTTP layer (``hub.auth``) verifies the bearer token and builds a
:class:`Caller`; the schema never sees a token. Two things bound what a caller
reads, and both are decided here, once per request:

* ``grants``, the OAuth scopes of the token, gate types and fields
  (``schema.grants``): ``org:read``, ``member:read``, ``enterprise:read``,
  ``pii:read`` and ``audit:read``; an anonymous caller holds none and sees only
  what is public (organisation names and the tree);
* ``scope``, the organisation subtrees of the token, bounds every read inside
  its Cypher (``graphdb.Scope``). A member account's scope is empty: a member
  sees their own record (``person_id``) and the public tree, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from graphdb import Scope

ORG_READ = "org:read"
MEMBER_READ = "member:read"
ENTERPRISE_READ = "enterprise:read"
PII_READ = "pii:read"
AUDIT_READ = "audit:read"
# Every scope that gates a part of the schema, in the order the docs list them.
READ_SCOPES: tuple[str, ...] = (ORG_READ, MEMBER_READ, ENTERPRISE_READ, PII_READ, AUDIT_READ)

CallerKind = Literal["anonymous", "account", "client", "tool"]


@dataclass(frozen=True)
class Caller:
    """The verified facts about one request's caller; nothing here comes unchecked."""

    kind: CallerKind
    scope: Scope
    grants: frozenset[str] = frozenset()
    subject: str | None = None  # the token's ``sub``
    client_id: str | None = None
    person_id: str | None = None  # an account's own Person
    purpose: str | None = None  # the declared purpose of a personal-data read (PIPL)
    token_id: str | None = None  # the token's ``jti``, for the audit trail
    orgs: tuple[str, ...] = field(default=())  # the token's subtree roots, as it named them

    @classmethod
    def anonymous(cls) -> Caller:
        """No token: the public tree only. Its scope is the whole tree, but only public
        types and fields may be asked for (``schema.grants``)."""
        return cls("anonymous", Scope.everything())

    @classmethod
    def tool(cls, scope: Scope, grants: frozenset[str] = frozenset(READ_SCOPES)) -> Caller:
        """The hub's own tools and tests: every read scope, bounded by ``scope``."""
        return cls("tool", scope, grants)

    def holds(self, grant: str) -> bool:
        return grant in self.grants
