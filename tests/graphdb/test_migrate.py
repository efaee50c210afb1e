from graphdb import Store, migrate
from graphdb.domain import INDEXES


async def test_migration_is_idempotent(store: Store) -> None:
    await store.clear()
    first = await migrate(store)
    second = await migrate(store)
    assert len(first) >= len(INDEXES)
    assert second == []


async def test_every_key_is_declared_unique() -> None:
    keys = {(index.label, index.properties) for index in INDEXES if index.kind == "unique"}
    for label, key in [
        ("Organization", "id"),
        ("Person", "id"),
        ("Member", "id"),
        ("Post", "id"),
        ("Enterprise", "uscc"),
        ("FederationOrg", "id"),
        ("Activity", "id"),
        ("Registration", "id"),
        ("ServiceRecord", "id"),
        ("Transfer", "id"),
        ("DuesPayment", "id"),
    ]:
        assert (label, (key,)) in keys
