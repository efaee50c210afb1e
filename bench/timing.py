"""Timing for the benchmarks: percentiles of samples measured in the same run."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TypeVar

S = TypeVar("S")


def percentiles(timings: list[float]) -> dict[str, float]:
    """p50 and p99 of timings in milliseconds."""
    ordered = sorted(timings)
    return {
        "p50_ms": statistics.median(ordered),
        "p99_ms": ordered[max(0, int(len(ordered) * 0.99) - 1)],
    }


def line(name: str, rows: dict[str, dict[str, float]], over: tuple[str, str]) -> str:
    """One printed row: p50/p99 per column, then the p50 of one column over another's."""
    columns = " | ".join(
        f"{column} p50 {row['p50_ms']:6.2f} ms p99 {row['p99_ms']:6.2f}"
        for column, row in rows.items()
    )
    ratio = rows[over[0]]["p50_ms"] / rows[over[1]]["p50_ms"]
    return f"{name:<24} {columns} | {over[0]}/{over[1]} p50 {ratio:.2f}"


async def interleaved(
    samples: Sequence[S], calls: Mapping[str, Callable[[S], Awaitable[object]]], warm: int = 20
) -> dict[str, dict[str, float]]:
    """Each call on each sample in turn, after a warm-up; p50/p99 per call.

    Interleaving sample by sample lets a slow spell of the machine touch every
    call alike, so their ratio holds even when the absolute figures drift.
    """
    for sample in samples[:warm]:  # warm caches and connections
        for call in calls.values():
            await call(sample)
    timings: dict[str, list[float]] = {name: [] for name in calls}
    for sample in samples:
        for name, call in calls.items():
            started = time.perf_counter()
            await call(sample)
            timings[name].append((time.perf_counter() - started) * 1000)
    return {name: percentiles(found) for name, found in timings.items()}
