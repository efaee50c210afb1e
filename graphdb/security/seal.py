"""Values the graph must hold but nobody may read there: sealed with AES-256-GCM.

Raw ID numbers and phones (shown in full only behind ``pii:read`` and a declared
purpose) and the private signing keys are kept sealed. The key is derived from
a secret setting with HKDF-SHA256 and a ``purpose`` label, so one secret seals
different kinds of value under different keys; the purpose is also bound into
each seal as associated data, so a seal moved from one property to another does
not open. A sealed value is ``v1.`` + base64url(nonce ‖ ciphertext ‖ tag).
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_VERSION = "v1."
_NONCE_BYTES = 12


class SealBroken(ValueError):
    """A sealed value did not open: another secret, another purpose, or altered."""

    code = "SEAL_BROKEN"


class Sealer:
    """Seals and opens text values of one purpose with a key derived from ``secret``."""

    __slots__ = ("_aead", "_purpose")

    def __init__(self, secret: str, purpose: str) -> None:
        if len(secret) < 16:
            raise ValueError("a sealing secret must be at least 16 characters")
        key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=f"hub-seal:{purpose}".encode()
        ).derive(secret.encode())
        self._aead = AESGCM(key)
        self._purpose = purpose.encode()

    def seal(self, value: str) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = nonce + self._aead.encrypt(nonce, value.encode(), self._purpose)
        return _VERSION + base64.urlsafe_b64encode(sealed).decode().rstrip("=")

    def open(self, sealed: str) -> str:
        """The value inside ``sealed``; :class:`SealBroken` (never the value) if it won't open."""
        if not sealed.startswith(_VERSION):
            raise SealBroken("not a sealed value of a known version")
        body = sealed[len(_VERSION) :]
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            opened = self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], self._purpose)
        except (ValueError, InvalidTag):
            raise SealBroken(
                "a sealed value does not open with this secret: was it changed?"
            ) from None
        return opened.decode()
