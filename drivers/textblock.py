"""Decode the 256-byte UTF-16LE text block of GA 467 cards into an `IdentityRecord` (and encode one, for tests).

The card type flag is the character at byte 248. Byte offsets (length) of each layout, from the public
machine-readable rules of each card (resident card GA 450/GB 21359 as used by GA 467 readers; HK/Macao/
Taiwan residence permit rules, 2018; foreign permanent resident card rules, 2017 and 2023):

' ' resident: name 0(30) sex 30(2) ethnicity 32(4) birth 36(16) address 52(70) id 122(36) authority
    158(30) valid-from 188(16) valid-until 204(16, YYYYMMDD or "长期") reserved 220(36; type flag at 248)
'J' HK/Macao/Taiwan permit: as resident, but 32(4) reserved, then pass number 220(18) issue count
    238(4) reserved 242(6) flag 248(2) reserved 250(6)
'I' 2017 foreign permanent resident: English name 0(120) sex 120(2) card number 122(30) nationality
    152(6) Chinese name 158(30) valid-from 188(16) valid-until 204(16) birth 220(16) card version
    236(4) accepting-authority code 240(8) flag 248(2) reserved 250(6)
'Y' 2023 foreign permanent resident: Chinese name 0(30) sex 30(2) issue count 32(4) birth 36(16) English
    name part 1 52(70) ID number 122(36) reserved 158(30) valid-from 188(16) valid-until 204(16) English
    name part 2 220(22) nationality 242(6) flag 248(2) link to the previous card number 250(6)
Dates are YYYYMMDD; sex is a GB/T 2261.1 code; ethnicity a GB/T 3304 code (drivers/data/ethnicity_gbt3304.json).
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from importlib import resources

from drivers.errors import reader_error
from kiosk.identity.record import LONG_TERM, CardType, IdentityRecord, Sex

TEXT_LEN = 256
PHOTO_LEN = 1024
FLAG_OFFSET = 248
LONG_TERM_TEXT = "长期"

Field = tuple[str, int, int]  # (name, offset, length in bytes)

LAYOUTS: dict[str, tuple[CardType, tuple[Field, ...]]] = {
    " ": (CardType.RESIDENT, (
        ("name", 0, 30), ("sex", 30, 2), ("ethnicity", 32, 4), ("birth_date", 36, 16), ("address", 52, 70),
        ("id_number", 122, 36), ("issuer", 158, 30), ("valid_from", 188, 16), ("valid_until", 204, 16))),
    "J": (CardType.HK_MACAO_TAIWAN_PERMIT, (
        ("name", 0, 30), ("sex", 30, 2), ("birth_date", 36, 16), ("address", 52, 70), ("id_number", 122, 36),
        ("issuer", 158, 30), ("valid_from", 188, 16), ("valid_until", 204, 16), ("pass_number", 220, 18),
        ("issue_count", 238, 4))),
    "I": (CardType.FOREIGN_PERMANENT_RESIDENT, (
        ("name_en", 0, 120), ("sex", 120, 2), ("card_number", 122, 30), ("nationality", 152, 6),
        ("name", 158, 30), ("valid_from", 188, 16), ("valid_until", 204, 16), ("birth_date", 220, 16))),
    "Y": (CardType.FOREIGN_PERMANENT_RESIDENT, (
        ("name", 0, 30), ("sex", 30, 2), ("issue_count", 32, 4), ("birth_date", 36, 16), ("name_en", 52, 70),
        ("id_number", 122, 36), ("valid_from", 188, 16), ("valid_until", 204, 16), ("name_en_2", 220, 22),
        ("nationality", 242, 6))),
}
_SEX_CODES = {Sex.UNKNOWN: "0", Sex.MALE: "1", Sex.FEMALE: "2", Sex.UNSPECIFIED: "9"}


@cache
def ethnicity_table() -> dict[str, str]:
    """GB/T 3304 code → Chinese name; the bundled file is checked once at first use."""
    raw = json.loads((resources.files("drivers") / "data" / "ethnicity_gbt3304.json").read_text(encoding="utf-8"))
    codes: dict[str, str] = raw["codes"]
    if not (all(len(k) == 2 and k.isdigit() and v for k, v in codes.items()) and len(codes) == 58):
        raise ValueError("ethnicity_gbt3304.json: expected 58 two-digit codes with names")
    return codes


def _bad(detail: str) -> Exception:
    return reader_error("card_data_invalid", detail=detail)


def _date(text: str, field: str) -> dt.date:
    if len(text) != 8 or not text.isascii() or not text.isdigit():
        raise _bad(f"{field} not YYYYMMDD")
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise _bad(f"{field} not a date") from None


def decode_text_block(block: bytes | bytearray | memoryview) -> IdentityRecord:
    """Turn a text block into a record; raises ReaderError(card_data_invalid|unknown_card_type)."""
    if len(block) != TEXT_LEN:
        raise _bad(f"text block {len(block)} bytes")
    raw = bytes(block)
    flag = raw[FLAG_OFFSET:FLAG_OFFSET + 2].decode("utf-16-le", errors="replace")
    layout = LAYOUTS.get(flag)
    if layout is None:
        raise reader_error("unknown_card_type", detail=f"type flag {flag.encode('unicode_escape')!r}")
    card_type, fields = layout
    try:
        # Field by field, so a rare character outside the BMP (two UTF-16 units) cannot shift later fields.
        values = {name: raw[off:off + size].decode("utf-16-le").strip(" \x00") for name, off, size in fields}
    except UnicodeDecodeError:
        raise _bad("not UTF-16LE") from None
    record = IdentityRecord(card_type=card_type)
    for name, value in values.items():
        if not value or name == "name_en_2":
            continue
        if name in ("birth_date", "valid_from"):
            setattr(record, name, _date(value, name))
        elif name == "valid_until":
            record.valid_until = LONG_TERM if value == LONG_TERM_TEXT else _date(value, name)
        elif name == "sex":
            if value not in ("0", "1", "2", "9"):
                raise _bad("sex code")
            record.sex = Sex.from_code(value)
        elif name == "ethnicity":
            found = ethnicity_table().get(value)
            if found is None:
                raise _bad("ethnicity code")
            record.ethnicity = found
        elif name == "issue_count":
            if not value.isascii() or not value.isdigit():
                raise _bad("issue count")
            record.issue_count = int(value)
        else:
            setattr(record, name, value)
    if values.get("name_en_2"):  # joined unstripped: a space may fall exactly at the split
        record.name_en = (raw[52:122] + raw[220:242]).decode("utf-16-le").strip(" \x00")
    return record


def encode_text_block(record: IdentityRecord, flag: str | None = None) -> bytes:
    """The inverse of `decode_text_block` (card emulators in tests and benchmarks use it)."""
    if flag is None:
        flag = {CardType.RESIDENT: " ", CardType.HK_MACAO_TAIWAN_PERMIT: "J"}.get(record.card_type, "Y")
    _, fields = LAYOUTS[flag]
    out = bytearray(" ".encode("utf-16-le") * (TEXT_LEN // 2))
    reverse_ethnicity = {v: k for k, v in ethnicity_table().items()}
    name_en = record.name_en or ""
    for name, off, size in fields:
        value: object
        if name == "name_en" and flag == "Y":
            value = name_en[:35]
        elif name == "name_en_2":
            value = name_en[35:]
        else:
            value = getattr(record, name)
        if value is None:
            continue
        if name == "sex":
            value = _SEX_CODES[Sex(str(value))]
        elif name == "ethnicity":
            value = reverse_ethnicity[str(value)]
        elif name == "issue_count":
            value = f"{value:0{size // 2}d}"
        elif value == LONG_TERM:
            value = LONG_TERM_TEXT
        elif isinstance(value, dt.date):
            value = value.strftime("%Y%m%d")
        data = str(value).encode("utf-16-le")[:size]
        out[off:off + len(data)] = data
    out[FLAG_OFFSET:FLAG_OFFSET + 2] = flag.encode("utf-16-le")
    return bytes(out)
