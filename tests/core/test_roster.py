"""Staff/volunteer roster: badges resolve to roster members only; PINs checked against argon2 hashes, with lockout."""

from __future__ import annotations

import json

import pytest
from argon2 import PasswordHasher

from kiosk.messages import KioskError
from kiosk.roster import LOCKOUT_SECONDS, MAX_PIN_FAILURES, Roster
from kiosk.session import HelperRole

PH = PasswordHasher(time_cost=1, memory_cost=8192)  # light parameters keep the test quick; same algorithm


def _body() -> bytes:
    return json.dumps({"version": 3, "members": [
        {"id": "S-007", "role": "staff", "display_name": "李工", "badge_uid": "04:A1:B2:C3:D4:E5:80",
         "pin_hash": PH.hash("2468")},
        {"id": "V-101", "role": "volunteer", "display_name": "小周", "badge_uid": "0499AABB",
         "pin_hash": PH.hash("1357")},
    ]}).encode()


def test_badge_resolves_to_member() -> None:
    roster = Roster.parse(_body())
    m = roster.member_for_badge("04a1b2c3d4e580")
    assert m.id == "S-007" and m.as_helper().role is HelperRole.STAFF
    with pytest.raises(KioskError) as exc:
        roster.member_for_badge("DEADBEEF")
    assert exc.value.kind == "badge_unknown" and exc.value.message.zh


def test_pin_checked_and_locked_after_repeated_failures() -> None:
    roster = Roster.parse(_body())
    assert roster.verify_pin("V-101", "1357", now=0).id == "V-101"
    for i in range(MAX_PIN_FAILURES):
        with pytest.raises(KioskError) as exc:
            roster.verify_pin("V-101", "0000", now=float(i))
        assert exc.value.kind == "pin_wrong"
    with pytest.raises(KioskError) as exc:
        roster.verify_pin("V-101", "1357", now=10.0)  # right PIN, but locked
    assert exc.value.kind == "pin_locked"
    assert roster.verify_pin("V-101", "1357", now=LOCKOUT_SECONDS + 10).id == "V-101"


def test_unknown_member_and_no_roster(store) -> None:
    with pytest.raises(KioskError):
        Roster.parse(_body()).verify_pin("X-1", "1234", now=0)
    assert len(Roster.from_store(store)) == 0
    store.cache_put("roster", _body())
    assert len(Roster.from_store(store)) == 2
