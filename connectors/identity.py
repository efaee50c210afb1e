"""Personal identifiers: validated, then kept only as a keyed hash and a masked form.

National ID numbers (居民身份证号码, GB 11643) end in an ISO 7064 MOD 11-2 check
character; a wrong one is bad input. Phones are 11-digit mainland mobiles.
Matching across platforms uses the keyed hash (HMAC-SHA256 with ``HUB_PII_KEY``),
display uses the masked form (``330102********1234``, ``138****5678``). Errors
never repeat the raw value.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


class InvalidIdentifier(ValueError):
    """A personal identifier failed validation; the message never contains it."""

    code = "INVALID_IDENTIFIER"


@dataclass(frozen=True)
class Protected:
    """A personal identifier as the hub keeps it."""

    hash: str
    masked: str


class IdentityHasher:
    """Hashes and masks ID numbers and phones with one secret key."""

    def __init__(self, key: str) -> None:
        if len(key) < 16:
            raise ValueError("HUB_PII_KEY must be at least 16 characters")
        self._key = key.encode()

    def id_number(self, raw: str) -> Protected:
        """Validate an 18-character ID number (check character included) and protect it."""
        try:
            number = ric.validate(raw)
        except ValidationError as error:
            raise InvalidIdentifier(f"ID number is not valid: {error}") from None
        return self.protect_id_number(number)

    def protect_id_number(self, number: str) -> Protected:
        """Protect an ID number already validated, or built with its check character."""
        return Protected(self._digest("ric", number), f"{number[:6]}********{number[-4:]}")

    def phone(self, raw: str) -> Protected:
        """Validate an 11-digit mainland mobile number and protect it."""
        number = re.sub(r"[\s-]", "", raw).removeprefix("+86")
        if not _MOBILE.match(number):
            raise InvalidIdentifier("phone is not an 11-digit mainland mobile number")
        return Protected(self._digest("phone", number), f"{number[:3]}****{number[-4:]}")

    def _digest(self, kind: str, value: str) -> str:
        return hmac.new(self._key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
