"""Citizen ID number rules (GB 11643-1999) and their variants on permits and foreign permanent resident cards.

18 characters: 6-digit region, 8-digit birth date, 3-digit sequence, ISO 7064 MOD 11-2 check character.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from kiosk.locale import phrase
from kiosk.messages import KioskError

# ISO 7064 MOD 11-2 weights are 2^(17-i) mod 11 for positions 0..16.
_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK_CHARS = "10X98765432"  # index = (sum of weighted digits) mod 11

# First two digits of the region code: provinces, autonomous regions and municipalities (GB/T 2260);
# 81/82/83 are the Hong Kong, Macao and Taiwan residence permits (GB 11643 as applied since 2018).
_MAINLAND_PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
     50, 51, 52, 53, 54, 61, 62, 63, 64, 65}
)
_PERMIT_REGIONS = {81: "hong_kong", 82: "macao", 83: "taiwan"}

IdKind = Literal["resident", "hk_macao_taiwan_permit", "foreign_permanent_resident"]


@dataclass(frozen=True, slots=True)
class IdNumberInfo:
    """What a valid ID number says about its holder."""

    kind: IdKind
    birth_date: dt.date
    region_code: str
    sex_digit_odd: bool  # GB 11643: odd sequence = male, even = female


def check_char(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def _bad(reason: str, detail: str) -> KioskError:
    """`reason` names the rule broken (`identity.idnumber.reason.<reason>` in the catalog)."""
    return KioskError("invalid_id_number", phrase("identity.idnumber.invalid_id_number",
                                                  reason=phrase("identity.idnumber.reason." + reason)), detail=detail)


def parse_id_number(number: str, *, today: dt.date | None = None) -> IdNumberInfo:
    """Validate an 18-character ID number and return what it encodes; raises KioskError(invalid_id_number)."""
    if not isinstance(number, str) or len(number) != 18:
        raise _bad("length", "length")
    body, last = number[:17], number[17]
    if not body.isascii() or not body.isdigit():
        raise _bad("non_digit", "non-digit")
    if not (last.isascii() and (last.isdigit() or last == "X")):
        raise _bad("last_char", "last-char")
    if check_char(body) != last:
        raise _bad("check_digit", "check-digit")
    prefix = int(body[:2])
    kind: IdKind
    if body[0] == "9":
        kind = "foreign_permanent_resident"
        if int(body[1:3]) not in _MAINLAND_PROVINCES:
            raise _bad("issuing_region", "region")
    elif prefix in _PERMIT_REGIONS:
        kind = "hk_macao_taiwan_permit"
    elif prefix in _MAINLAND_PROVINCES:
        kind = "resident"
    else:
        raise _bad("region", "region")
    try:
        born = dt.date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
    except ValueError:
        raise _bad("birth_date", "birth-date") from None
    today = today or dt.date.today()
    if born > today or born.year < 1880:
        raise _bad("birth_date_range", "birth-date-range")
    return IdNumberInfo(kind=kind, birth_date=born, region_code=body[:6], sex_digit_odd=int(body[16]) % 2 == 1)


def validate_id_number(number: str, *, today: dt.date | None = None) -> bool:
    """True when `number` is a well-formed ID number with a correct check character."""
    try:
        parse_id_number(number, today=today)
    except KioskError:
        return False
    return True


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years of age on `day` (a person born on 29 Feb ages on 1 Mar in common years)."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def is_elderly(birth_date: dt.date, day: dt.date, threshold: int = 60) -> bool:
    """Elderly for the hall's purposes: at least `threshold` (default 60) on `day`."""
    return age_on(birth_date, day) >= threshold


def mask_id_number(number: str) -> str:
    """Display form: first 6 and last 4 characters, the rest as asterisks."""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
