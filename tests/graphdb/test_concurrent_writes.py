"""Streams that touch the same people, written at the same time, all finish and lose nothing.

Registrations, service records and dues payments of one province all hang from
the same people; on Neo4j, batches that lock them in different orders could
deadlock. The stores write one stream's batches so that they cannot
(``Store.batches_in_flight``), and three streams at once still finish.
"""

from __future__ import annotations

import asyncio

from connectors.synthetic import SyntheticProvince
from connectors.synthetic.load import streams
from graphdb import Provenance, Scope, Store
from graphdb.domain import dues_payment, registration, service_record

TOGETHER = {registration.UPSERT.name, service_record.UPSERT.name, dues_payment.UPSERT.name}


async def test_three_streams_over_the_same_people_at_once_write_every_row(
    store: Store, province: SyntheticProvince
) -> None:
    provenance = Provenance("test", 1)
    together = []
    for stream in streams(province):
        if stream.statement.name in TOGETHER:
            together.append(stream)
            continue
        await store.write_batches(
            stream.statement, stream.rows(), batch_size=500, provenance=provenance
        )
    counts = await asyncio.gather(
        *(
            store.write_batches(s.statement, s.rows(), batch_size=200, provenance=provenance)
            for s in together
        )
    )
    written = {s.name: n for s, n in zip(together, counts, strict=True)}
    assert written == {s.name: sum(1 for _ in s.rows()) for s in together}
    totals = [
        (await store.read(domain.COUNT, scope=Scope.everything()))[0]["total"]
        for domain in (registration, service_record, dues_payment)
    ]
    scale = province.scale
    assert totals == [scale.registrations, scale.service_records, scale.dues_payments]
