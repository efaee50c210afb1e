"""``hub seed``: write a synthetic province into the graph, stream by stream, in batches.

The rows go through the same upsert statements real connectors use, so a seed
run exercises the production write path; each batch is one atomic statement,
and a repeated run with the same scale and seed changes nothing.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from connectors.synthetic.generator import Row, SyntheticProvince
from graphdb import Provenance, Statement, Store
from graphdb.domain import (
    LISTINGS,
    activity,
    dues_payment,
    enterprise,
    federation_org,
    member,
    organization,
    person,
    post,
    registration,
    service_record,
    transfer,
)
from graphdb.listing import renumber

SOURCE = "synthetic"


@dataclass(frozen=True)
class Stream:
    """One kind of row: what it is called, the statement that writes it, and how many."""

    name: str
    statement: Statement
    rows: Callable[[], Iterator[Row]]
    count: int | None  # None when only known by running the stream


def streams(province: SyntheticProvince) -> list[Stream]:
    """The streams of a seed run, in the order their references require."""
    scale = province.scale
    levels = Counter(org.level for org in province.tree.orgs)
    # A statement does not see the nodes it creates itself, so parents go in first.
    tree = [
        Stream(
            f"organizations, level {level}",
            organization.UPSERT if level > 1 else organization.UPSERT_ROOT,
            partial(province.organizations, level),
            levels[level],
        )
        for level in sorted(levels)
    ]
    return [
        *tree,
        Stream("members", member.UPSERT, province.members, scale.members),
        Stream("other people", person.UPSERT, province.people, scale.people - scale.members),
        Stream("cadre posts", post.UPSERT, province.posts, scale.posts),
        Stream(
            "appointments", post.APPOINT, province.appointments, scale.posts - scale.vacant_posts
        ),
        Stream("enterprises", enterprise.UPSERT, province.enterprises, scale.enterprises),
        Stream(
            "enterprise committees", enterprise.BASE_ORGANIZATION, province.enterprise_bases, None
        ),
        Stream(
            "federation organisations",
            federation_org.UPSERT,
            province.federation_orgs,
            scale.federation_orgs,
        ),
        Stream("activities", activity.UPSERT, province.activities, scale.activities),
        Stream(
            "co-hosted activities", activity.CO_HOST, province.co_hosts, scale.co_hosted_activities
        ),
        Stream("registrations", registration.UPSERT, province.registrations, scale.registrations),
        Stream(
            "service records",
            service_record.UPSERT,
            province.service_records,
            scale.service_records,
        ),
        Stream("transfers", transfer.UPSERT, province.transfers, scale.transfers),
        Stream("dues payments", dues_payment.UPSERT, province.dues_payments, scale.dues_payments),
    ]


class SeedProgress:
    """What a seed run reports as it goes; the command line shows it as progress bars."""

    def stream_started(self, stream: Stream) -> None: ...

    def rows_written(self, stream: Stream, rows: int) -> None: ...

    def stream_finished(self, stream: Stream) -> None: ...


async def seed(
    store: Store,
    province: SyntheticProvince,
    *,
    batch_size: int = 2000,
    progress: SeedProgress | None = None,
) -> dict[str, int]:
    """Write every stream of ``province``; return the rows written per stream."""
    report = progress or SeedProgress()
    provenance = Provenance(SOURCE, int(time.time() * 1000))
    written: dict[str, int] = {}
    for stream in streams(province):
        report.stream_started(stream)
        written[stream.name] = await store.write_batches(
            stream.statement,
            stream.rows(),
            batch_size=batch_size,
            provenance=provenance if stream.statement.carries_provenance else None,
            on_batch=lambda rows, stream=stream: report.rows_written(stream, rows),  # type: ignore[misc]
        )
        report.stream_finished(stream)
    # The tree order and the kept counts of lists, taken once the whole province is in.
    await renumber(store, LISTINGS)
    return written
