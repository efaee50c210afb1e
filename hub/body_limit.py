"""Refuse request bodies over a size limit with 413, before anything reads them whole.

A client may send its whole body before it reads the answer (Python's urllib
does): a server that answers and closes with the body unread resets the
connection, and the client never sees the 413. So the rest of the body is read
and dropped first, up to :data:`DRAIN_FACTOR` times the limit (and for at most
:data:`DRAIN_SECONDS`); past that the connection is closed after the answer.
A client that asks ``Expect: 100-continue`` has sent nothing yet and is
answered at once.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.errors import refusal

DRAIN_FACTOR = 16
DRAIN_SECONDS = 30.0


class BodyLimit:
    """ASGI middleware: a declared ``Content-Length`` over the limit is refused at once;
    a body streamed without one is counted as it arrives and refused when it passes."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            waiting = headers.get(b"expect", b"").lower() == b"100-continue"
            drain = not waiting and int(declared) <= self.max_bytes * DRAIN_FACTOR
            await self._refuse(scope, receive, send, unread=True, drain=drain)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge(more=message.get("more_body", False))
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge as error:
            if not started:
                await self._refuse(
                    scope, receive, send, unread=error.more, drain=True, seen=received
                )

    async def _refuse(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        *,
        unread: bool,
        drain: bool,
        seen: int = 0,
    ) -> None:
        """Answer 413, after reading the rest of the body when ``drain`` allows it;
        a connection left with body unread is closed after the answer."""
        closing = unread and not (drain and await self._drained(receive, seen))
        answer = refusal(
            413,
            "REQUEST_TOO_LARGE",
            f"request body over {self.max_bytes:,} bytes; send a smaller request",
            {"Connection": "close"} if closing else None,
        )
        await answer(scope, receive, send)

    async def _drained(self, receive: Receive, seen: int) -> bool:
        """Read the rest of the body and drop it; False when it is past the cap or too slow."""
        cap = self.max_bytes * DRAIN_FACTOR
        try:
            async with asyncio.timeout(DRAIN_SECONDS):
                while seen <= cap:
                    message = await receive()
                    if message["type"] != "http.request":
                        return False
                    seen += len(message.get("body", b""))
                    if not message.get("more_body", False):
                        return True
        except TimeoutError:
            return False
        return False


class _TooLarge(Exception):
    def __init__(self, *, more: bool) -> None:
        self.more = more
