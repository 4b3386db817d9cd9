"""CWT claims (RFC 8392) read from a COSE payload: issuer, issued-at, not-before, expiry, and the rest."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from kiosk.codes.cose import loads_cbor
from kiosk.codes.errors import malformed

ISS, SUB, AUD, EXP, NBF, IAT, CTI = 1, 2, 3, 4, 5, 6, 7
HCERT = -260  # EU DCC: {1: <DCC payload>}
KIOSK_CLAIM = -70001  # kiosk-signed codes: private-use claim holding the claim set (see CLAIMS.md)


@dataclass(frozen=True)
class Cwt:
    raw: dict[Any, Any]
    issuer: str | None
    issued_at: dt.datetime | None
    not_before: dt.datetime | None
    expires_at: dt.datetime | None


def _time(claims: dict[Any, Any], key: int, name: str) -> dt.datetime | None:
    value = claims.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise malformed("cwt", f"{name} is not a number")
    try:
        return dt.datetime.fromtimestamp(value, dt.UTC)
    except (OverflowError, OSError, ValueError):
        raise malformed("cwt", f"{name} out of range") from None


def decode_cwt(payload: bytes) -> Cwt:
    claims = loads_cbor(payload, "cwt")
    if not isinstance(claims, dict):
        raise malformed("cwt", "claims are not a map")
    iss = claims.get(ISS)
    if iss is not None and not isinstance(iss, str):
        raise malformed("cwt", "issuer is not text")
    return Cwt(claims, iss, _time(claims, IAT, "iat"), _time(claims, NBF, "nbf"), _time(claims, EXP, "exp"))


def timestamp(value: dt.datetime | int | float) -> int:
    """CWT NumericDate (whole seconds) from an aware datetime or a number."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime; give an aware one")
        return int(value.timestamp())
    return int(value)
