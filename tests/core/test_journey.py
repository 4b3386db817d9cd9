"""The journey's rules without Qt: every path a person or a device can take, refusals in plain words that
create nothing, the tap count to a submitted pension certification, and random event sequences (hypothesis)
that never crash and never leave a previous visitor's data after the visit ends."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.catalog.loader import load_bundled_catalog
from kiosk.codes.verdict import CodeFormat, Verdict, VerdictKind
from kiosk.identity import CardType, IdentityRecord
from kiosk.journey import (
    Back,
    Badge,
    CallHelp,
    CardError,
    CardInserted,
    CardRemoved,
    CodeScanned,
    DeviceStatus,
    Difficult,
    GreenChannel,
    Home,
    Idle,
    Journey,
    JourneySettings,
    Next,
    Result,
    SignOut,
    State,
    Tap,
    Timeout,
)
from kiosk.journey.diagram import edges, mermaid
from kiosk.journey.flows.batch import BatchPart
from kiosk.journey.flows.citizen import CitizenPart
from kiosk.journey.flows.proxy import ProxyPart
from kiosk.journey.flows.staff import StaffPart
from kiosk.journey.machine import GLOBAL, TABLE
from kiosk.journey.states import SCREEN, Effect
from kiosk.journey.texts import PROMPTS
from kiosk.messages import KioskError, Message
from kiosk.roster import Member
from kiosk.session import EndReason, HelperRole, Mode

CATALOG = load_bundled_catalog()
NOW = dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC)
ELDER_ID = "440106195403151232"  # valid check digit
ADULT_ID = "110105199107080025"
SECOND_ELDER = "11010519491231002X"


def clock() -> dt.datetime:
    return NOW


def person(name: str, number: str, born: dt.date) -> IdentityRecord:
    return IdentityRecord(CardType.RESIDENT, name=name, id_number=number, birth_date=born,
                          valid_until=dt.date(2036, 1, 1))


def elder() -> IdentityRecord:
    return person("李秀英", ELDER_ID, dt.date(1954, 3, 15))


def adult() -> IdentityRecord:
    return person("王小明", ADULT_ID, dt.date(1991, 7, 8))


def badge(uid: str = "04A1B2C3") -> IdentityRecord:
    return IdentityRecord(CardType.BADGE, uid=uid)


STAFF = Member("S001", HelperRole.STAFF, "张三", "04A1B2C3", None)
VOLUNTEER = Member("V001", HelperRole.VOLUNTEER, "李四", "04D4E5F6", None)


def journey(**kw: Any) -> Journey:
    return Journey(CATALOG, JourneySettings(kiosk_id="k01", **kw), clock=clock)


def answer(j: Journey, effects: list[Effect], kind: str, value: Any = None, error: Message | None = None,
           error_kind: str = "") -> list[Effect]:
    [e] = [e for e in effects if e.kind == kind]
    return j.handle(Result(kind, e.token, value, error, error_kind))


def texts_of(j: Journey) -> str:
    """Every word and value the current view would put on screen, both languages."""
    v = j.view()
    parts: list[str] = []
    for f in dataclasses.fields(v):
        parts.append(repr(getattr(v, f.name)))
    return " ".join(parts)


def sign_in(j: Journey, member: Member) -> None:
    eff = j.handle(Badge(member.badge_uid or ""))
    answer(j, eff, "lookup_badge", member)
    assert j.state is State.SIGNIN
    eff = j.handle(Next("2468"))
    answer(j, eff, "sign_in", member.as_helper())


# --- the table ---------------------------------------------------------------------------------------------
def test_every_state_has_a_screen_and_a_row_and_the_drawing_comes_from_the_table() -> None:
    assert set(SCREEN) == set(State)
    assert set(TABLE) == set(State)
    for rules in [*TABLE.values(), GLOBAL]:
        for rule in rules.values():
            assert callable(rule.handler), rule  # the map holds the handlers themselves, never their names
    drawn = mermaid()
    assert drawn.startswith("stateDiagram-v2")
    for a, ev, b in edges():
        assert f"{'any_state' if a == '*' else a} --> {b}: {ev}" in drawn
    with open("docs/journey.md", encoding="utf-8") as f:
        assert drawn in f.read(), "docs/journey.md is stale: python -m kiosk.journey.diagram"


# --- card removal, one place --------------------------------------------------------------------------------
def test_card_removed_on_the_proxy_principal_step_keeps_the_visit() -> None:
    j = journey()
    j.handle(Tap("business"))
    j.handle(Tap("proxy"))
    j.handle(CardInserted(adult()))
    assert j.state is State.PROXY_PRINCIPAL
    assert j.handle(CardRemoved()) == []
    assert j.state is State.PROXY_PRINCIPAL and j.session is not None and j.session.principal is not None


def test_card_removed_while_choosing_ends_the_visit_and_wipes_it() -> None:
    j = journey()
    card = elder()
    j.handle(CardInserted(card))
    assert j.state is State.ITEMS
    session = j.session
    effects = j.handle(CardRemoved())
    assert j.state is State.HOME and j.session is None
    assert session is not None and session.ended is EndReason.CARD_REMOVED and session.principal is None
    assert card.name is None and card.id_number is None  # wiped in place
    assert [e.kind for e in effects] == ["record_session"]
    assert "李" not in texts_of(j) and ELDER_ID not in texts_of(j)


def test_an_answer_for_an_earlier_visit_is_dropped() -> None:
    j = journey()
    eff = j.handle(CardInserted(elder()))  # the known phone is looked up as soon as the person is known
    j.handle(Tap("pension_qualification"))
    j.handle(Next())
    j.handle(Home())
    j.handle(CardInserted(adult()))
    assert answer(j, eff, "known_phone", "13800138000") == []
    assert CitizenPart.of(j.visit).known_phone is None


# --- the tap count ------------------------------------------------------------------------------------------
def _pension(j: Journey, phone_known: bool, *, elderly_first: bool = False) -> int:
    """Taps to a submitted pension certification: the card laid on the home screen (no tap), or first a tap on
    长者专区. The materials page asks nothing (the card is the one material) and is skipped."""
    taps = 0
    if elderly_first:
        j.handle(Tap("elderly"))
        taps += 1
        assert j.state is State.IDENTIFY
    eff = j.handle(CardInserted(elder()))  # no tap: the card goes on the reader
    assert j.state is State.ITEMS and j.view().choices[0].key == "pension_qualification"
    # The hall's phone for this person is asked for at once; its answer is back while they choose.
    answer(j, eff, "known_phone", "13800138000" if phone_known else None)
    j.handle(Tap("pension_qualification"))
    taps += 1
    assert j.view().whose.text == Message("是 李** 本人吗？", "Is this 李**'s card?")
    j.handle(Next())
    taps += 1
    assert j.state is State.FORM  # nothing to hand in: no materials page
    if phone_known:
        assert j.view().title.zh == "138****8000 是您的电话吗？"
        j.handle(Tap("phone_yes"))
        taps += 1
    else:
        taps += 11  # eleven digit keys on the keypad
        j.handle(Next("13912345678"))
        taps += 1
    assert j.state is State.REVIEW
    rows = dict((k.zh, v) for k, v in j.view().rows)
    assert rows["不用交的材料"] == Message("居民身份证", "Resident ID card")  # the skipped page's material, said
    eff = j.handle(Next())
    taps += 1
    assert [e.kind for e in eff] == ["submit"]
    assert j.session is not None and j.session.form_values["phone"] == ("13800138000" if phone_known
                                                                        else "13912345678")
    return taps


def test_pension_certification_in_four_taps_with_a_known_phone_and_fifteen_typed() -> None:
    assert _pension(journey(), True) == 4
    assert _pension(journey(), False) == 15


def test_pension_certification_from_the_seniors_button_in_five_taps() -> None:
    assert _pension(journey(), True, elderly_first=True) == 5
    assert _pension(journey(), False, elderly_first=True) == 16


# --- refusals: plain words, nothing created ------------------------------------------------------------------
def _proxy_to_items(j: Journey) -> None:
    j.handle(Tap("business"))
    j.handle(Tap("proxy"))
    j.handle(CardInserted(adult()))
    j.handle(CardInserted(elder()))
    assert j.state is State.ITEMS


def test_personal_only_item_refuses_any_proxy_plainly() -> None:
    j = journey()
    _proxy_to_items(j)
    assert "pension_qualification" not in [c.key for c in j.view().choices]  # not offered to an agent
    assert j.handle(Tap("pension_qualification")) == []  # and refused if asked anyway
    assert j.visit.selected == [] and "须本人办理" in (j.visit.problem.zh if j.visit.problem else "")


def test_typed_principal_id_is_checksum_validated() -> None:
    j = journey()
    j.handle(Tap("business"))
    j.handle(Tap("proxy"))
    j.handle(CardInserted(adult()))
    j.handle(Tap("type_id"))
    assert j.state is State.PROXY_TYPED
    j.handle(Next(ELDER_ID[:-1] + "9"))
    assert j.state is State.PROXY_TYPED and j.visit.problem is not None and j.visit.proxy_principal is None
    j.handle(Next(ELDER_ID))
    assert j.state is State.ITEMS and j.served_is_elderly()


def test_same_card_twice_in_proxy_is_said_plainly() -> None:
    j = journey()
    j.handle(Tap("business"))
    j.handle(Tap("proxy"))
    j.handle(CardInserted(adult()))
    j.handle(CardInserted(adult()))
    assert j.state is State.PROXY_PRINCIPAL and j.visit.problem is not None and "本人" in j.visit.problem.zh


def _to_proxy_code(j: Journey) -> None:
    _proxy_to_items(j)
    j.handle(Tap("elderly_preferential_card"))
    eff = j.handle(Next())
    assert j.state is State.PROXY_CHECKING
    answer(j, eff, "find_authorization", None)
    assert j.state is State.PROXY_CODE


def _verdict(ok: bool, claims: dict[str, Any] | None = None) -> Verdict:
    """A real kiosk-code verdict (a hand-made stand-in lacked `verdict`, which the health check reads)."""
    kind = VerdictKind.VALID if ok else VerdictKind.INVALID_SIGNATURE
    return Verdict(CodeFormat.KIOSK, kind, Message("码无效", "not valid"), claims=claims)


@pytest.mark.parametrize("verdict", [None, _verdict(False)], ids=["unverifiable", "bad_signature_or_expired"])
def test_a_refused_grant_code_is_said_plainly_and_creates_nothing(verdict: Any) -> None:
    j = journey()
    _to_proxy_code(j)
    eff = j.handle(CodeScanned("KC1:..."))
    after = answer(j, eff, "verify_code", verdict)
    assert after == [] and j.state is State.PROXY_CODE and j.visit.problem is not None
    assert j.session is not None and j.session.mode is not Mode.PROXY


def test_grant_for_another_agent_is_refused() -> None:
    from kiosk.codes.kiosk_codes import id_digest  # noqa: F401  (claims are matched by salted digests)

    j = journey()
    _to_proxy_code(j)
    eff = j.handle(CodeScanned("KC1:..."))
    answer(j, eff, "verify_code", _verdict(True, {"typ": "proxy_grant"}))
    assert j.state is State.PROXY_CODE and j.visit.problem is not None
    assert j.session is not None and j.session.authorization_id is None


def test_paper_authorization_without_a_staff_pin_creates_nothing() -> None:
    from kiosk.authorizations import Authorization

    j = journey()
    _to_proxy_code(j)
    j.handle(Tap("paper"))
    assert j.state is State.PROXY_PAPER and ProxyPart.of(j.visit).paper_stage == "badge"
    assert j.handle(Tap("illness")) == []  # no staff badge yet: said, nothing recorded
    assert j.visit.problem is not None and "工作人员" in j.visit.problem.zh
    eff = j.handle(Badge(VOLUNTEER.badge_uid or ""))
    answer(j, eff, "lookup_badge", VOLUNTEER)  # a volunteer's badge cannot confirm
    assert ProxyPart.of(j.visit).paper_stage == "badge" and j.visit.problem is not None
    eff = j.handle(Badge(STAFF.badge_uid or ""))
    answer(j, eff, "lookup_badge", STAFF)
    assert ProxyPart.of(j.visit).paper_stage == "reason"
    assert j.handle(Tap("illness")) == [] and ProxyPart.of(j.visit).paper_stage == "pin"  # nothing without the PIN
    assert j.handle(Next("")) == [] and j.visit.problem is not None
    eff = j.handle(Next("1111"))
    assert [e.kind for e in eff] == ["confirm_paper"] and eff[0].data["reason"] == "illness"
    assert eff[0].data["member_id"] == "S001" and eff[0].data["items"] == ["elderly_preferential_card"]
    answer(j, eff, "confirm_paper", error=Message("密码不正确", "The PIN is not correct"), error_kind="pin_wrong")
    assert j.state is State.PROXY_PAPER and j.session is not None and j.session.mode is not Mode.PROXY
    eff = j.handle(Next("2468"))
    auth = Authorization("paper-1", ["elderly_preferential_card"], NOW.date(), NOW.date(), "paper")
    after = answer(j, eff, "confirm_paper", auth)
    assert "record_authorization_use" not in [e.kind for e in after]  # confirm_paper records it itself
    assert j.state is State.MATERIALS and j.session is not None and j.session.mode is Mode.PROXY
    assert j.session.authorization_id == "paper-1" and j.session.helper is not None


def test_a_volunteer_asking_for_a_staff_action_is_refused_by_the_core() -> None:
    j = journey()
    sign_in(j, VOLUNTEER)
    assert j.state is State.STAFF_MENU
    assert "priority" not in [c.key for c in j.view().choices] and "batch" in [c.key for c in j.view().choices]
    assert j.handle(Tap("priority")) == [] and j.state is State.STAFF_MENU
    assert j.visit.problem is not None and "工作人员" in j.visit.problem.zh
    assert j.handle(Tap("proxy_paper")) == [] and j.state is State.STAFF_MENU


def test_registered_authorization_goes_on_and_records_its_use_with_the_helper() -> None:
    from kiosk.authorizations import Authorization

    j = journey()
    sign_in(j, VOLUNTEER)
    j.handle(Tap("assist"))
    _proxy_to_items(j)
    j.handle(Tap("elderly_preferential_card"))
    eff = j.handle(Next())
    auth = Authorization("auth-1", ["*"], dt.date(2026, 1, 1), dt.date(2027, 1, 1), "registered")
    eff = answer(j, eff, "find_authorization", auth)
    assert [e.kind for e in eff] == ["record_authorization_use"] and eff[0].data["helper_id"] == "V001"
    assert j.state is State.MATERIALS and j.session is not None
    assert j.session.agent is not None and j.session.agent.id_number == ADULT_ID


# --- sign-in, assisted, priority -----------------------------------------------------------------------------
def test_sign_in_is_discreet_and_the_banner_names_the_helper_on_every_screen() -> None:
    j = journey()
    assert all(c.key not in ("signin", "staff_menu") for c in j.view().choices)
    eff = j.handle(CardInserted(badge()))  # a badge laid on the reader at home
    assert [e.kind for e in eff] == ["lookup_badge"] and j.state is State.HOME
    answer(j, eff, "lookup_badge", STAFF)
    assert j.state is State.SIGNIN and j.view().keypad is not None and j.view().keypad.secret
    j.handle(Next("12"))
    assert j.visit.problem is not None  # too short: said, nothing sent
    eff = j.handle(Next("2468"))
    assert [e.kind for e in eff] == ["sign_in"] and eff[0].data["badge_uid"] == "04A1B2C3"
    answer(j, eff, "sign_in", STAFF.as_helper())
    assert j.state is State.STAFF_MENU and j.helper is not None
    j.handle(Tap("assist"))
    assert j.state is State.HOME and j.view().banner is not None and j.view().banner.zh == "工作人员 张三 协助中"
    j.handle(CardInserted(elder()))
    assert j.view().banner is not None and "建议走绿色通道" in j.view().banner.zh  # age ≥ 60 from the card
    assert j.session is not None and j.session.mode is Mode.ASSISTED and j.session.helper is not None
    j.handle(Tap("pension_qualification"))
    j.handle(Next())
    j.handle(Next())
    j.handle(Next("13800138000"))
    assert j.state is State.REVIEW
    assert j.view().banner is not None and "张三" in j.view().banner.zh
    assert any(label.zh == "协助人员" for label, _ in j.view().rows)
    eff = j.handle(Idle())
    assert j.helper is None and j.view().banner is None  # signed out on idle, audited by the core
    assert [(e.kind, e.data.get("reason")) for e in eff if e.kind == "sign_out"] == [("sign_out", "idle")]


def test_five_wrong_pins_lead_to_the_locked_state() -> None:
    j = journey()
    eff = j.handle(Badge("04A1B2C3"))
    answer(j, eff, "lookup_badge", STAFF)
    eff = j.handle(Next("0000"))
    answer(j, eff, "sign_in", error=Message("密码错误次数过多", "Too many wrong PINs"), error_kind="pin_locked")
    assert j.state is State.SIGNIN_LOCKED and j.helper is None
    j.handle(Tap("home"))
    assert j.state is State.HOME


def test_sign_out_by_button() -> None:
    j = journey()
    sign_in(j, STAFF)
    eff = j.handle(Tap("sign_out"))
    assert j.helper is None and j.state is State.HOME
    assert [(e.kind, e.data["reason"]) for e in eff] == [("sign_out", "button")]


def test_green_channel_by_staff_with_a_reason() -> None:
    j = journey()
    sign_in(j, STAFF)
    j.handle(Tap("priority"))
    assert j.state is State.PRIORITY_CONFIRM and len(j.view().choices) <= 6
    eff = j.handle(Tap("disability"))
    assert [e.kind for e in eff] == ["confirm_priority"] and eff[0].data["staff"].helper_id == "S001"
    assert j.handle(Tap("disability")) == []  # a second tap while it is confirmed does nothing
    eff[0].data["session"].set_mode(Mode.PRIORITY, eff[0].data["staff"])  # what confirm_priority does
    answer(j, eff, "confirm_priority", "conf-1")
    assert j.state is State.IDENTIFY and j.session is not None and j.session.mode is Mode.PRIORITY
    assert StaffPart.of(j.visit).priority_reason == "disability"
    assert "绿色通道" in (j.view().banner.zh if j.view().banner else "")


# --- tickets -------------------------------------------------------------------------------------------------
def test_a_double_tap_takes_one_ticket() -> None:
    j = journey()
    j.handle(Tap("ticket"))
    first = j.handle(Tap("take"))
    second = j.handle(Tap("take"))
    assert [e.kind for e in first] == ["take_ticket"] and second == []
    eff = answer(j, first, "take_ticket", {"ticket_id": "t1", "number": "A0001", "lane": "normal"})
    assert j.state is State.TICKET_DONE and [e.kind for e in eff] == ["print_ticket"]
    assert j.view().big == "A0001"


def test_an_elderly_card_on_the_ticket_screen_asks_for_the_priority_lane() -> None:
    j = journey()
    j.handle(Tap("ticket"))
    eff = j.handle(CardInserted(elder()))
    assert eff[-1].data["lane"] == "priority"


# --- help, difficult case, devices ----------------------------------------------------------------------------
def test_help_never_says_a_volunteer_is_coming_before_a_claim() -> None:
    j = journey(help_desk=Message("一楼大厅东侧", "on the east side of the ground floor"))
    eff = j.handle(CallHelp())
    assert j.state is State.HELP and "正在过来" not in texts_of(j)
    eff = answer(j, eff, "request_help", "h1")
    assert "服务台在一楼大厅东侧" in j.view().prompt.zh and "正在过来" not in texts_of(j)
    eff = answer(j, eff, "poll_help", {"state": "open", "claimed_by": None})
    assert "正在过来" not in texts_of(j)
    answer(j, eff, "poll_help", {"state": "claimed", "claimed_by": "张三"})
    assert j.view().prompt.zh == "志愿者 张三 正在过来"


def test_help_offline_says_where_the_desk_is() -> None:
    j = journey(help_desk=Message("一楼大厅东侧", "on the east side of the ground floor"))
    eff = j.handle(CallHelp())
    eff = answer(j, eff, "request_help", "h1")
    answer(j, eff, "poll_help", error=Message("离线", "offline"))
    assert "一楼大厅东侧" in j.view().prompt.zh and "正在过来" not in texts_of(j)


def test_difficult_case_from_every_screen_after_identification() -> None:
    j = journey()
    assert not j.view().difficult
    j.handle(CardInserted(elder()))
    assert j.view().difficult
    j.handle(Tap("elderly_preferential_card"))  # its materials page asks for a photo
    j.handle(Next())
    j.handle(Difficult())
    assert j.state is State.DIFFICULT_CASE
    assert j.handle(Tap("materials_missing")) == []  # the reason; then the optional phone
    assert [c.key for c in j.view().choices] == ["type_phone", "skip"] and j.view().keypad is None
    eff = j.handle(Tap("skip"))
    assert j.handle(Tap("skip")) == []  # a second tap issues nothing
    assert eff[0].data["item_code"] == "elderly_preferential_card" and eff[0].data["step"] == "materials"
    assert eff[0].data["reason"] == "materials_missing" and eff[0].data["phone"] is None
    answer(j, eff, "record_difficult", {"number": "N0001", "lane": "difficult"})
    assert j.state is State.DIFFICULT_CASE_DONE and j.view().big == "N0001"


def test_a_late_answer_of_another_effect_is_not_taken_for_the_case_ticket() -> None:
    j = journey()
    started = j.handle(CardInserted(adult()))  # record_session "visit_start", answered later by the worker
    j.handle(Difficult())
    j.handle(Tap("other"))
    eff = j.handle(Tap("skip"))
    answer(j, started, "record_session", None)  # arrives while the case is being recorded
    assert j.state is State.DIFFICULT_CASE and j.visit.ticket is None
    answer(j, eff, "record_difficult", {"number": "N0002", "lane": "difficult"})
    assert j.state is State.DIFFICULT_CASE_DONE and j.view().big == "N0002"


def test_reader_down_home_stops_offering_what_needs_a_card() -> None:
    j = journey()
    j.handle(DeviceStatus("card_reader", False, None))
    keys = [c.key for c in j.view().choices]
    assert "business" not in keys and "ticket" in keys
    # said once, in the prompt with what still works (tests/core/test_reader_lost.py)
    assert j.view().banner is None and j.view().prompt.zh.startswith("读卡器暂不可用，请到服务台办理")
    j.handle(Tap("business"))
    assert j.state is State.HOME


def test_identify_does_not_offer_an_eid_code_and_refuses_one_plainly() -> None:
    j = journey()
    j.handle(Tap("business"))
    assert "电子" not in j.view().prompt.zh
    j.handle(CodeScanned("HC1:..."))
    assert j.state is State.IDENTIFY and j.visit.problem is not None and "身份证" in j.visit.problem.zh


def test_expired_card_refused_plainly() -> None:
    j = journey()
    j.handle(Tap("business"))
    old = person("陈", ADULT_ID, dt.date(1991, 7, 8))
    old.valid_until = dt.date(2020, 1, 1)
    j.handle(CardInserted(old))
    assert j.state is State.IDENTIFY and j.visit.problem is not None and old.id_number is None


def test_batch_asks_the_phone_once_then_adds_each_person() -> None:
    from kiosk.batch import BatchEntry, BatchSummary

    j = journey()
    sign_in(j, VOLUNTEER)
    j.handle(Tap("batch"))
    assert j.state is State.BATCH_ITEM and "pension_qualification" in [c.key for c in j.view().choices]
    j.handle(Tap("pension_qualification"))
    assert j.state is State.BATCH_TYPED and BatchPart.of(j.visit).typing == "phone"
    j.handle(Next("123"))
    assert j.visit.problem is not None and j.state is State.BATCH_TYPED
    eff = j.handle(Next("02012345678"))
    assert [e.kind for e in eff] == ["batch_start"] and eff[0].data["form_values"] == {"phone": "02012345678"}
    answer(j, eff, "batch_start", "pension_qualification")
    assert j.state is State.BATCH_LIST and j.view().next is None  # nothing to finish yet
    card = elder()
    eff = j.handle(CardInserted(card))
    assert [e.kind for e in eff] == ["batch_add"]
    answer(j, eff, "batch_add", BatchEntry("李**", "4401**********1232", True, None))
    eff = j.handle(CardInserted(elder()))
    answer(j, eff, "batch_add", BatchEntry("李**", "4401**********1232", False, None, "duplicate",
                                           Message("已在这一批中", "already in this batch")))
    assert j.visit.problem is not None and len(BatchPart.of(j.visit).entries) == 2
    j.handle(Tap("type_id"))
    j.handle(Next(SECOND_ELDER[:-1] + "1"))
    assert j.state is State.BATCH_TYPED and j.visit.problem is not None  # checksum: said, nothing sent
    eff = j.handle(Next(SECOND_ELDER))
    answer(j, eff, "batch_add_typed", BatchEntry("", "1101**********002X", True, None))
    assert j.state is State.BATCH_LIST and len(BatchPart.of(j.visit).entries) == 3
    eff = j.handle(Next())
    assert [e.kind for e in eff] == ["batch_finish"] and j.handle(Next()) == []
    done = list(BatchPart.of(j.visit).entries)
    answer(j, eff, "batch_finish", BatchSummary("b1", "pension_qualification", "V001", [done[0], done[2]],
                                                [done[1]]))
    assert j.state is State.BATCH_DONE and j.view().title.zh.endswith("2人已提交")
    j.handle(Next())
    assert j.state is State.STAFF_MENU and BatchPart.of(j.visit).entries == []


def test_step_indicator_and_health_check() -> None:
    j = journey(health_check_required=True)
    j.handle(CardInserted(adult()))
    assert j.state is State.HEALTH and j.view().step == (2, 6)  # card, health, choose, materials, form, review
    eff = j.handle(Tap("staff_id_check"))
    assert j.state is State.HEALTH_WAITING and [e.kind for e in eff] == ["request_help"]
    j.handle(CardRemoved())  # the citizen takes the card back for the staff badge
    assert j.state is State.HEALTH_WAITING
    eff = j.handle(Badge("04A1B2C3"))
    answer(j, eff, "lookup_badge", STAFF)
    assert j.state is State.CATEGORIES and j.session is not None and j.session.health_check == "id_card_staff"


def test_a_kiosk_whose_reader_reads_no_badges_offers_no_staff_confirmation() -> None:
    """A GA 467 SAM reader reads ID cards only: no badge can sign staff in or confirm anything here, so the screens
    that end with a staff badge do not offer it and say plainly why (kiosk.badge.BADGES_NEED_PCSC)."""
    from kiosk.badge import BADGES_NEED_PCSC
    from kiosk.config import KioskConfig

    assert JourneySettings.from_config(KioskConfig(card_reader={"driver": "sam", "port": "/dev/ttyUSB0"})).badges \
        is False
    assert JourneySettings.from_config(KioskConfig(card_reader={"driver": "pcsc"})).badges is True
    j = journey(health_check_required=True, badges=False)
    j.handle(CardInserted(adult()))
    view = j.view()
    assert j.state is State.HEALTH and {c.key for c in view.choices} & {"staff_id_check", "paper_proof"} == set()
    assert "读不了工作人员的工作证" in view.prompt.zh and "cannot read staff badges" in view.prompt.en
    assert j.handle(Tap("staff_id_check")) == [] and j.state is State.HEALTH  # no call for a check nobody can end
    assert j.visit.problem == BADGES_NEED_PCSC
    j = journey(badges=False)
    _to_proxy_code(j)
    assert "paper" not in {c.key for c in j.view().choices} and "volunteer" in {c.key for c in j.view().choices}
    assert "服务台" in j.view().prompt.zh
    j.handle(Tap("paper"))
    assert j.state is State.PROXY_CODE and j.visit.problem == BADGES_NEED_PCSC
    j = journey()  # a PC/SC kiosk keeps both
    _to_proxy_code(j)
    assert "paper" in {c.key for c in j.view().choices} and "工作证" not in j.view().prompt.zh
def test_health_check_without_a_code_scanner_offers_only_what_works_here() -> None:
    # `scanner.driver = none`: the screen says plainly there is no scanner and never asks for a code at the camera;
    # the staff check and the paper proof stay, and still pass the check.
    j = journey(health_check_required=True, code_scanner=False)
    j.handle(CardInserted(adult()))
    assert j.state is State.HEALTH
    v = j.view()
    assert v.prompt == PROMPTS["health_no_scanner"]
    assert "扫码器" in v.prompt.zh and "no code scanner" in v.prompt.en
    assert "摄像头" not in texts_of(j) and "camera" not in texts_of(j)
    assert [c.key for c in v.choices] == ["staff_id_check", "paper_proof"]
    eff = j.handle(Tap("paper_proof"))
    assert j.state is State.HEALTH_WAITING and [e.kind for e in eff] == ["request_help"]
    eff = j.handle(Badge("04A1B2C3"))
    answer(j, eff, "lookup_badge", STAFF)
    assert j.state is State.CATEGORIES and j.session is not None and j.session.health_check == "paper_proof"


def test_health_check_with_a_broken_scanner_says_so_and_with_a_working_one_asks_for_the_code() -> None:
    j = journey(health_check_required=True)  # a scanner is configured
    j.handle(CardInserted(adult()))
    assert j.view().prompt == PROMPTS["health"]  # the camera is asked for only where it can read
    j.handle(DeviceStatus("scanner", False, None))
    v = j.view()
    assert v.prompt.zh.startswith("扫码器暂不可用") and "camera" not in v.prompt.en
    assert [c.key for c in v.choices] == ["staff_id_check", "paper_proof"]
    j.handle(DeviceStatus("scanner", True, None))
    assert j.view().prompt == PROMPTS["health"]


def test_no_scanner_and_no_badge_reader_says_where_to_go_and_never_asks_for_a_code() -> None:
    # A SAM reader (no badges) and `scanner.driver = none`: neither a code nor a staff check can end the health check
    # or the proxy code step here, so neither screen asks for a code or offers a badge-confirmed way.
    from kiosk.badge import BADGES_NEED_PCSC

    j = journey(health_check_required=True, code_scanner=False, badges=False)
    j.handle(CardInserted(adult()))
    v = j.view()
    assert j.state is State.HEALTH and {c.key for c in v.choices} & {"staff_id_check", "paper_proof"} == set()
    assert "摄像头" not in v.prompt.zh and "camera" not in v.prompt.en
    assert "不能扫健康码" in v.prompt.zh and BADGES_NEED_PCSC.zh in v.prompt.zh
    j = journey(code_scanner=False)
    _to_proxy_code(j)
    v = j.view()
    assert "摄像头" not in v.prompt.zh and "camera" not in v.prompt.en and "不能扫代办授权码" in v.prompt.zh
    assert {c.key for c in v.choices} == {"paper", "volunteer"}
    j = journey(code_scanner=False, badges=False)
    _to_proxy_code(j)
    v = j.view()
    assert {c.key for c in v.choices} == {"volunteer"} and "camera" not in v.prompt.en
    assert BADGES_NEED_PCSC.en.rstrip(".") in v.prompt.en
    j = journey()  # a scanner that works: the code is asked for
    _to_proxy_code(j)
    assert "摄像头" in j.view().prompt.zh


def test_journey_settings_know_whether_a_scanner_is_configured() -> None:
    from kiosk.config import KioskConfig

    assert JourneySettings.from_config(KioskConfig()).code_scanner is False  # the default: none
    assert JourneySettings.from_config(KioskConfig(scanner={"driver": "camera"})).code_scanner is True


# --- random sequences ------------------------------------------------------------------------------------------
_KEYS = ["business", "print", "elderly", "ticket", "volunteer", "proxy", "type_id", "take", "paper", "illness",
         "staff_menu", "assist", "priority", "batch", "sign_out", "home", "disability", "materials_missing",
         "pension_qualification", "elderly_preferential_card", "pension", "phone_yes", "phone_no", "0", "1",
         "staff_id_check", "remove:0", "skip", "type_phone"]
_RESULT_KINDS = ["lookup_badge", "sign_in", "find_authorization", "verify_code", "submit", "take_ticket",
                 "request_help", "poll_help", "known_phone", "record_difficult", "confirm_paper", "confirm_priority",
                 "batch_start", "batch_add", "batch_add_typed", "batch_finish",
                 # answered with nothing: they must never be taken for another effect's answer
                 "record_session", "sign_out", "record_authorization_use"]


def _event(draw: Any) -> Any:
    kind = draw(st.sampled_from(["card", "elder", "badge", "removed", "tap", "next", "back", "home", "help",
                                 "difficult", "idle", "timeout", "signout", "scan", "device", "result", "card_error",
                                 "green"]))
    if kind == "card":
        return CardInserted(adult())
    if kind == "elder":
        return CardInserted(elder())
    if kind == "badge":
        return Badge("04A1B2C3")
    if kind == "removed":
        return CardRemoved()
    if kind == "tap":
        return Tap(draw(st.sampled_from(_KEYS)))
    if kind == "next":
        return Next(draw(st.sampled_from(["", "2468", "13800138000", ELDER_ID, "12"])))
    if kind == "scan":
        return CodeScanned("HC1:x")
    if kind == "device":
        return DeviceStatus("card_reader", draw(st.booleans()), None)
    if kind == "card_error":
        return CardError(Message("读卡失败", "read failed"))
    if kind == "result":
        return ("result", draw(st.sampled_from(_RESULT_KINDS)), draw(st.booleans()))
    return {"back": Back(), "home": Home(), "help": CallHelp(), "difficult": Difficult(), "idle": Idle(),
            "timeout": Timeout(), "signout": SignOut(), "green": GreenChannel()}[kind]


def _value_for(kind: str) -> Any:
    from kiosk.authorizations import Authorization

    return {"lookup_badge": STAFF, "verify_code": _verdict(True, {}),
            "find_authorization": Authorization("a", ["*"], dt.date(2026, 1, 1), dt.date(2027, 1, 1), "registered"),
            "submit": [], "take_ticket": {"number": "A0001", "lane": "normal"}, "request_help": "h1",
            "poll_help": {"state": "claimed", "claimed_by": "张三"}, "known_phone": "13800138000",
            "record_difficult": {"number": "N0001", "lane": "difficult"},
            "sign_in": STAFF.as_helper(), "confirm_paper": Authorization("p", ["*"], dt.date(2026, 1, 1),
                                                                         dt.date(2026, 12, 31), "paper"),
            "confirm_priority": "c1", "batch_start": "pension_qualification",
            "batch_add": _entry(), "batch_add_typed": _entry(), "batch_finish": _summary(),
            "record_session": None, "sign_out": None, "record_authorization_use": None}[kind]


def _entry() -> Any:
    from kiosk.batch import BatchEntry

    return BatchEntry("李**", "4401**********1232", True, None)


def _summary() -> Any:
    from kiosk.batch import BatchSummary

    return BatchSummary("b1", "pension_qualification", "S001", [_entry()], [])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_event_sequences_never_crash_nor_leak_a_previous_visitor(data: Any) -> None:
    j = journey(health_check_required=data.draw(st.booleans()))
    pending: list[Effect] = []
    for _ in range(data.draw(st.integers(1, 40))):
        ev = _event(data.draw)
        if isinstance(ev, tuple):
            _, kind, ok = ev
            matching = [e for e in pending if e.kind == kind]
            if not matching:
                continue
            eff = matching[-1]
            res = Result(kind, eff.token, _value_for(kind) if ok else None,
                         None if ok else Message("失败", "failed"), "" if ok else "pin_wrong")
            pending += j.handle(res)
            if j.state in (State.TICKET_DONE, State.DIFFICULT_CASE_DONE):
                assert j.visit.ticket is not None and j.view().big, kind
            continue
        try:
            pending += j.handle(ev)
        except KioskError:
            pytest.fail(f"{type(ev).__name__} raised in {j.state}")
        assert j.state in State
        j.view()  # every state renders
        if j.state in (State.TICKET_DONE, State.DIFFICULT_CASE_DONE):
            assert j.visit.ticket is not None and j.view().big
        if j.state is State.DONE:
            assert j.session is not None and j.session.ended is not None
        if isinstance(ev, Home | Idle | CardRemoved) and j.state is State.HOME:
            shown = texts_of(j)
            assert ELDER_ID not in shown and ADULT_ID not in shown and "李秀英" not in shown
            assert "李*" not in shown and "王*" not in shown
            assert j.visit.selected == [] and j.visit.proxy_principal is None and j.session is None
        if isinstance(ev, Idle):
            assert j.helper is None
