"""The step counter without Qt: it counts the parts of the path the visit has chosen (a skipped materials page
is not counted, materials and the phone question never share a number) and is absent where there is no path:
home, a ticket, a call for a volunteer, a difficult case, the end of a visit, staff panels."""

from __future__ import annotations

import datetime as dt

from kiosk.authorizations import Authorization
from kiosk.catalog.loader import load_bundled_catalog
from kiosk.identity import CardType, IdentityRecord
from kiosk.journey import Back, CallHelp, CardInserted, Difficult, Journey, JourneySettings, Next, Result, State, Tap
from kiosk.journey.states import Effect

CATALOG = load_bundled_catalog()
NOW = dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC)


def _elder() -> IdentityRecord:
    return IdentityRecord(CardType.RESIDENT, name="李秀英", id_number="440106195403151232",
                          birth_date=dt.date(1954, 3, 15), valid_until=dt.date(2036, 1, 1))


def _adult() -> IdentityRecord:
    return IdentityRecord(CardType.RESIDENT, name="王小明", id_number="110105199107080025",
                          birth_date=dt.date(1991, 7, 8), valid_until=dt.date(2036, 1, 1))


def journey(**kw: object) -> Journey:
    return Journey(CATALOG, JourneySettings(kiosk_id="k01", **kw), clock=lambda: NOW)  # type: ignore[arg-type]


def answer(j: Journey, effects: list[Effect], kind: str, value: object) -> list[Effect]:
    [e] = [e for e in effects if e.kind == kind]
    return j.handle(Result(kind, e.token, value))


def test_no_counter_before_anything_is_chosen_nor_for_a_ticket_or_a_call() -> None:
    j = journey()
    assert j.view().step is None  # home
    j.handle(Tap("ticket"))
    assert j.state is State.TICKET and j.view().step is None  # one screen: nothing to count
    eff = j.handle(Tap("take"))
    answer(j, eff, "take_ticket", {"number": "A0001", "lane": "normal"})
    assert j.state is State.TICKET_DONE and j.view().step is None
    j.handle(Next())
    j.handle(Tap("volunteer"))
    assert j.state is State.HELP and j.view().step is None


def test_card_first_pension_counts_only_the_parts_it_has() -> None:
    j = journey()
    j.handle(CardInserted(_elder()))  # the card is the first step, laid on the home screen
    assert j.state is State.ITEMS and j.view().step == (2, 5)  # not chosen yet: materials and form counted
    j.handle(Tap("pension_qualification"))
    j.handle(Next())
    assert j.state is State.FORM and j.view().step == (3, 4)  # its materials page asks nothing: not a step
    j.handle(Next("13800138000"))
    assert j.state is State.REVIEW and j.view().step == (4, 4)
    j.handle(Back())
    assert j.view().step == (3, 4)


def test_from_the_seniors_button_materials_and_phone_never_share_a_number() -> None:
    j = journey()
    j.handle(Tap("elderly"))
    assert j.state is State.IDENTIFY and j.view().step == (1, 5)
    j.handle(CardInserted(_elder()))
    assert j.view().step == (2, 5)
    j.handle(Tap("elderly_preferential_card"))  # a photo to hand in: its page is a step
    j.handle(Next())
    seen = {j.state: j.view().step}
    j.handle(Next())
    seen[j.state] = j.view().step
    j.handle(Next("13800138000"))
    j.handle(Tap("0"))
    j.handle(Next())
    seen[j.state] = j.view().step
    assert seen == {State.MATERIALS: (3, 5), State.FORM: (4, 5), State.REVIEW: (5, 5)}


def test_detours_and_the_end_show_no_counter_and_back_brings_it_back() -> None:
    j = journey()
    j.handle(CardInserted(_elder()))
    j.handle(Tap("pension_qualification"))
    j.handle(Next())
    j.handle(CallHelp())
    assert j.state is State.HELP and j.view().step is None  # a detour, not a step of the path
    j.handle(Back())
    assert j.state is State.FORM and j.view().step == (3, 4)
    j.handle(Difficult())
    assert j.state is State.DIFFICULT_CASE and j.view().step is None  # the same for a difficult case
    j.handle(Back())
    j.handle(Next("13800138000"))
    eff = j.handle(Next())
    answer(j, eff, "submit", [])
    assert j.state is State.DONE and j.view().step is None  # the path is over


def test_acting_for_someone_counts_both_cards_as_one_step_and_the_authorization_once_asked() -> None:
    j = journey()
    j.handle(Tap("business"))
    j.handle(Tap("proxy"))
    assert j.state is State.PROXY_AGENT and j.view().step == (1, 5)  # ① your card
    j.handle(CardInserted(_adult()))
    assert j.state is State.PROXY_PRINCIPAL and j.view().step == (1, 5)  # ② theirs: the same step
    j.handle(CardInserted(_elder()))
    assert j.state is State.ITEMS and j.view().step == (2, 5)
    j.handle(Tap("elderly_preferential_card"))
    eff = j.handle(Next())
    assert j.state is State.PROXY_CHECKING and j.view().step == (2, 5)
    answer(j, eff, "find_authorization", None)  # none registered: the agent is asked for one
    assert j.state is State.PROXY_CODE and j.view().step == (3, 6)


def test_a_registered_authorization_is_no_step_of_its_own() -> None:
    j = journey()
    j.handle(Tap("business"))
    j.handle(Tap("proxy"))
    j.handle(CardInserted(_adult()))
    j.handle(CardInserted(_elder()))
    j.handle(Tap("elderly_preferential_card"))
    eff = j.handle(Next())
    answer(j, eff, "find_authorization",
           Authorization("auth-1", ["*"], dt.date(2026, 1, 1), dt.date(2027, 1, 1), "registered"))
    assert j.state is State.MATERIALS and j.view().step == (3, 5)
