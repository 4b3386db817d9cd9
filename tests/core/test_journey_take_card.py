"""The card left behind: after a receipt, a ticket, the idle return or Home with a card still on the reader,
the journey asks for it back ("请取回您的身份证") and shows nothing else until the reader reports it lifted."""

from __future__ import annotations

import datetime as dt

from kiosk.catalog.loader import load_bundled_catalog
from kiosk.identity import CardType, IdentityRecord
from kiosk.journey import (
    Back,
    Badge,
    CallHelp,
    CardInserted,
    CardRemoved,
    Home,
    Idle,
    Journey,
    JourneySettings,
    Next,
    Result,
    State,
    Tap,
    Timeout,
)
from kiosk.services import Receipt

CATALOG = load_bundled_catalog()
NOW = dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC)


def person(name: str = "陈桂芳", number: str = "440106195403151232") -> IdentityRecord:
    return IdentityRecord(CardType.RESIDENT, name=name, id_number=number, birth_date=dt.date(1954, 3, 15),
                          valid_until=dt.date(2036, 1, 1))


def journey() -> Journey:
    return Journey(CATALOG, JourneySettings(kiosk_id="k01"), clock=lambda: NOW)


def _submitted(j: Journey) -> None:
    """A pension certification taken to its receipt with the card lying on the reader."""
    j.handle(CardInserted(person()))
    j.handle(Tap("pension_qualification"))
    j.handle(Next())
    while j.state is State.MATERIALS:
        j.handle(Next())
    if j.state is State.FORM:
        j.handle(Next("13800138000"))
    assert j.state is State.REVIEW
    j.handle(Next())
    j.handle(Result("submit", j.token, [Receipt("t1", "1127-0001", "pension_qualification", "hrss", "x")]))
    assert j.state is State.DONE


def _asks_for_the_card(j: Journey) -> None:
    assert j.state is State.TAKE_CARD and j.session is None
    v = j.view()
    assert v.title.zh == "请取回您的身份证" and v.title.en == "Please take your ID card"
    assert "身份证" in v.prompt.zh and v.picture == "take_card"
    assert not (v.home or v.back or v.help or v.difficult) and v.next is None and v.step is None
    assert not j.times_idle  # it waits for the card, not for a timer


def _nothing_but_lifting_ends_it(j: Journey) -> None:
    for e in (Home(), Back(), Idle(), CallHelp(), Tap("business"), Next(), Timeout(), Badge("04a1b2")):
        j.handle(e)
        assert j.state is State.TAKE_CARD
    other = person("李四", "110105199107080025")
    j.handle(CardInserted(other))  # another card laid down meanwhile: kept nowhere, the screen stays
    assert j.state is State.TAKE_CARD and j.session is None and not other.name
    j.handle(CardRemoved())
    assert j.state is State.HOME


def test_after_the_receipt_the_card_is_asked_back_until_lifted() -> None:
    j = journey()
    _submitted(j)
    j.handle(Next())  # 完成
    _asks_for_the_card(j)
    _nothing_but_lifting_ends_it(j)


def test_the_done_screen_timing_out_asks_for_the_card_too() -> None:
    j = journey()
    _submitted(j)
    j.handle(Timeout())
    _asks_for_the_card(j)


def test_card_lifted_before_finishing_goes_straight_home() -> None:
    j = journey()
    _submitted(j)
    j.handle(CardRemoved())  # taken with the receipt: the done screen stays until Finish
    assert j.state is State.DONE
    j.handle(Next())
    assert j.state is State.HOME


def test_after_a_ticket_with_the_card_the_card_is_asked_back() -> None:
    j = journey()
    j.handle(Tap("ticket"))
    j.handle(CardInserted(person()))  # over 60: a priority number
    j.handle(Result("take_ticket", j.token, {"number": "Y0001", "lane": "priority"}))
    assert j.state is State.TICKET_DONE
    j.handle(Next())
    _asks_for_the_card(j)
    _nothing_but_lifting_ends_it(j)


def test_idle_return_and_home_with_the_card_ask_for_it() -> None:
    j = journey()
    j.handle(CardInserted(person()))
    assert j.state is State.ITEMS
    j.handle(Idle())
    _asks_for_the_card(j)
    j.handle(CardRemoved())
    j.handle(CardInserted(person()))
    j.handle(Home())  # "首页"
    _asks_for_the_card(j)
    j.handle(CardRemoved())
    assert j.state is State.HOME


def test_a_staff_badge_is_not_a_card_left_behind() -> None:
    j = journey()
    j.handle(Tap("volunteer"))
    j.handle(Badge("04a1b2"))
    j.handle(Home())
    assert j.state is State.HOME


def test_no_step_counter_where_there_is_no_path() -> None:
    j = journey()
    assert j.view().step is None  # home: nothing chosen yet
    j.handle(Tap("ticket"))
    assert j.view().step is None  # a ticket is one screen: no path to count (tests/core/test_journey_steps.py)
