"""Personal data in full, and the audit trail of every read of it (PIPL: purpose, audit).

``idNumber`` and ``phone`` answer the raw values only when all of these hold:

* the caller holds ``pii:read`` (and ``member:read``): else the document is
  refused before it runs (``FORBIDDEN``, ``schema.grants``);
* the caller declared a purpose: the ``X-Purpose`` request header, which the
  HTTP layer hands on as ``Caller.purpose``: free text of 1 to
  :data:`MAX_PURPOSE` characters, no control characters, said in the words of
  the work it serves ("transfer review for branch ORG0000123"); else
  ``PURPOSE_REQUIRED``;
* the hub holds ``HUB_PII_KEY`` (``Context.pii``) and the record was written
  sealed: else ``PII_UNAVAILABLE``, or null for a record with no sealed value;
* the audit trail is open for the request (:class:`AuditTrail`).

Each value answered is collected in the request's context; once the operation
has run, one ``AuditEntry`` is appended for the whole request
(``graphdb.security.audit``), before the response leaves. If that write fails,
the response carries no data, only ``AUDIT_UNAVAILABLE``: no full value is ever
answered unaudited. Raw values appear in no error and no log line.

``auditTrail`` lists the entries, newest first, to callers holding
``audit:read``, bounded by their subtrees inside the Cypher.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging
import time
import uuid
from collections.abc import AsyncIterator

import strawberry
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import Info
from strawberry.types.execution import ExecutionResult

from graphdb import Record
from graphdb.domain import person as people
from graphdb.security import audit as cypher
from graphdb.security.seal import SealBroken
from graphdb.store import CONTROL_CHARACTERS
from schema.caller import PII_READ
from schema.connection import BadCursor, PageInfo, PageTooLarge
from schema.context import Context, Disclosure
from schema.errors import HubGraphQLError

log = logging.getLogger("hub.audit")

PURPOSE_HEADER = "X-Purpose"
MAX_PURPOSE = 100
DEFAULT_PAGE = 20


class PurposeRequired(HubGraphQLError):
    code = "PURPOSE_REQUIRED"


class PersonalDataUnavailable(HubGraphQLError):
    code = "PII_UNAVAILABLE"


class AuditUnavailable(HubGraphQLError):
    code = "AUDIT_UNAVAILABLE"


def declared_purpose(purpose: str | None) -> str:
    """The caller's declared purpose, checked; :class:`PurposeRequired` saying what to send."""
    text = (purpose or "").strip()
    if not text or len(text) > MAX_PURPOSE or CONTROL_CHARACTERS.search(text):
        raise PurposeRequired(
            f"full ID numbers and phones are answered only for a declared purpose: send the "
            f"header {PURPOSE_HEADER} with the purpose of this read, 1 to {MAX_PURPOSE} "
            "characters (e.g. 'transfer review for branch ORG0000123')"
        )
    return text


async def reveal(info: Info[Context, None], type_name: str, field: str, key: str) -> str | None:
    """The full value of ``field`` (``idNumber`` or ``phone``) of record ``key``, audited.

    The sealed values of every record asked in the request are read in one
    round trip (``person.sealed``, held to the caller's scope).
    """
    context = info.context
    if not context.caller.holds(PII_READ):  # refused at validation; said again, to be sure
        raise PersonalDataUnavailable(f"{type_name}.{field} needs the scope {PII_READ}")
    declared_purpose(context.caller.purpose)
    if context.pii is None:
        raise PersonalDataUnavailable(
            "full ID numbers and phones are not available on this hub: it holds no "
            "HUB_PII_KEY to open them; ask for the masked fields"
        )
    if context.disclosures is None:
        raise AuditUnavailable(_AUDIT_DOWN)
    record: Record | None = await context.nodes(people.SEALED).load(key)
    column = "id_number_sealed" if field == "idNumber" else "phone_sealed"
    sealed = None if record is None else record.get(column)
    if record is None or not isinstance(sealed, str):
        return None  # out of scope, or the source sent none
    try:
        value = context.pii.sealer.open(sealed)
    except SealBroken:
        raise PersonalDataUnavailable(
            "a stored value does not open with this hub's HUB_PII_KEY: was the key changed "
            "since it was written? Ask for the masked fields"
        ) from None
    lineage = tuple(str(link) for link in record.get("lineage") or ())
    context.disclosures.append(Disclosure(f"{type_name}.{field}", key, lineage))
    return value


_AUDIT_DOWN = (
    "the audit trail could not be written, so no full ID number or phone is answered; "
    "try again shortly, or ask for the masked fields"
)


class AuditTrail(SchemaExtension):
    """Opens the request's audit trail, and appends its one entry before the response leaves.

    An asynchronous hook: synchronous execution leaves it out
    (``HubSchema.get_extensions``), and then no full value is answered.
    """

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        if not isinstance(context, Context):
            yield
            return
        context.disclosures = []
        yield
        if not context.disclosures:
            return
        try:
            await _append(context, context.disclosures)
        except Exception as error:  # whatever failed, nothing unaudited leaves
            log.error("audit entry not written (%s): the response is withheld", type(error))
            result = self.execution_context.result
            if isinstance(result, GraphQLExecutionResult | ExecutionResult):
                result.data = None
                result.errors = [
                    GraphQLError(_AUDIT_DOWN, extensions={"code": "AUDIT_UNAVAILABLE"})
                ]


async def _append(context: Context, disclosures: list[Disclosure]) -> None:
    assert context.pii is not None  # nothing is disclosed without it
    caller = context.caller
    await context.store.write(
        cypher.APPEND,
        {
            "id": uuid.uuid4().hex,
            "at": time.time_ns() // 1_000_000,
            "kind": caller.kind,
            "subject": caller.subject,
            "client_id": caller.client_id,
            "token_id": caller.token_id,
            "purpose": declared_purpose(caller.purpose),
            "fields": sorted({d.name for d in disclosures}),
            "records": sorted({context.pii.record_hash(d.record) for d in disclosures}),
            "lineage": sorted({link for d in disclosures for link in d.lineage}),
        },
    )


@strawberry.type(description="One request's reads of full ID numbers or phones.")
class AuditEntry:
    at: dt.datetime
    caller_kind: str = strawberry.field(description="account, client or tool")
    subject: str | None = strawberry.field(description="who asked: the token's sub")
    client_id: str | None = strawberry.field(description="the OAuth client they asked through")
    token_id: str | None = strawberry.field(description="the access token's jti")
    purpose: str = strawberry.field(description="the purpose declared in X-Purpose")
    fields: list[str] = strawberry.field(description="the fields read: Member.idNumber, ...")
    records: list[str] = strawberry.field(
        description="the records read, as HMAC-SHA256 of record:<key> with HUB_PII_KEY"
    )

    @classmethod
    def from_record(cls, entry: Record) -> AuditEntry:
        return cls(
            at=dt.datetime.fromtimestamp(entry["at"] / 1000, dt.UTC),
            caller_kind=entry["kind"],
            subject=entry.get("subject"),
            client_id=entry.get("client_id"),
            token_id=entry.get("token_id"),
            purpose=entry["purpose"],
            fields=list(entry["fields"]),
            records=list(entry["records"]),
        )


@strawberry.type
class AuditEntryEdge:
    cursor: str
    node: AuditEntry


@strawberry.type(description="A page of the audit trail, newest first.")
class AuditEntryConnection:
    edges: list[AuditEntryEdge]
    page_info: PageInfo


@strawberry.input(description="Filters on the audit trail; all given must hold.")
class AuditWhere:
    since: dt.datetime | None = strawberry.field(default=None, description="at or after")
    purpose: str | None = strawberry.field(default=None, description="exactly this purpose")


async def audit_trail(
    info: Info[Context, None],
    where: AuditWhere | None = None,
    first: int = DEFAULT_PAGE,
    after: str | None = None,
) -> AuditEntryConnection:
    context = info.context
    limit = context.limits.max_page
    if not 0 < first <= limit:
        raise PageTooLarge(f"first must be between 1 and {limit}")
    where = where or AuditWhere()
    before_at, before_id = _after(after) if after else (cypher.LATEST, cypher.HIGHEST_ID)
    since = 0 if where.since is None else _epoch_ms(where.since)
    rows = await context.store.read(
        cypher.TRAIL,
        {
            "since": since,
            "before_at": before_at,
            "before_id": before_id,
            "purpose": where.purpose,
            "limit": first + 1,
        },
        scope=context.scope,
    )
    entries = [row["entry"] for row in rows[:first]]
    edges = [AuditEntryEdge(cursor=_cursor(e), node=AuditEntry.from_record(e)) for e in entries]
    return AuditEntryConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(rows) > first,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )


def _epoch_ms(instant: dt.datetime) -> int:
    aware = instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)
    return int(aware.timestamp() * 1000)


def _cursor(entry: Record) -> str:
    return base64.urlsafe_b64encode(f"{entry['at']}:{entry['id']}".encode()).decode()


def _after(cursor: str) -> tuple[int, str]:
    try:
        at, _, entry_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        return int(at), entry_id
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadCursor(
            "after is not a cursor of the audit trail: pass an endCursor exactly as returned"
        ) from None
