"""The materials pages without Qt: a page that asks nothing of the person (every material already in hand, the
card just read or shared data) is skipped, what is in hand is listed on the review, Back never lands on a
skipped page, and the rule itself (card read vs typed number, waivers, paper)."""

from __future__ import annotations

import datetime as dt

from kiosk.authorizations import Authorization
from kiosk.catalog.loader import load_bundled_catalog
from kiosk.identity import CardType, IdentityRecord
from kiosk.journey import Back, CardInserted, Journey, JourneySettings, Next, Result, State, Tap
from kiosk.journey.materials import all_in_hand, in_hand, nothing_to_do, pages
from kiosk.journey.states import Effect
from kiosk.messages import Message

CATALOG = load_bundled_catalog()
NOW = dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC)
ELDER_ID = "440106195403151232"
ADULT_ID = "110105199107080025"


def _elder() -> IdentityRecord:
    return IdentityRecord(CardType.RESIDENT, name="李秀英", id_number=ELDER_ID, birth_date=dt.date(1954, 3, 15),
                          valid_until=dt.date(2036, 1, 1))


def _adult() -> IdentityRecord:
    return IdentityRecord(CardType.RESIDENT, name="王小明", id_number=ADULT_ID, birth_date=dt.date(1991, 7, 8),
                          valid_until=dt.date(2036, 1, 1))


def journey() -> Journey:
    return Journey(CATALOG, JourneySettings(kiosk_id="k01"), clock=lambda: NOW)


def answer(j: Journey, effects: list[Effect], kind: str, value: object) -> list[Effect]:
    [e] = [e for e in effects if e.kind == kind]
    return j.handle(Result(kind, e.token, value))


def _material(item: str, code: str) -> object:
    return next(m for m in CATALOG.item(item).materials if m.code == code)


# --- the rule ---------------------------------------------------------------------------------------------
def test_a_card_read_here_is_the_id_card_a_typed_number_is_not() -> None:
    id_card = _material("pension_qualification", "id_card")
    assert in_hand(id_card, _elder()) == "card"  # type: ignore[arg-type]
    typed = IdentityRecord(CardType.RESIDENT, id_number=ELDER_ID, birth_date=dt.date(1954, 3, 15))  # no name
    assert in_hand(id_card, typed) == "e_certificate"  # type: ignore[arg-type]  # the catalog's waiver still holds
    photo = _material("elderly_preferential_card", "photo")
    assert in_hand(photo, _elder()) is None  # type: ignore[arg-type]  # paper: handed in at the window
    hukou = _material("family_mutual_aid", "hukou_book")
    assert in_hand(hukou, _elder()) == "shared_data"  # type: ignore[arg-type]


def test_which_pages_ask_something() -> None:
    assert nothing_to_do(CATALOG.item("pension_qualification"), _elder())
    assert nothing_to_do(CATALOG.item("chronic_disease"), _elder())  # card + shared diagnosis
    assert not nothing_to_do(CATALOG.item("elderly_preferential_card"), _elder())  # a photo
    chosen = ["pension_qualification", "elderly_preferential_card", "chronic_disease", "elderly_allowance"]
    assert pages(CATALOG, chosen, _elder()) == ["elderly_preferential_card", "elderly_allowance"]
    assert [m.code for m in all_in_hand(CATALOG, chosen, _elder())] == ["id_card", "diagnosis", "hukou_book"]


# --- the journey --------------------------------------------------------------------------------------------
def test_a_page_with_nothing_to_do_is_skipped_and_its_materials_shown_on_the_review() -> None:
    j = journey()
    j.handle(CardInserted(_elder()))
    j.handle(Tap("pension_qualification"))
    j.handle(Next())
    assert j.state is State.FORM and j.field is not None and j.field.kind == "phone"
    j.handle(Next("13800138000"))
    assert j.state is State.REVIEW
    rows = {k.zh: v for k, v in j.view().rows}
    assert rows["不用交的材料"] == Message("居民身份证", "Resident ID card")
    j.handle(Back())
    assert j.state is State.FORM  # not the skipped page
    j.handle(Back())
    assert j.state is State.ITEMS


def test_only_the_pages_that_ask_something_are_shown_and_back_skips_the_others() -> None:
    j = journey()
    j.handle(CardInserted(_elder()))
    for code in ("pension_qualification", "chronic_disease", "elderly_preferential_card"):
        j.handle(Tap(code))
    j.handle(Next())
    assert j.state is State.MATERIALS
    v = j.view()
    assert v.materials.item == "elderly_preferential_card"
    assert v.title.zh == "所需材料"  # one page to see, so no "第1项/共3项"
    j.handle(Next())
    assert j.state is State.FORM
    j.handle(Back())
    assert j.state is State.MATERIALS and j.view().materials.item == "elderly_preferential_card"
    j.handle(Back())
    assert j.state is State.ITEMS


def test_two_pages_to_see_are_counted_among_themselves() -> None:
    j = journey()
    j.handle(CardInserted(_elder()))
    for code in ("elderly_preferential_card", "pension_qualification", "elderly_allowance"):
        j.handle(Tap(code))
    j.handle(Next())
    assert j.view().title.zh == "所需材料（第1项/共2项）" and j.view().materials.item == "elderly_preferential_card"
    j.handle(Next())
    assert j.view().title.zh == "所需材料（第2项/共2项）" and j.view().materials.item == "elderly_allowance"
    j.handle(Next())
    assert j.state is State.FORM


def test_an_agent_with_a_registered_authorization_skips_a_page_with_nothing_to_do() -> None:
    j = journey()
    j.handle(Tap("business"))
    j.handle(Tap("proxy"))
    j.handle(CardInserted(_adult()))
    j.handle(CardInserted(_elder()))
    assert j.state is State.ITEMS
    j.handle(Tap("ss_card_loss"))  # the ID card is its one material: the person's card was read
    eff = j.handle(Next())
    assert j.state is State.PROXY_CHECKING
    auth = Authorization("auth-1", ["*"], dt.date(2026, 1, 1), dt.date(2027, 1, 1), "registered")
    answer(j, eff, "find_authorization", auth)
    assert j.state is State.FORM and j.session is not None and j.session.agent is not None
    j.handle(Back())
    assert j.state is State.ITEMS  # the check in flight is not a place to return to, nor the skipped page


def test_the_known_phone_is_asked_once_when_the_person_is_known() -> None:
    j = journey()
    eff = j.handle(CardInserted(_elder()))
    assert [e.data["id_number"] for e in eff if e.kind == "known_phone"] == [ELDER_ID]
    answer(j, eff, "known_phone", "13800138000")  # arrives while the items are chosen
    j.handle(Tap("pension_qualification"))
    assert [e.kind for e in j.handle(Next())] == []  # not asked again on the way to the form
    assert j.state is State.FORM and j.offers_known_phone()


def test_the_review_names_only_what_a_skipped_page_would_have_said() -> None:
    j = journey()
    j.handle(CardInserted(_elder()))
    j.handle(Tap("elderly_preferential_card"))  # its page was shown (the ID card ticked, the photo to hand in)
    j.handle(Next())
    assert j.state is State.MATERIALS
    j.handle(Next())
    j.handle(Next("13800138000"))
    j.handle(Tap("0"))
    j.handle(Next())
    assert j.state is State.REVIEW
    assert "不用交的材料" not in [k.zh for k, _ in j.view().rows]
