"""UI-side helpers for the journey: the "query and print" items in the order to offer them, the kiosk name in
one language, steps of each flow, and plain checks on typed values.
"""

from __future__ import annotations

import datetime as dt
import re

from kiosk.catalog.model import Catalog, FormField, Item
from kiosk.identity.idnumber import validate_id_number

# Steps of each flow (第2步/共5步): screen name → step number.
FLOW_STEPS: dict[str, dict[str, int]] = {
    "business": {"home": 1, "identify": 2, "proxy": 2, "health": 2, "categories": 3, "items": 3, "materials": 4,
                 "form": 4, "review": 5, "done": 5},
    "ticket": {"home": 1, "ticket": 2, "ticket_done": 3},
    "help": {"home": 1, "help": 2},
}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def step_of(flow: str, screen: str) -> tuple[int, int]:
    steps = FLOW_STEPS.get(flow, FLOW_STEPS["business"])
    if screen not in steps:
        steps = next((s for s in FLOW_STEPS.values() if screen in s), FLOW_STEPS["business"])
    return steps.get(screen, 1), max(steps.values())


def print_items(catalog: Catalog, *, elderly: bool, agent: bool = False) -> list[Item]:
    """Items that only look something up and print it (查询打印: the catalog's `kind == "query_print"`), in the
    order `items_for` offers them (elderly high-frequency first; only those an agent may do, for an agent)."""
    printable = {i.code for i in catalog.print_items()}
    return [i for i in catalog.items_for(elderly=elderly, agent=agent) if i.code in printable]


def takes_id_number(f: FormField) -> bool:
    """A typed field holding an 18-character ID number (it may end in X), e.g. `deceased_id_number`."""
    return f.kind == "digits" and f.max_length == 18 and f.code.endswith("id_number")


def valid_id(value: str) -> bool:
    return validate_id_number(value)


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def name_in(display_name: str, lang: str) -> str:
    """"演示自助终端 Demo kiosk" → the part in `lang` (a bilingual kiosk name is split at the script change)."""
    words = display_name.split()
    zh = " ".join(w for w in words if has_cjk(w))
    en = " ".join(w for w in words if not has_cjk(w))
    if lang.startswith("en"):
        return en or display_name
    return zh or display_name


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


def mask_digits(value: str) -> str:
    """Account-like numbers on screen: first 4 and last 4 digits."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]
