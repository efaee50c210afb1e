"""authlib's server core is synchronous; the hub's graph and Redis clients are not.

The OAuth endpoints run authlib in a worker thread (``anyio.to_thread``), and
its hooks call :func:`wait` to run one coroutine on the event loop and take its
result. The event loop never blocks, and authlib's own checks run unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, TypeVar, TypeVarTuple

import anyio.from_thread

T = TypeVar("T")
A = TypeVarTuple("A")


def wait(work: Callable[[*A], Coroutine[Any, Any, T]], *args: *A) -> T:
    """Run ``work(*args)`` on the event loop from authlib's worker thread; its result."""
    return anyio.from_thread.run(work, *args)
