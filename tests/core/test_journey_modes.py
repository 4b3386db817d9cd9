"""The green channel opened for a visit under way and the difficult case's optional phone, driven without Qt on a
real store (roster with argon2 PIN hashes, sealed records, audit): staff switch the visit and it goes on where it
was; a volunteer is refused by the core and nothing is created; a case carries the phone sealed, or none."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from kiosk import tickets
from kiosk.catalog.loader import load_bundled_catalog
from kiosk.identity import CardType, IdentityRecord
from kiosk.journey import CardInserted, CardRemoved, Difficult, GreenChannel, Journey, JourneySettings, Next, State, Tap
from kiosk.journey.flows.difficult import DifficultPart
from kiosk.journey.flows.ticket import lane
from kiosk.journey.work import WorkContext
from kiosk.session import Mode
from kiosk.store import open_store
from tests.core.journey_drive import drive

CATALOG = load_bundled_catalog()
ELDER_ID = "440106195403151232"
ADULT_ID = "110105199107080025"
STAFF_BADGE, VOLUNTEER_BADGE = "04A1B2C3", "04D4E5F6"


def _person(name: str, number: str, born: dt.date) -> IdentityRecord:
    return IdentityRecord(CardType.RESIDENT, name=name, id_number=number, birth_date=born,
                          valid_until=dt.date(2036, 1, 1))


def _elder() -> IdentityRecord:
    return _person("陈桂芳", ELDER_ID, dt.date(1954, 3, 15))


def _adult() -> IdentityRecord:
    return _person("林晓雯", ADULT_ID, dt.date(1991, 7, 8))


@pytest.fixture
def store(tmp_path: Path) -> Any:
    s = open_store(tmp_path / "data")
    ph = PasswordHasher()
    body = json.dumps({"version": 1, "members": [
        {"id": "staff-1", "role": "staff", "display_name": "张三", "badge_uid": STAFF_BADGE,
         "pin_hash": ph.hash("2468")},
        {"id": "vol-1", "role": "volunteer", "display_name": "李四", "badge_uid": VOLUNTEER_BADGE,
         "pin_hash": ph.hash("1357")}]})
    s.cache_put("roster", body.encode("utf-8"))
    yield s
    s.close()


def _count(store: Any, table: str) -> int:
    return int(store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def _signed_in(store: Any, ctx: WorkContext, uid: str, pin: str) -> Journey:
    j = Journey(CATALOG, JourneySettings(kiosk_id="k01"))
    drive(j, store, j.handle(CardInserted(IdentityRecord(CardType.BADGE, uid=uid))), ctx)
    assert j.state is State.SIGNIN
    drive(j, store, j.handle(Next(pin)), ctx)
    assert j.state is State.STAFF_MENU and j.helper is not None
    j.handle(Tap("assist"))
    return j


def _to_materials(j: Journey, store: Any, ctx: WorkContext, person: IdentityRecord) -> None:
    """To a materials page that asks something (a residence permit on paper; the phone is its one question). The
    pension certification's page asks nothing once the card is read, and is skipped."""
    j.handle(Tap("business"))
    drive(j, store, j.handle(CardInserted(person)), ctx)
    if j.state is State.CATEGORIES:
        j.handle(Tap("certificates"))
    j.handle(Tap("residence_permit_endorse"))
    drive(j, store, j.handle(Next()), ctx)
    assert j.state is State.MATERIALS


# --- green channel for a visit under way ------------------------------------------------------------------------
def test_staff_switch_a_visit_under_way_and_it_goes_on_where_it_was(store: Any) -> None:
    ctx = WorkContext("k01", CATALOG)
    j = _signed_in(store, ctx, STAFF_BADGE, "2468")
    _to_materials(j, store, ctx, _elder())
    assert j.view().green and j.session is not None and j.session.mode is Mode.ASSISTED
    assert not j.view().help  # staff are at the kiosk: "转绿色通道" takes the volunteer call's place
    j.handle(GreenChannel())
    assert j.state is State.PRIORITY_CONFIRM
    [suggested] = [c.key for c in j.view().choices if c.selected]
    assert suggested == "elderly"  # age ≥ 60 from the card, pre-selected; staff still confirm
    drive(j, store, j.handle(Tap("elderly")), ctx)
    assert j.state is State.MATERIALS and j.session.mode is Mode.PRIORITY
    assert not j.view().green and "绿色通道" in (j.view().banner.zh if j.view().banner else "")
    row = store.conn.execute("SELECT id, session_id, confirmed_by, reason_enc FROM priority_confirmations").fetchone()
    assert row["session_id"] == j.session.id and row["confirmed_by"] == "staff-1"
    assert store.unseal("priority_confirmations", row["id"], row["reason_enc"]) == {"reason": "elderly"}


def test_a_ticket_taken_after_the_switch_goes_to_the_priority_lane(store: Any) -> None:
    ctx = WorkContext("k01", CATALOG)
    j = _signed_in(store, ctx, STAFF_BADGE, "2468")
    _to_materials(j, store, ctx, _adult())  # 35 years old: the normal lane unless switched
    assert lane(j) == "normal"
    j.handle(GreenChannel())
    assert not any(c.selected for c in j.view().choices)  # no age suggestion for a 35-year-old
    drive(j, store, j.handle(Tap("disability")), ctx)
    assert j.state is State.MATERIALS and lane(j) == "priority"
    t = tickets.take_ticket(store, kiosk_id="k01", session=j.session)
    assert t.lane == "priority"


def test_back_from_the_green_channel_changes_nothing(store: Any) -> None:
    from kiosk.journey import Back

    ctx = WorkContext("k01", CATALOG)
    j = _signed_in(store, ctx, STAFF_BADGE, "2468")
    _to_materials(j, store, ctx, _adult())
    j.handle(GreenChannel())
    j.handle(Back())
    assert j.state is State.MATERIALS and j.session is not None and j.session.mode is Mode.ASSISTED
    assert _count(store, "priority_confirmations") == 0


def test_staff_at_the_kiosk_are_never_offered_to_call_a_volunteer(store: Any) -> None:
    """Assisted review with staff signed in (the visit already in the green channel, so no 转绿色通道 either):
    the bar offers no 呼叫志愿者; a volunteer assisting, or a citizen alone, still has it."""
    ctx = WorkContext("k01", CATALOG)
    j = _signed_in(store, ctx, STAFF_BADGE, "2468")
    _to_materials(j, store, ctx, _elder())
    j.handle(GreenChannel())
    drive(j, store, j.handle(Tap("elderly")), ctx)
    drive(j, store, j.handle(Next()), ctx)
    drive(j, store, j.handle(Next("13800138000")), ctx)
    assert j.state is State.REVIEW and j.session is not None and j.session.mode is Mode.PRIORITY
    assert not j.view().green and not j.view().help
    citizen = Journey(CATALOG, JourneySettings(kiosk_id="k01"))
    _to_materials(citizen, store, ctx, _adult())
    assert citizen.view().help
    volunteer = _signed_in(store, ctx, VOLUNTEER_BADGE, "1357")
    _to_materials(volunteer, store, ctx, _adult())
    assert volunteer.view().help


def test_a_volunteer_never_sees_the_green_channel_and_the_core_refuses_it(store: Any) -> None:
    ctx = WorkContext("k01", CATALOG)
    j = _signed_in(store, ctx, VOLUNTEER_BADGE, "1357")
    _to_materials(j, store, ctx, _elder())
    assert not j.view().green and j.view().difficult
    audit_before = _count(store, "audit_log")
    assert j.handle(GreenChannel()) == []  # sent anyway (a stale screen): refused by kiosk.rights.require
    assert j.state is State.MATERIALS and j.session is not None and j.session.mode is Mode.ASSISTED
    problem = j.view().problem
    assert problem is not None and "工作人员" in problem.zh and "staff" in problem.en
    assert j.handle(Tap("elderly")) == []  # a reason tap on the visit's screen does nothing either
    assert _count(store, "priority_confirmations") == 0 and _count(store, "audit_log") == audit_before


def test_a_proxy_visit_keeps_its_mode_no_green_channel(store: Any) -> None:
    ctx = WorkContext("k01", CATALOG)
    j = _signed_in(store, ctx, STAFF_BADGE, "2468")
    j.handle(Tap("business"))
    j.handle(Tap("proxy"))
    drive(j, store, j.handle(CardInserted(_adult())), ctx)  # the agent
    drive(j, store, j.handle(CardInserted(_elder())), ctx)  # the person acted for
    assert j.state in (State.ITEMS, State.CATEGORIES) and not j.view().green
    before = j.state
    assert j.handle(GreenChannel()) == [] and j.state is before
    assert _count(store, "priority_confirmations") == 0


def test_a_citizen_alone_is_refused_the_green_channel(store: Any) -> None:
    ctx = WorkContext("k01", CATALOG)
    j = Journey(CATALOG, JourneySettings(kiosk_id="k01"))
    _to_materials(j, store, ctx, _elder())
    assert not j.view().green
    assert j.handle(GreenChannel()) == [] and j.state is State.MATERIALS
    assert j.view().problem is not None and _count(store, "priority_confirmations") == 0


# --- difficult case with an optional phone -------------------------------------------------------------------------
def test_a_typed_phone_goes_sealed_into_the_case(store: Any) -> None:
    ctx = WorkContext("k01", CATALOG)
    j = Journey(CATALOG, JourneySettings(kiosk_id="k01"))
    _to_materials(j, store, ctx, _adult())
    j.handle(Difficult())
    j.handle(Tap("materials_missing"))
    assert [c.key for c in j.view().choices] == ["type_phone", "skip"] and "不留也可以" in j.view().prompt.zh
    assert j.handle(Next("13900139000")) == []  # no keypad yet: Next does nothing
    j.handle(Tap("type_phone"))
    v = j.view()
    assert v.keypad is not None and v.next is not None and v.choices == ()
    assert j.handle(Next("")) == [] and j.view().problem is not None  # nothing typed: say so, nothing made
    assert j.handle(Next("1380013")) == [] and "不完整" in (j.view().problem.zh if j.view().problem else "")
    assert _count(store, "difficult_cases") == 0
    front = drive(j, store, j.handle(Next("13900139000")), ctx)
    assert j.state is State.DIFFICULT_CASE_DONE and [e.kind for e in front] == ["print_ticket"]
    row = store.conn.execute("SELECT id, step, reason, phone_enc FROM difficult_cases").fetchone()
    assert row["step"] == "materials" and row["reason"] == "materials_missing"
    assert b"13900139000" not in row["phone_enc"]
    assert store.unseal("difficult_cases", row["id"], row["phone_enc"]) == {"phone": "13900139000"}


def test_the_phone_the_visit_has_is_offered_masked_for_one_tap(store: Any) -> None:
    ctx = WorkContext("k01", CATALOG)
    j = Journey(CATALOG, JourneySettings(kiosk_id="k01"))
    _to_materials(j, store, ctx, _elder())
    drive(j, store, j.handle(Next()), ctx)
    assert j.state is State.FORM
    drive(j, store, j.handle(Next("13800138000")), ctx)  # the phone answered on the form
    assert j.state is State.REVIEW
    j.handle(Difficult())
    j.handle(Tap("too_hard"))
    v = j.view()
    assert v.title.zh == "138****8000 是您的电话吗？" and "13800138000" not in repr(v)
    assert [c.key for c in v.choices] == ["phone_yes", "type_phone", "skip"] and v.keypad is None
    drive(j, store, j.handle(Tap("phone_yes")), ctx)
    row = store.conn.execute("SELECT id, step, phone_enc FROM difficult_cases").fetchone()
    assert row["step"] == "review"
    assert store.unseal("difficult_cases", row["id"], row["phone_enc"]) == {"phone": "13800138000"}


def test_another_number_then_back_then_skip_gives_a_case_without_a_phone(store: Any) -> None:
    from kiosk.journey import Back

    ctx = WorkContext("k01", CATALOG)
    j = Journey(CATALOG, JourneySettings(kiosk_id="k01"))
    _to_materials(j, store, ctx, _elder())
    drive(j, store, j.handle(Next()), ctx)
    drive(j, store, j.handle(Next("13800138000")), ctx)
    j.handle(Difficult())
    j.handle(Tap("too_hard"))
    j.handle(Tap("type_phone"))  # "换一个号码"
    assert j.view().keypad is not None and j.view().keypad.value == ""  # the keypad, empty
    j.handle(Back())  # back to the phone choice, then to the reasons: nothing recorded
    assert [c.key for c in j.view().choices] == ["phone_yes", "type_phone", "skip"]
    j.handle(Back())
    assert j.state is State.DIFFICULT_CASE and "too_hard" in [c.key for c in j.view().choices]
    j.handle(Tap("other"))
    drive(j, store, j.handle(Tap("skip")), ctx)  # reason + Skip: one tap more than before
    assert j.state is State.DIFFICULT_CASE_DONE
    row = store.conn.execute("SELECT reason, phone_enc FROM difficult_cases").fetchone()
    assert row["reason"] == "other" and row["phone_enc"] is None
    body = store.conn.execute("SELECT id, body_enc FROM outbox WHERE kind='difficult_case'").fetchone()
    assert "phone" not in store.unseal("outbox", body[0], body[1])
    assert DifficultPart.of(j.visit).reason is None


# --- batch: whose card was read -------------------------------------------------------------------------------------
def test_every_card_read_in_a_batch_is_named_masked_as_it_is_read(store: Any) -> None:
    """A volunteer with several people's cards can tell which one was just read: each card read is listed with
    its masked name and number the moment it is read (a typed number has no name: its masked number only)."""
    ctx = WorkContext("k01", CATALOG)
    j = _signed_in(store, ctx, VOLUNTEER_BADGE, "1357")
    j.handle(Tap("staff_menu"))
    j.handle(Tap("batch"))
    drive(j, store, j.handle(Tap("pension_qualification")), ctx)
    if j.state is State.BATCH_TYPED:  # the batch's contact phone first
        drive(j, store, j.handle(Next("02012345678")), ctx)
    assert j.state is State.BATCH_LIST
    people = [_elder(), _person("王建国", "11010519491231002X", dt.date(1949, 12, 31)), _adult()]
    for n, card in enumerate(people, start=1):
        drive(j, store, j.handle(CardInserted(card)), ctx)
        drive(j, store, j.handle(CardRemoved()), ctx)
        shown = [k.zh for k, _ in j.view().rows]
        assert shown[-1].startswith(f"{n}. ") and shown[-1].split()[1] == {1: "陈**", 2: "王**", 3: "林**"}[n]
    assert not any(name in repr(j.view()) for name in ("陈桂芳", "王建国", "林晓雯"))
