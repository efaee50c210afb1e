"""People: anyone a youth platform knows. Personal fields come masked, or in full behind
``pii:read`` and a declared purpose (``schema.audit``); ``viewer``, a signed-in person's own."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from graphdb import Record, Scope, model
from graphdb.domain import member as members
from graphdb.domain import organization as organizations
from graphdb.domain import person as cypher
from schema.audit import reveal
from schema.context import Context
from schema.member import FULL_ID_NUMBER, FULL_PHONE, Member, Own
from schema.node import GraphNode


@strawberry.type(description="Anyone a youth platform knows: members, volunteers, cadres.")
class Person(GraphNode):
    label = model.PERSON
    by_ids = cypher.BY_IDS
    name: str
    gender: str = strawberry.field(description="F or M")
    birth_date: dt.date | None
    id_number_masked: str = strawberry.field(description="ID number, masked: 440103********1234")
    phone_masked: str = strawberry.field(description="mobile phone, masked: 138****5678")
    is_member: strawberry.Private[bool]
    own: strawberry.Private[Own | None] = None  # under ``viewer`` only (schema.member.Own)

    @strawberry.field(description="The person as a league member; null if not a member.")
    async def member(self, info: Info[Context, None]) -> Member | None:
        if self.own is not None:
            if self.own.member is None:
                return None
            record = Member.from_record(self.own.member)
            record.own = self.own
            return record
        return await Member.load(info, self.key) if self.is_member else None

    @strawberry.field(description=FULL_ID_NUMBER)
    async def id_number(self, info: Info[Context, None]) -> str | None:
        return await reveal(info, "Person", "idNumber", self.key)

    @strawberry.field(description=FULL_PHONE)
    async def phone(self, info: Info[Context, None]) -> str | None:
        return await reveal(info, "Person", "phone", self.key)


async def viewer(info: Info[Context, None]) -> Person | None:
    """The signed-in account's own person; null for anonymous callers, clients and tools.

    Read by the scope of the person's own branch, so the bound is in the Cypher
    as for any read (a person in no branch is bounded by their own key alone).
    Its ``member`` and ``branch`` answer from the records read here, and nothing
    read here reaches the request's loaders: every other path of the request
    stays held to the token's own subtrees.
    """
    context = info.context
    key = context.caller.person_id
    if context.caller.kind != "account" or key is None:
        return None
    store = context.store
    rows = await store.read(cypher.BRANCH_OF, {"id": key}, scope=Scope.everything())
    if not rows:
        return None
    branch = rows[0]["branch"]
    own_scope = Scope(branch) if branch else Scope.everything()
    people = await store.read(cypher.BY_IDS, {"ids": [key]}, scope=own_scope)
    if not people:
        return None
    records: list[Record | None] = [None, None]
    if branch:
        for at, (statement, ids) in enumerate(
            ((members.BY_IDS, [key]), (organizations.BY_IDS, [branch]))
        ):
            found = await store.read(statement, {"ids": ids}, scope=own_scope)
            records[at] = found[0]["node"] if found else None
    person = Person.from_record(people[0]["node"])
    person.own = Own(member=records[0], branch=records[1])
    return person
