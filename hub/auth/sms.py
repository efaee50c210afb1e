"""One-time codes by SMS, through a provider interface.

A deployment plugs its SMS gateway in as an :class:`SmsProvider`; the default,
:class:`ConsoleSms`, writes each message to the console (standard error), with
the number masked, for the demo and for development.
"""

from __future__ import annotations

import sys
from typing import Protocol, TextIO


class SmsProvider(Protocol):
    async def send(self, phone: str, text: str) -> None:
        """Send ``text`` to the mainland mobile number ``phone`` (11 digits)."""


class ConsoleSms:
    """Writes each message to ``stream``: ``SMS to 138****5678: …``."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    async def send(self, phone: str, text: str) -> None:
        stream = self.stream or sys.stderr
        stream.write(f"SMS to {phone[:3]}****{phone[-4:]}: {text}\n")
        stream.flush()
