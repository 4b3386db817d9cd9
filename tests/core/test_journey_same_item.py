"""Same item, same day: a person who already submitted an item today is asked before submitting it again
("您今天已经办过 …（受理号 …），还要再办一次吗？"), the default being not to; receipts carry a human 受理号."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from kiosk import services
from kiosk.catalog.loader import load_bundled_catalog
from kiosk.clock import CHINA_TZ
from kiosk.identity import CardType, IdentityRecord
from kiosk.journey import CardInserted, CardRemoved, Journey, JourneySettings, Next, State, Tap
from kiosk.journey.work import WorkContext
from kiosk.store import open_store
from tests.core.journey_drive import drive

CATALOG = load_bundled_catalog()
ELDER_ID = "440106195403151232"


def _elder() -> IdentityRecord:
    return IdentityRecord(CardType.RESIDENT, name="陈桂芳", id_number=ELDER_ID, birth_date=dt.date(1954, 3, 15),
                          valid_until=dt.date(2036, 1, 1))


@pytest.fixture
def store(tmp_path: Path) -> Any:
    s = open_store(tmp_path / "data")
    yield s
    s.close()


def _submit(j: Journey, store: Any, ctx: WorkContext, *items: str) -> None:
    drive(j, store, j.handle(CardInserted(_elder())), ctx)
    for code in items:
        j.handle(Tap(code))
    drive(j, store, j.handle(Next()), ctx)
    while j.state is State.MATERIALS:
        drive(j, store, j.handle(Next()), ctx)
    while j.state is State.FORM:
        drive(j, store, j.handle(Next("13800138000") if j.field and j.field.kind == "phone" else Next("0")), ctx)
        if j.state is State.FORM and j.field is not None and j.field.kind == "choice":
            j.handle(Tap("0"))
    assert j.state is State.REVIEW, j.state
    drive(j, store, j.handle(Next()), ctx)
    assert j.state is State.DONE
    j.handle(CardRemoved())
    j.handle(Next())
    assert j.state is State.HOME


def _count(store: Any) -> int:
    return int(store.conn.execute("SELECT COUNT(*) FROM transactions").fetchone()[0])


def test_the_same_item_twice_in_a_day_is_asked_and_the_default_submits_nothing(store: Any) -> None:
    j = Journey(CATALOG, JourneySettings(kiosk_id="k01"))
    ctx = WorkContext("k01", CATALOG)
    _submit(j, store, ctx, "pension_qualification")
    [(internal,)] = store.conn.execute("SELECT receipt_no FROM transactions").fetchall()
    today = dt.datetime.now(CHINA_TZ)
    assert internal == f"k01-{today:%Y%m%d}-0001"  # the internal id stays in the record
    drive(j, store, j.handle(CardInserted(_elder())), ctx)
    j.handle(Tap("pension_qualification"))
    drive(j, store, j.handle(Next()), ctx)
    assert j.state is State.SAME_ITEM_TODAY
    v = j.view()
    # (a no-break space keeps 受理号 and its number on one line)
    assert v.title.zh.replace("\u00a0", " ") == (
        f"您今天已经办过 养老金领取资格认证（受理号 {today:%m%d}-0001），还要再办一次吗？")
    assert v.next is not None and v.next.zh == "不用再办"  # the primary (bottom-right) answer: not again
    assert [c.key for c in v.choices] == ["again"] and v.back and v.step == (2, 5)  # still choosing
    j.handle(Next())  # the default
    assert j.state is State.ITEMS and j.visit.selected == [] and _count(store) == 1
    # Chosen again with another item: only the other one goes on unless "再办一次" is touched.
    j.handle(Tap("pension_qualification"))
    j.handle(Tap("elderly_preferential_card"))
    drive(j, store, j.handle(Next()), ctx)
    assert j.state is State.SAME_ITEM_TODAY
    j.handle(Next())
    assert j.state is State.MATERIALS and j.visit.session is not None
    assert list(j.visit.session.selected_items) == ["elderly_preferential_card"]


def test_again_goes_on_and_back_returns_to_the_items(store: Any) -> None:
    j = Journey(CATALOG, JourneySettings(kiosk_id="k01"))
    ctx = WorkContext("k01", CATALOG)
    _submit(j, store, ctx, "pension_qualification")
    drive(j, store, j.handle(CardInserted(_elder())), ctx)
    j.handle(Tap("pension_qualification"))
    j.handle(Next())
    assert j.state is State.SAME_ITEM_TODAY
    from kiosk.journey import Back

    j.handle(Back())
    assert j.state is State.ITEMS and j.visit.selected == ["pension_qualification"]
    j.handle(Next())
    j.handle(Tap("again"))
    assert j.state is State.FORM  # its materials page asks nothing (the card was read): skipped
    j.handle(Back())
    assert j.state is State.ITEMS  # Back skips the question already answered and the skipped page


def test_done_today_counts_only_today_and_only_this_person(store: Any) -> None:
    ctx = WorkContext("k01", CATALOG)
    j = Journey(CATALOG, JourneySettings(kiosk_id="k01"))
    _submit(j, store, ctx, "pension_qualification")
    today = dt.datetime.now(CHINA_TZ).date()
    assert set(services.done_today(store, ELDER_ID, today)) == {"pension_qualification"}
    assert services.done_today(store, ELDER_ID, today - dt.timedelta(days=1)) == {}
    assert services.done_today(store, "110105199107080025", today) == {}


def test_human_receipt_numbers() -> None:
    assert services.human_receipt_number("demo-kiosk-01-20260427-0001") == "0427-0001"
    assert services.human_receipt_number("k01-20261202-0123") == "1202-0123"
    assert services.human_receipt_number("odd") == "odd"
    r = services.Receipt("t", "demo-kiosk-01-20260427-0001", "pension_qualification", "hrss", "x")
    assert r.number == "0427-0001" and r.receipt_no == "demo-kiosk-01-20260427-0001"
