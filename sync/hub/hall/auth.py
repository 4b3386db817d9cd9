"""Sign-in for staff and volunteers: roster id + PIN (argon2, the kiosks' roster), sessions, CSRF, roles.

Five wrong PINs lock the member for 15 minutes, counted in the database (so every hub process sees it). The
session cookie is HttpOnly, SameSite=Strict, and Secure under TLS; only its hash is stored. Every
state-changing request carries the session's CSRF token in `X-CSRF-Token`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kiosk.roster import Roster
from sync.hub.hall.service import HallError, Person
from sync.hub.service import Hub

COOKIE = "hall_session"
MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60.0
SESSION_SECONDS = 12 * 3600.0  # one working day
ROLES = ("staff", "volunteer")

_hasher = PasswordHasher()
# Verified against when the member is unknown, so an unknown id costs the same time as a wrong PIN.
_DUMMY_HASH = _hasher.hash("not-a-pin")


def _h(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Auth:
    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.db = hub.db

    def _member(self, member_id: str) -> Any:
        found = self.hub.dataset("roster")
        if found is None:
            return None
        try:
            roster = Roster.parse(found[0])
        except (ValueError, KeyError, TypeError):
            return None
        return roster.member(member_id)

    def login(self, member_id: str, pin: str) -> tuple[Person, str, str]:
        """(person, session token, csrf token); HallError 401 on a wrong id/PIN, 423 while locked."""
        now = time.time()
        row = self.db.one("SELECT failures, locked_until FROM hall_pin_failures WHERE member_id=?", (member_id,))
        if row is not None and row[1] is not None and row[1] > now:
            minutes = max(1, int((row[1] - now + 59) // 60))
            raise HallError(423, f"密码错误次数过多，请 {minutes} 分钟后再试",
                            f"Too many wrong PINs; try again in {minutes} minutes")
        member = self._member(member_id)
        ok = False
        try:
            ok = _hasher.verify(member.pin_hash if member is not None and member.pin_hash else _DUMMY_HASH, pin)
        except (VerificationError, InvalidHashError):
            ok = False
        ok = ok and member is not None and member.role.value in ROLES
        if not ok:
            self._failed(member_id, now)
            raise HallError(401, "工号或密码不正确", "Member id or PIN is not correct")
        with self.db.transaction() as db:
            db.execute("DELETE FROM hall_pin_failures WHERE member_id=?", (member_id,))
            db.execute("DELETE FROM hall_sessions WHERE expires_at < ?", (now,))
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
            person = Person(member.id, member.role.value, member.display_name or member.id)
            db.execute("INSERT INTO hall_sessions(token_hash, member_id, role, display_name, csrf_token, created_at, "
                       "expires_at) VALUES (?,?,?,?,?,?,?)",
                       (_h(token), person.member_id, person.role, person.display_name, csrf, now,
                        now + SESSION_SECONDS))
        return person, token, csrf

    def _failed(self, member_id: str, now: float) -> None:
        with self.db.transaction() as db:
            row = db.one("SELECT failures, locked_until FROM hall_pin_failures WHERE member_id=?"
                         + db.dialect.for_update, (member_id,))
            failures = 1 if row is None or (row[1] is not None and row[1] <= now) else int(row[0]) + 1
            locked = now + LOCK_SECONDS if failures >= MAX_FAILURES else None
            db.execute("INSERT INTO hall_pin_failures(member_id, failures, locked_until) VALUES (?,?,?) "
                       "ON CONFLICT(member_id) DO UPDATE SET failures=excluded.failures, "
                       "locked_until=excluded.locked_until", (member_id, failures, locked))

    def session(self, token: str | None) -> tuple[Person, str] | None:
        """(person, csrf token) of a live session cookie."""
        if not token:
            return None
        row = self.db.one("SELECT member_id, role, display_name, csrf_token FROM hall_sessions "
                          "WHERE token_hash=? AND expires_at > ?", (_h(token), time.time()))
        if row is None:
            return None
        return Person(row[0], row[1], row[2]), row[3]

    def logout(self, token: str) -> None:
        with self.db.transaction() as db:
            db.execute("DELETE FROM hall_sessions WHERE token_hash=?", (_h(token),))


def csrf_ok(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())
