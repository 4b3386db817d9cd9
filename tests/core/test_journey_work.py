"""The journey driven end to end without Qt: its effects run by `kiosk.journey.work` on a real store (SQLite,
sealed records, outbox, audit), answers fed back as the window does. Refusals create nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from kiosk.catalog.loader import load_bundled_catalog
from kiosk.identity import CardType, IdentityRecord
from kiosk.journey import Badge, CardInserted, CardRemoved, Journey, JourneySettings, Next, State, Tap
from kiosk.journey.work import WorkContext, run
from kiosk.store import open_store
from tests.core.journey_drive import drive

CATALOG = load_bundled_catalog()
ELDER_ID = "440106195403151232"
ADULT_ID = "110105199107080025"


def _person(name: str, number: str, born: dt.date) -> IdentityRecord:
    return IdentityRecord(CardType.RESIDENT, name=name, id_number=number, birth_date=born,
                          valid_until=dt.date(2036, 1, 1))


@pytest.fixture
def store(tmp_path: Path) -> Any:
    s = open_store(tmp_path / "data")
    body = json.dumps({"version": 1, "members": [
        {"id": "staff-1", "role": "staff", "display_name": "张三", "badge_uid": "04A1B2C3",
         "pin_hash": PasswordHasher().hash("2468")}]})
    s.cache_put("roster", body.encode("utf-8"))
    yield s
    s.close()


def _count(store: Any, table: str) -> int:
    return store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_pension_certification_is_submitted_with_one_record_and_its_outbox_row(store: Any) -> None:
    j = Journey(CATALOG, JourneySettings(kiosk_id="k01"))
    ctx = WorkContext("k01", CATALOG)
    drive(j, store, j.handle(CardInserted(_person("陈桂芳", ELDER_ID, dt.date(1954, 3, 15)))), ctx)
    assert j.state is State.ITEMS
    j.handle(Tap("pension_qualification"))
    drive(j, store, j.handle(Next()), ctx)  # items → form: the materials page asks nothing (no known phone yet)
    assert j.state is State.FORM and not j.offers_known_phone()
    j.handle(Next("13800138000"))
    front = drive(j, store, j.handle(Next()), ctx)
    assert j.state is State.DONE and [e.kind for e in front] == ["print_receipt", "wake_sync"]
    assert _count(store, "transactions") == 1
    kinds = [r[0] for r in store.conn.execute("SELECT kind FROM outbox")]
    assert "transaction" in kinds
    # The next visit of the same person: the phone is offered for one tap, masked.
    j.handle(Tap("x"))
    j.handle(Next())  # Finish
    assert j.state is State.TAKE_CARD  # the card still lies on the reader: asked back before anything else
    j.handle(CardRemoved())
    drive(j, store, j.handle(CardInserted(_person("陈桂芳", ELDER_ID, dt.date(1954, 3, 15)))), ctx)
    j.handle(Tap("pension_qualification"))
    j.handle(Next())
    # The same item again on the same day: asked first, with the first one's 受理号 (default: not again).
    day = store.conn.execute("SELECT receipt_no FROM transactions").fetchone()[0].split("-")[-2]
    assert j.state is State.SAME_ITEM_TODAY
    assert j.view().title.zh.replace("\u00a0", " ") == (
        f"您今天已经办过 养老金领取资格认证（受理号 {day[4:]}-0001），还要再办一次吗？")
    drive(j, store, j.handle(Tap("again")), ctx)  # on to the form: its materials page asks nothing
    assert j.state is State.FORM and j.offers_known_phone() and j.view().title.zh == "138****8000 是您的电话吗？"


def test_a_double_tap_takes_one_ticket_in_the_store(store: Any) -> None:
    j = Journey(CATALOG, JourneySettings(kiosk_id="k01"))
    ctx = WorkContext("k01", CATALOG)
    j.handle(Tap("ticket"))
    first = j.handle(Tap("take"))
    second = j.handle(Tap("take"))
    assert second == []
    # Even the same effect run twice (a retry after a crash) gives the same ticket: one request id.
    again = run(first[0], store, ctx)
    drive(j, store, first, ctx)
    assert _count(store, "tickets") == 1 and j.view().big == again["number"]


def test_paper_authorization_without_the_staff_pin_creates_nothing(store: Any) -> None:
    j = Journey(CATALOG, JourneySettings(kiosk_id="k01"))
    ctx = WorkContext("k01", CATALOG)
    j.handle(Tap("business"))
    j.handle(Tap("proxy"))
    drive(j, store, j.handle(CardInserted(_person("林晓雯", ADULT_ID, dt.date(1991, 7, 8)))), ctx)
    drive(j, store, j.handle(CardInserted(_person("陈桂芳", ELDER_ID, dt.date(1954, 3, 15)))), ctx)
    j.handle(Tap("elderly_preferential_card"))
    drive(j, store, j.handle(Next()), ctx)
    assert j.state is State.PROXY_CODE  # no registered authorization
    j.handle(Tap("paper"))
    assert j.handle(Tap("illness")) == []  # no badge, no PIN: nothing
    drive(j, store, j.handle(Badge("04A1B2C3")), ctx)
    j.handle(Tap("illness"))
    drive(j, store, j.handle(Next("1111")), ctx)  # wrong PIN: refused by the core
    assert j.state is State.PROXY_PAPER and j.visit.problem is not None
    assert store.conn.execute("SELECT COUNT(*) FROM authorizations WHERE source='paper'").fetchone()[0] == 0
    drive(j, store, j.handle(Next("2468")), ctx)
    assert j.state is State.MATERIALS
    assert store.conn.execute("SELECT confirmed_by FROM authorizations WHERE source='paper'").fetchone()[0] == \
        "staff-1"
