"""Known phone: found from the kiosk's earlier submissions (sealed) or the hub, masked in the question, never in a
repr; a failing or odd hub answer falls back to the kiosk."""

from __future__ import annotations

import datetime as dt

from kiosk.catalog import load_bundled_catalog
from kiosk.identity import CardType, IdentityRecord
from kiosk.known_phone import KnownPhone, known_phone, local_phone
from kiosk.services import submit_items
from kiosk.session import Session
from kiosk.store.db import Store

ID = "11010519491231002X"
OTHER = "440106199001010014"


def _submit(store: Store, id_number: str, phone: str) -> None:
    s = Session()
    s.identify(IdentityRecord(CardType.RESIDENT, name="王", id_number=id_number, birth_date=dt.date(1949, 12, 31)))
    s.select_items(["pension_qualification"])
    submit_items(store, s, load_bundled_catalog(), "k1", {"phone": phone})


def test_latest_phone_from_this_kiosk(store: Store) -> None:
    assert known_phone(store, ID) is None
    _submit(store, ID, "13900139000")
    _submit(store, ID, "13800138000")
    _submit(store, OTHER, "13700137000")
    found = known_phone(store, ID)
    assert found is not None and found.source == "kiosk" and found.phone == "13800138000"
    assert found.masked == "138****8000"
    assert found.question.zh == "138****8000 是您的电话吗？"
    assert found.question.en == "Is 138****8000 your phone number?"
    assert "13800138000" not in repr(found) and "13800138000" not in str(found)
    assert local_phone(store, OTHER) == "13700137000"


def test_a_landline_or_junk_is_not_offered(store: Store) -> None:
    _submit(store, ID, "02083330000")
    assert known_phone(store, ID) is None


def test_hub_answer_first_and_fallback(store: Store) -> None:
    _submit(store, ID, "13800138000")
    asked: list[str] = []

    def hub(id_number: str) -> str | None:
        asked.append(id_number)
        return "13600136000"

    assert known_phone(store, ID, remote=hub) == KnownPhone("13600136000", "hub") and asked == [ID]

    def offline(id_number: str) -> str | None:
        raise ConnectionError("hub unreachable")

    assert known_phone(store, ID, remote=offline) == KnownPhone("13800138000", "kiosk")
    assert known_phone(store, ID, remote=lambda _n: "not a phone") == KnownPhone("13800138000", "kiosk")
    assert known_phone(store, ID, remote=lambda _n: None) == KnownPhone("13800138000", "kiosk")
    assert known_phone(store, "", remote=hub) is None
