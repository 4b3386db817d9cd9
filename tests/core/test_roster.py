"""Sign-in with badge + PIN: badges resolve to roster members only; argon2 PINs; five wrong PINs lock the badge
for 15 minutes, persisted in the store (survives a restart) and audited without the PIN."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import audit
from kiosk.messages import KioskError
from kiosk.roster import LOCKOUT, MAX_PIN_FAILURES, Roster, lock_state, sign_in, sign_out, verify_member_pin
from kiosk.session import HelperRole
from kiosk.store import open_store
from kiosk.store.db import Store
from tests.core.helpers.people import (
    STAFF_BADGE,
    STAFF_PIN,
    VOLUNTEER_BADGE,
    VOLUNTEER_PIN,
    FakeClock,
    cached_roster,
    roster_body,
)


def _audit(store: Store) -> list[tuple[str, str, str]]:
    return [(r["actor"], r["action"], r["detail"]) for r in store.conn.execute("SELECT * FROM audit_log ORDER BY seq")]


def test_badge_resolves_to_member() -> None:
    roster = Roster.parse(roster_body())
    m = roster.member_for_badge("04a1b2c3d4e580")
    assert m.id == "S-007" and m.as_helper().role is HelperRole.STAFF
    with pytest.raises(KioskError) as exc:
        roster.member_for_badge("DEADBEEF")
    assert exc.value.kind == "badge_unknown" and exc.value.message.zh


def test_sign_in_with_badge_and_pin(store: Store) -> None:
    roster = cached_roster(store)
    helper = sign_in(store, roster, VOLUNTEER_BADGE, VOLUNTEER_PIN)
    assert (helper.helper_id, helper.role, helper.display_name) == ("V-101", HelperRole.VOLUNTEER, "小周")
    sign_out(store, helper, "idle")
    assert [(a, b) for a, b, _ in _audit(store)] == [("volunteer:V-101", "sign_in"), ("volunteer:V-101", "sign_out")]
    with pytest.raises(KioskError) as exc:
        sign_in(store, roster, "DEADBEEF", "1234")
    assert exc.value.kind == "badge_unknown"
    with pytest.raises(KioskError) as exc:
        sign_in(store, roster, "0411223344", "1234")
    assert exc.value.kind == "pin_not_set"


def test_five_wrong_pins_lock_for_15_minutes_then_unlock(store: Store) -> None:
    roster, clock = cached_roster(store), FakeClock()
    for i in range(MAX_PIN_FAILURES - 1):
        with pytest.raises(KioskError) as exc:
            sign_in(store, roster, STAFF_BADGE, "0000", clock=clock)
        left = MAX_PIN_FAILURES - 1 - i
        assert exc.value.kind == "pin_wrong"
        assert f"还可以再试{left}次" in exc.value.message.zh and f"{left} attempt" in exc.value.message.en
        clock.advance(seconds=20)
    with pytest.raises(KioskError) as exc:
        sign_in(store, roster, STAFF_BADGE, "0000", clock=clock)
    assert exc.value.kind == "pin_locked" and "15分钟" in exc.value.message.zh and "15 minutes" in exc.value.message.en
    clock.advance(minutes=14)
    with pytest.raises(KioskError) as exc:  # right PIN, still locked; says how long
        sign_in(store, roster, STAFF_BADGE, STAFF_PIN, clock=clock)
    assert exc.value.kind == "pin_locked" and "1分钟" in exc.value.message.zh and "1 minute" in exc.value.message.en
    # Another member is not affected.
    assert sign_in(store, roster, VOLUNTEER_BADGE, VOLUNTEER_PIN, clock=clock).helper_id == "V-101"
    clock.advance(minutes=1)
    assert sign_in(store, roster, STAFF_BADGE, STAFF_PIN, clock=clock).helper_id == "S-007"
    assert lock_state(store, "S-007", clock=clock).failures == 0
    log = _audit(store)
    assert [b for a, b, _ in log if a == "staff:S-007"] == ["pin_failed"] * 5 + ["pin_locked", "pin_refused_locked",
                                                                                  "sign_in"]
    assert not any(STAFF_PIN in d or "0000" in d for _, _, d in log)  # never the PIN, right or wrong
    assert audit.verify(store) == []


def test_lockout_survives_a_restart(data_dir: Path) -> None:
    clock = FakeClock()
    store = open_store(data_dir)
    roster = cached_roster(store)
    for _ in range(MAX_PIN_FAILURES):
        with pytest.raises(KioskError):
            sign_in(store, roster, VOLUNTEER_BADGE, "9999", clock=clock)
    store.close()
    again = open_store(data_dir)  # the kiosk restarted
    with pytest.raises(KioskError) as exc:
        sign_in(again, Roster.from_store(again), VOLUNTEER_BADGE, VOLUNTEER_PIN, clock=clock)
    assert exc.value.kind == "pin_locked"
    clock.now += LOCKOUT
    assert sign_in(again, Roster.from_store(again), VOLUNTEER_BADGE, VOLUNTEER_PIN, clock=clock).helper_id == "V-101"
    again.close()


def test_old_slips_do_not_add_up_and_success_resets(store: Store) -> None:
    roster, clock = cached_roster(store), FakeClock()
    for _ in range(4):
        with pytest.raises(KioskError):
            verify_member_pin(store, roster, "V-101", "1111", clock=clock)
    clock.advance(minutes=16)  # a long pause: the run of failures is over
    with pytest.raises(KioskError) as exc:
        verify_member_pin(store, roster, "V-101", "1111", clock=clock)
    assert exc.value.kind == "pin_wrong" and lock_state(store, "V-101", clock=clock).failures == 1
    verify_member_pin(store, roster, "V-101", VOLUNTEER_PIN, clock=clock)
    for _ in range(4):
        with pytest.raises(KioskError) as exc:
            verify_member_pin(store, roster, "V-101", "1111", clock=clock)
    assert exc.value.kind == "pin_wrong"  # 4 after the success, not 5


def test_no_roster_pulled_means_nobody_signs_in(store: Store) -> None:
    assert len(Roster.from_store(store)) == 0
    with pytest.raises(KioskError) as exc:
        sign_in(store, Roster.from_store(store), STAFF_BADGE, STAFF_PIN)
    assert exc.value.kind == "badge_unknown"
