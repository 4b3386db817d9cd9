"""Session state machine: modes, principal/agent/helper, idle, and the wipe at the end."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.identity import CardType, IdentityRecord
from kiosk.messages import KioskError
from kiosk.session import EndReason, Helper, HelperRole, Mode, Session


class FakeClock:
    """A settable clock (time itself cannot be paused; this is the injectable clock the core uses)."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def _person(name: str, number: str, born: dt.date) -> IdentityRecord:
    return IdentityRecord(CardType.RESIDENT, name=name, id_number=number, birth_date=born,
                          photo=bytearray(b"\x01" * 64))


def test_elderly_at_session_date() -> None:
    clock = FakeClock()
    s = Session(clock=clock)
    s.identify(_person("李老伯", "11010519491231002X", dt.date(1949, 12, 31)))
    assert s.is_elderly
    s2 = Session(clock=clock, elderly_age=80)
    s2.identify(_person("李老伯", "11010519491231002X", dt.date(1949, 12, 31)))
    assert not s2.is_elderly


def test_idle_after_configured_time() -> None:
    clock = FakeClock()
    s = Session(clock=clock, idle_seconds=60)
    clock.now += dt.timedelta(seconds=59)
    assert not s.is_idle()
    clock.now += dt.timedelta(seconds=1)
    assert s.is_idle()
    s.touch()
    assert not s.is_idle()


def test_proxy_records_principal_and_agent() -> None:
    s = Session()
    agent = _person("王小明", "440106199001010014", dt.date(1990, 1, 1))
    principal = _person("王老太", "11010519491231002X", dt.date(1949, 12, 31))
    s.identify(agent)
    s.start_proxy(principal, "auth-1")
    assert s.mode is Mode.PROXY and s.principal is principal and s.agent is agent
    assert s.authorization_id == "auth-1"


def test_assisted_and_priority_need_the_right_helper() -> None:
    s = Session()
    with pytest.raises(KioskError) as exc:
        s.set_mode(Mode.ASSISTED)
    assert exc.value.kind == "helper_required"
    s.set_mode(Mode.ASSISTED, Helper("V-001", HelperRole.VOLUNTEER))
    with pytest.raises(KioskError) as exc:
        s.set_mode(Mode.PRIORITY)
    assert exc.value.kind == "staff_required"
    s.set_mode(Mode.PRIORITY, Helper("S-007", HelperRole.STAFF))
    assert s.mode is Mode.PRIORITY and s.helper and s.helper.helper_id == "S-007"


def test_end_wipes_personal_data() -> None:
    s = Session()
    rec = _person("张三", "11010519491231002X", dt.date(1949, 12, 31))
    photo = rec.photo
    s.identify(rec)
    s.select_items(["pension_qualification"])
    s.set_form_value("phone", "13800138000")
    s.end(EndReason.IDLE)
    assert s.principal is None and s.form_values == {} and s.selected_items == []
    assert rec.name is None and rec.id_number is None and rec.photo is None
    assert photo is not None and not any(photo)  # the photo buffer was zeroed in place
    with pytest.raises(KioskError):
        s.identify(rec)


def test_health_check_by_staff_needs_a_helper() -> None:
    s = Session()
    with pytest.raises(KioskError) as exc:
        s.record_health_check("paper_proof")
    assert exc.value.kind == "helper_required"
    s.record_health_check("paper_proof", Helper("S-1", HelperRole.STAFF))
    assert s.health_check == "paper_proof"
    s.end(EndReason.DONE)
    assert s.health_check is None
