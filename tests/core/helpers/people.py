"""Test roster (staff and volunteers with argon2 PIN hashes) and a settable clock, shared by the core tests."""

from __future__ import annotations

import datetime as dt
import json

from argon2 import PasswordHasher

from kiosk.roster import Roster
from kiosk.store.db import Store

PH = PasswordHasher(time_cost=1, memory_cost=8192)  # light parameters keep tests quick; same algorithm
STAFF_PIN = "2468"
VOLUNTEER_PIN = "1357"
STAFF_BADGE = "04:A1:B2:C3:D4:E5:80"
VOLUNTEER_BADGE = "0499AABB"


def roster_body() -> bytes:
    return json.dumps({"version": 3, "members": [
        {"id": "S-007", "role": "staff", "display_name": "李工", "badge_uid": STAFF_BADGE,
         "pin_hash": PH.hash(STAFF_PIN)},
        {"id": "V-101", "role": "volunteer", "display_name": "小周", "badge_uid": VOLUNTEER_BADGE,
         "pin_hash": PH.hash(VOLUNTEER_PIN)},
        {"id": "V-102", "role": "volunteer", "display_name": "小林", "badge_uid": "0411223344", "pin_hash": None},
    ]}).encode()


def cached_roster(store: Store) -> Roster:
    """The roster as the kiosk has it after a pull from the hub."""
    store.cache_put("roster", roster_body())
    return Roster.from_store(store)


class FakeClock:
    def __init__(self, when: dt.datetime | None = None) -> None:
        self.now = when or dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += dt.timedelta(**kw)
