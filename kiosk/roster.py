"""The staff and volunteer roster pulled from the hub, and signing in with badge + PIN.

Roster JSON (hub data set `roster`, cached in `hub_cache`): `{"version": N, "members": [{"id", "role"
(staff|volunteer), "display_name", "badge_uid" (hex)}]}`. The hub never sends PIN material: the badge checks
the PIN itself (kiosk.badge, drivers/badge_pin.py). A locally made roster (demo, tests) may still carry an
argon2 "pin_hash", checked here.
Five wrong PINs in a row lock that member for 15 minutes; the count lives in the store (`pin_lockouts`), so a
restart does not reset it, and every failure and lock is audited (never the PIN).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk import audit
from kiosk.badge import BadgeVerifier, badge_pin_refused
from kiosk.clock import Clock, system_clock
from kiosk.locale import phrase
from kiosk.messages import KioskError
from kiosk.session import Helper, HelperRole
from kiosk.store.db import Store

if TYPE_CHECKING:
    from argon2 import PasswordHasher

CACHE_NAME = "roster"
MAX_PIN_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Member:
    id: str
    role: HelperRole
    display_name: str
    badge_uid: str | None
    pin_hash: str | None

    def as_helper(self) -> Helper:
        return Helper(self.id, self.role, self.display_name)


def _norm_uid(uid: str) -> str:
    return uid.replace(":", "").replace(" ", "").upper()


class Roster:
    """Who a badge belongs to, and whether a PIN matches a member's argon2 hash (no lockout here: see sign_in)."""

    def __init__(self, members: list[Member]) -> None:
        self._by_uid = {_norm_uid(m.badge_uid): m for m in members if m.badge_uid}
        self._by_id = {m.id: m for m in members}
        self._hasher: PasswordHasher | None = None  # made on the first PIN check (argon2 imported then)

    @classmethod
    def parse(cls, body: bytes | str) -> Roster:
        data = json.loads(body)
        members = []
        for m in data.get("members", []):
            members.append(Member(str(m["id"]), HelperRole(m["role"]), str(m.get("display_name", "")),
                                  m.get("badge_uid"), m.get("pin_hash")))
        return cls(members)

    @classmethod
    def from_store(cls, store: Store) -> Roster:
        """The last roster pulled from the hub; none pulled yet means nobody can sign in as staff."""
        row = store.cache_get(CACHE_NAME)
        return cls.parse(row["body"]) if row is not None else cls([])

    def __len__(self) -> int:
        return len(self._by_id)

    def member_for_badge(self, uid: str) -> Member:
        member = self._by_uid.get(_norm_uid(uid))
        if member is None:
            raise KioskError("badge_unknown", phrase("roster.badge_unknown"))
        return member

    def member(self, member_id: str) -> Member | None:
        return self._by_id.get(member_id)

    def pin_matches(self, member: Member, pin: str) -> bool:
        """argon2 check (tens of milliseconds: call from a worker thread)."""
        from argon2 import PasswordHasher
        from argon2.exceptions import InvalidHashError, VerificationError

        if not member.pin_hash:
            return False
        if self._hasher is None:
            self._hasher = PasswordHasher()
        try:
            return self._hasher.verify(member.pin_hash, pin)
        except (VerificationError, InvalidHashError):
            return False


@dataclass(frozen=True)
class LockState:
    failures: int  # wrong PINs in a row so far
    locked_until: dt.datetime | None

    def locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def minutes_left(self, now: dt.datetime) -> int:
        until = self.locked_until
        if until is None or now >= until:
            return 0
        return max(1, math.ceil((until - now).total_seconds() / 60))

    @property
    def attempts_left(self) -> int:
        return max(0, MAX_PIN_FAILURES - self.failures)


def _parse(ts: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(ts) if ts else None


def lock_state(store: Store, member_id: str, *, clock: Clock = system_clock) -> LockState:
    """The member's wrong-PIN count and lock; an expired lock or a stale run of failures counts as none."""
    row = store.conn.execute("SELECT failures, last_failure_at, locked_until FROM pin_lockouts WHERE member_id=?",
                             (member_id,)).fetchone()
    if row is None:
        return LockState(0, None)
    now = clock()
    until = _parse(row["locked_until"])
    last = _parse(row["last_failure_at"])
    if until is not None and now >= until:
        return LockState(0, None)  # the period is over: a fresh start
    if until is None and last is not None and now - last >= LOCKOUT:
        return LockState(0, None)  # a few slips long ago do not add up to a lock
    return LockState(int(row["failures"]), until)


def _locked_error(minutes: int) -> KioskError:
    return KioskError("pin_locked",
                      phrase("roster.pin_locked_one" if minutes == 1 else "roster.pin_locked", minutes=minutes),
                      detail=f"minutes_left={minutes}")


def verify_member_pin(store: Store, roster: Roster, member_id: str, pin: str, *, clock: Clock = system_clock,
                      purpose: str = "sign_in", badge: BadgeVerifier | None = None) -> Member:
    """Check a member's PIN: on the badge itself when the roster holds no PIN hash (the hub keeps those) and a
    badge verifier is given, else under the persistent lockout; audits failures, locks and success."""
    member = roster.member(member_id)
    if member is None:
        raise KioskError("badge_unknown", phrase("roster.badge_unknown"))
    actor = f"{member.role.value}:{member.id}"
    if not member.pin_hash and badge is not None:
        ok, tries_left, blocked = badge(pin)  # the card keeps the retry counter (ISO 7816-4 VERIFY)
        if ok:
            audit.append(store, actor, purpose, {"member": member.id, "by": "badge"})
            return member
        audit.append(store, actor, "pin_failed", {"member": member.id, "tries_left": tries_left,
                                                  "blocked": blocked, "purpose": purpose, "by": "badge"})
        raise badge_pin_refused(tries_left, blocked)
    now = clock()
    state = lock_state(store, member.id, clock=clock)
    if state.locked(now):
        audit.append(store, actor, "pin_refused_locked", {"member": member.id, "purpose": purpose})
        raise _locked_error(state.minutes_left(now))
    if not member.pin_hash:
        raise KioskError("pin_not_set", phrase("roster.pin_not_set"))
    if roster.pin_matches(member, pin):  # outside the write lock: argon2 is slow on purpose
        with store.transaction() as c:
            c.execute("DELETE FROM pin_lockouts WHERE member_id=?", (member.id,))
            audit.append(store, actor, purpose, {"member": member.id})
        return member
    with store.transaction() as c:
        state = lock_state(store, member.id, clock=clock)  # another attempt may have landed meanwhile
        failures = state.failures + 1
        until = now + LOCKOUT if failures >= MAX_PIN_FAILURES else None
        c.execute("INSERT INTO pin_lockouts(member_id, failures, last_failure_at, locked_until) VALUES (?,?,?,?) "
                  "ON CONFLICT(member_id) DO UPDATE SET failures=excluded.failures, "
                  "last_failure_at=excluded.last_failure_at, locked_until=excluded.locked_until",
                  (member.id, failures, now.isoformat(), until.isoformat() if until else None))
        audit.append(store, actor, "pin_failed", {"member": member.id, "failures": failures, "purpose": purpose})
        if until is not None:
            audit.append(store, actor, "pin_locked", {"member": member.id, "until": until.isoformat()})
    if until is not None:
        raise _locked_error(math.ceil(LOCKOUT.total_seconds() / 60))
    left = MAX_PIN_FAILURES - failures
    raise KioskError("pin_wrong", phrase("roster.pin_wrong_one" if left == 1 else "roster.pin_wrong", left=left),
                     detail=f"attempts_left={left}")


def sign_in(store: Store, roster: Roster, badge_uid: str, pin: str, *, clock: Clock = system_clock,
            badge: BadgeVerifier | None = None) -> Helper:
    """A volunteer or staff member signs in at the kiosk: badge on the reader, then PIN on the keypad."""
    try:
        member = roster.member_for_badge(badge_uid)
    except KioskError:
        audit.append(store, "unknown", "badge_unknown", {"badge": store.lookup_hash(_norm_uid(badge_uid))})
        raise
    return verify_member_pin(store, roster, member.id, pin, clock=clock, purpose="sign_in", badge=badge).as_helper()


def sign_out(store: Store, helper: Helper, reason: str = "button") -> None:
    """Signed out by the button or after the idle time; audited."""
    if reason not in ("button", "idle"):
        raise ValueError(reason)
    audit.append(store, audit.actor_for(helper), "sign_out", {"member": helper.helper_id, "reason": reason})
