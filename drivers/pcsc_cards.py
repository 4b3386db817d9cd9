"""Card applications read over PC/SC: the social security card (社会保障卡) and contactless staff badges.

Both work on a `Transmit` callable (APDU bytes in, data + status word out), so they know nothing of pyscard.

Social security card (MOHRSS layout, 人社信息函〔2012〕37号 "社会保障卡文件结构和数据项 V2.0", as deployed
readers send it): SELECT the SSSE by DF name "sx1.sh.社会保障" (GBK), then SELECT EF05 / EF06 by file id
(`00 A4 02 00 02 EF 05`) and READ RECORD by number (`00 B2 <n> 04 <Le>`, Le = the record's defined length + 2,
since the card is T=0 and answers any other Le with 6Cxx). Each record is tag (= record number) · length ·
value; formats `an` (ASCII/GBK, right-padded 00), `cn` (BCD, right-padded F).
  EF05 card info:   05 issue date (cn 4, YYYYMMDD) · 06 valid until (cn 4) · 07 card number (an 9)
  EF06 holder info: 08 social security number (an 18 = citizen ID number) · 09 name (an 30, GBK) · 0A sex
                    (an 1, GB/T 2261.1) · 0B ethnicity (cn 1: GB/T 3304 code in BCD, 满族 "11" is 0x11)
                    · 0D birth date (cn 4)
Badges: the UID from the PC/SC 2.01 GET DATA pseudo-APDU `FF CA 00 00 00`, answered by the reader itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from drivers.errors import reader_error
from drivers.textblock import ethnicity_table
from kiosk.identity.record import CardType, IdentityRecord, Sex

Transmit = Callable[[bytes], tuple[bytes, int]]  # APDU → (response data, SW1SW2 as int)

SSC_DF_NAME = "sx1.sh.社会保障".encode("gbk")
EF_CARD_INFO = 0xEF05
EF_HOLDER_INFO = 0xEF06
# Defined value length of each record read, from the public layout (the record is 2 bytes longer).
RECORD_LENGTHS = {0x05: 4, 0x06: 4, 0x07: 9, 0x08: 18, 0x09: 30, 0x0A: 1, 0x0B: 1, 0x0D: 4}
GET_UID = bytes.fromhex("FFCA000000")
SW_OK = 0x9000


def apdu(transmit: Transmit, command: bytes) -> tuple[bytes, int]:
    """Send one APDU, following T=0 chaining: 61xx → GET RESPONSE, 6Cxx → resend with the right Le."""
    data, sw = transmit(command)
    if sw >> 8 == 0x6C:
        data, sw = transmit(_with_le(command, sw & 0xFF))
    out = bytearray(data)
    while sw >> 8 == 0x61:
        data, sw = transmit(bytes([0x00, 0xC0, 0x00, 0x00, sw & 0xFF]))
        out += data
    return bytes(out), sw


def _with_le(command: bytes, le: int) -> bytes:
    if len(command) <= 5:  # no command data: byte 5 (if any) is Le
        return command[:4] + bytes([le])
    return command[:5 + command[4]] + bytes([le])


def _select_name(transmit: Transmit, name: bytes) -> int:
    return apdu(transmit, bytes([0x00, 0xA4, 0x04, 0x00, len(name)]) + name)[1]


def _select_ef(transmit: Transmit, fid: int) -> None:
    _, sw = apdu(transmit, bytes([0x00, 0xA4, 0x02, 0x00, 0x02]) + fid.to_bytes(2, "big"))
    if sw != SW_OK:
        raise reader_error("read_failed", detail=f"select EF {fid:04X}: SW {sw:04X}")


def _record(transmit: Transmit, number: int) -> bytes:
    data, sw = apdu(transmit, bytes([0x00, 0xB2, number, 0x04, RECORD_LENGTHS[number] + 2]))
    if sw != SW_OK:
        raise reader_error("read_failed", detail=f"record {number:02X}: SW {sw:04X}")
    if len(data) < 2 or data[0] != number or len(data) < 2 + data[1]:
        raise reader_error("card_data_invalid", detail=f"record {number:02X}: TLV")
    return data[2:2 + data[1]]


def _bcd(value: bytes, field: str) -> str:
    """A `cn` item's digits (BCD, right-padded with F)."""
    digits = value.hex().upper().rstrip("F")
    if not digits.isdigit():
        raise reader_error("card_data_invalid", detail=f"{field} BCD")
    return digits


def _bcd_date(value: bytes, field: str) -> dt.date:
    text = _bcd(value, field)
    try:
        if len(text) != 8:
            raise ValueError(text)
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise reader_error("card_data_invalid", detail=f"{field} BCD") from None


def _text(value: bytes, encoding: str, field: str) -> str:
    try:
        return value.decode(encoding).strip(" \x00")
    except UnicodeDecodeError:
        raise reader_error("card_data_invalid", detail=f"{field} encoding") from None


def read_social_security(transmit: Transmit) -> IdentityRecord:
    """Read a selected social security card's card and holder records."""
    _select_ef(transmit, EF_CARD_INFO)
    valid_from = _bcd_date(_record(transmit, 0x05), "issue date")
    valid_until = _bcd_date(_record(transmit, 0x06), "valid until")
    card_number = _text(_record(transmit, 0x07), "ascii", "card number")
    _select_ef(transmit, EF_HOLDER_INFO)
    id_number = _text(_record(transmit, 0x08), "ascii", "id number")
    name = _text(_record(transmit, 0x09), "gbk", "name")
    sex_code = _text(_record(transmit, 0x0A), "ascii", "sex")
    ethnic = _bcd(_record(transmit, 0x0B), "ethnicity")
    birth = _bcd_date(_record(transmit, 0x0D), "birth date")
    if sex_code not in ("0", "1", "2", "9") or len(ethnic) != 2:
        raise reader_error("card_data_invalid", detail="sex/ethnicity")
    return IdentityRecord(CardType.SOCIAL_SECURITY, name=name, sex=Sex.from_code(sex_code),
                          ethnicity=ethnicity_table().get(ethnic), birth_date=birth,
                          id_number=id_number, card_number=card_number, valid_from=valid_from,
                          valid_until=valid_until)


def read_badge_uid(transmit: Transmit) -> IdentityRecord | None:
    """A contactless card's UID as a badge record, or None when the reader/card has none."""
    data, sw = apdu(transmit, GET_UID)
    if sw != SW_OK or not data:
        return None
    return IdentityRecord(CardType.BADGE, uid=data.hex().upper())


def read_any(transmit: Transmit) -> IdentityRecord:
    """Identify the card: a social security card first, else a badge UID, else unknown_card_type."""
    sw = _select_name(transmit, SSC_DF_NAME)
    if sw == SW_OK:
        return read_social_security(transmit)
    badge = read_badge_uid(transmit)
    if badge is not None:
        return badge
    raise reader_error("unknown_card_type", detail=f"select SW {sw:04X}")
