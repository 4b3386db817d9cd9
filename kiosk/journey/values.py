"""Plain checks on what people type or show: phone numbers, dates, ID numbers, form answers, health codes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from kiosk.catalog.model import Catalog, FormField, Item
from kiosk.identity.idnumber import parse_id_number, validate_id_number
from kiosk.identity.record import CardType, IdentityRecord
from kiosk.journey import texts as tx
from kiosk.messages import Message


def valid_phone(value: str) -> bool:
    """Mainland mobile (11 digits starting with 1) or a landline with area code (10–12 digits starting with 0)."""
    return bool(re.fullmatch(r"1[3-9]\d{9}", value) or re.fullmatch(r"0\d{9,11}", value))


def valid_date(value: str) -> dt.date | None:
    if not re.fullmatch(r"\d{8}", value):
        return None
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


def print_items(catalog: Catalog, *, elderly: bool, agent: bool = False) -> list[Item]:
    """Items that only look something up and print it (查询打印: the catalog's `kind == "query_print"`), in the
    order `items_for` offers them (elderly high-frequency first; only those an agent may do, for an agent)."""
    printable = {i.code for i in catalog.print_items()}
    return [i for i in catalog.items_for(elderly=elderly, agent=agent) if i.code in printable]


def takes_id_number(f: FormField) -> bool:
    """A typed field holding an 18-character ID number (it may end in X), e.g. `deceased_id_number`."""
    return f.kind == "digits" and f.max_length == 18 and f.code.endswith("id_number")


def check_field(f: FormField, value: str) -> Message | None:
    """What is wrong with a typed or chosen answer, in plain words; None when it is fine."""
    if f.kind == "choice":
        return None if value else tx.TOUCH_ANSWER
    if not value:
        return None if not f.required else tx.TYPE_FIRST
    if f.kind == "phone" and not valid_phone(value):
        return tx.PHONE_INCOMPLETE
    if f.kind == "date" and valid_date(value) is None:
        return tx.DATE_BAD
    if takes_id_number(f) and not validate_id_number(value):
        return tx.TYPED_ID_BAD
    if f.kind == "digits" and not (6 <= len(value) <= f.max_length):
        return tx.NUMBER_SHORT
    return None


def record_from_id_number(number: str) -> IdentityRecord:
    """A person identified by a typed, checksum-valid ID number (no card: no name, birth date from the number)."""
    info = parse_id_number(number)
    return IdentityRecord(card_type=CardType.RESIDENT, id_number=number.upper(), birth_date=info.birth_date)


def health_code_ok(verdict: Any, person: IdentityRecord | None, today: dt.date,
                   accepted_kinds: tuple[str, ...] | None = None) -> tuple[bool, Message | None]:
    """A health code counts only if `kiosk.codes.health_check` accepts it: a kind the hall accepts, verified,
    unexpired, and the identified person's own."""
    from kiosk.codes.health_check import assess

    outcome = assess(verdict, person, today=today, accepted_kinds=accepted_kinds)
    return outcome.ok, None if outcome.ok else outcome.message
