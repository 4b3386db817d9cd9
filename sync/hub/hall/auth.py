"""Sign-in for staff and volunteers: roster id + 6-digit PIN, checked here against argon2 hashes that never
leave the hub (sync/hub/members.py), sessions, CSRF, roles.

Guesses are counted in the database before the PIN is checked, in one atomic statement per count, so no burst over
any number of hub processes gets more than five against one member from one source address. The lock-out cannot
be turned on others: five wrong PINs lock that member *from that source* for 15 minutes; only a member-wide count
of 20 within 24 h (from several sources, still 50 000 times fewer than the 10^6 six-digit PINs) locks the member
everywhere. Either lifts after 15 minutes or at once with `kiosk-hub member unlock ID`; failures older than 24 h are
forgotten. An unknown id stores nothing and costs the same argon2 check. Each source address that keeps failing
waits longer and longer (429), counted in the database so every hub process sees the same count.
A session's rights are read from the current roster on every request: removed → signed out, demoted → the new
role. The session cookie is HttpOnly, SameSite=Strict, and Secure under TLS; only its hash is stored. Every
state-changing request carries the session's CSRF token in `X-CSRF-Token`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from sync.hub.db import HubDB
from sync.hub.hall.basics import HallError, Person
from sync.hub.members import PIN
from sync.hub.service import Hub

COOKIE = "hall_session"
MAX_FAILURES = 5  # per member and source address
MEMBER_MAX_FAILURES = 20  # per member over all sources, within DECAY_SECONDS
ANY_SOURCE = "*"  # the member-wide row's source (never an address)
LOCK_SECONDS = 15 * 60.0
DECAY_SECONDS = 24 * 3600.0
SESSION_SECONDS = 12 * 3600.0  # one working day
ROLES = ("staff", "volunteer")
SOURCE_FREE_FAILURES = 10  # wrong sign-ins one address may make before it has to wait
SOURCE_MAX_DELAY = 300.0
SOURCE_FORGET = 3600.0

_hasher = PasswordHasher()
# Verified against when the member is unknown, so an unknown id costs the same time as a wrong PIN. A roster
# whose hashes were made with other argon2 costs gets a dummy with those costs (`_dummy_like`).
_DUMMY_HASH = _hasher.hash("not-a-pin")


def _dummy_like(members: dict[str, dict[str, Any]]) -> str:
    """A hash of nothing with the argon2 costs the roster's members' hashes have (the most common ones), so an
    unknown id takes as long as a known member's wrong PIN whatever tool made the roster. Found by a probe: a
    roster of cheap hashes answered a known id in 23 ms and an unknown one in 270 ms."""
    from collections import Counter

    from argon2 import extract_parameters

    costs: Counter[tuple[Any, ...]] = Counter()  # Parameters is not hashable: counted by its fields
    found: dict[tuple[Any, ...], Any] = {}
    for m in members.values():
        h = m.get("pin_hash")
        if isinstance(h, str):
            try:
                params = extract_parameters(h)
            except InvalidHashError:
                continue
            key = (params.type, params.version, params.salt_len, params.hash_len, params.time_cost,
                   params.memory_cost, params.parallelism)
            costs[key] += 1
            found[key] = params
    if not costs:
        return _DUMMY_HASH
    return PasswordHasher.from_parameters(found[costs.most_common(1)[0][0]]).hash("not-a-pin")

# One statement reserves a guess on one (member, source) row: a lock that has run out and failures older than a
# day start over; while locked, nothing counts. RETURNING gives this guess's number, so concurrent guesses each
# get their own.
_RESERVE = """
INSERT INTO hall_pin_guesses(member_id, source, failures, locked_until, last_at) VALUES (?, ?, 1, NULL, ?)
ON CONFLICT(member_id, source) DO UPDATE SET
  failures = CASE
    WHEN hall_pin_guesses.locked_until IS NOT NULL AND hall_pin_guesses.locked_until <= ? THEN 1
    WHEN hall_pin_guesses.locked_until IS NULL AND COALESCE(hall_pin_guesses.last_at, 0) < ? THEN 1
    WHEN hall_pin_guesses.locked_until IS NOT NULL THEN hall_pin_guesses.failures
    ELSE hall_pin_guesses.failures + 1 END,
  locked_until = CASE WHEN hall_pin_guesses.locked_until IS NOT NULL AND hall_pin_guesses.locked_until <= ?
    THEN NULL ELSE hall_pin_guesses.locked_until END,
  last_at = ?
RETURNING failures, locked_until
"""

# A source's failure count, one atomic statement on any number of hub processes; an hour's quiet starts it over.
_SOURCE_FAILED = """
INSERT INTO hall_source_failures(source, failures, last_at, not_before) VALUES (?, 1, ?, ?)
ON CONFLICT(source) DO UPDATE SET
  failures = CASE WHEN hall_source_failures.last_at < ? THEN 1 ELSE hall_source_failures.failures + 1 END,
  last_at = ?
RETURNING failures
"""


def _h(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _locked(until: float, now: float) -> HallError:
    minutes = max(1, int((until - now + 59) // 60))
    return HallError(423, f"密码错误次数过多，请 {minutes} 分钟后再试",
                     f"Too many wrong PINs; try again in {minutes} minutes", retry_after=max(1, int(until - now) + 1))


def source_delay(failures: int, free: int = SOURCE_FREE_FAILURES, max_delay: float = SOURCE_MAX_DELAY) -> float:
    """Seconds a source waits after its `failures`-th failure: none for the first `free`, then 1, 2, 4 … max."""
    extra = failures - free
    return min(max_delay, 2.0 ** (extra - 1)) if extra > 0 else 0.0


class SourceThrottle:
    """Per source address, in the database (shared by every hub process): after `free` failures each further one
    doubles the wait (429)."""

    def __init__(self, db: HubDB) -> None:
        self.db = db

    def wait(self, source: str, now: float) -> float:
        row = self.db.one("SELECT last_at, not_before FROM hall_source_failures WHERE source=?", (source,))
        if row is None or now - float(row[0]) > SOURCE_FORGET:
            return 0.0
        return max(0.0, float(row[1]) - now)

    def failed(self, source: str, now: float) -> None:
        with self.db.transaction() as db:
            row = db.one(_SOURCE_FAILED, (source, now, now, now - SOURCE_FORGET, now))
            assert row is not None  # an upsert with RETURNING always answers
            delay = source_delay(int(row[0]))
            # The upsert holds the row (PostgreSQL row lock, SQLite write lock) until commit: the wait only grows.
            db.execute("UPDATE hall_source_failures SET not_before=? WHERE source=? AND not_before < ?",
                       (now + delay, source, now + delay))
            db.execute("DELETE FROM hall_source_failures WHERE last_at < ?", (now - SOURCE_FORGET,))

    def succeeded(self, source: str) -> None:
        with self.db.transaction() as db:
            db.execute("DELETE FROM hall_source_failures WHERE source=?", (source,))


class Auth:
    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.db = hub.db
        self.throttle = SourceThrottle(hub.db)
        self._roster: tuple[str, dict[str, dict[str, Any]]] = ("", {})
        self._dummy = _DUMMY_HASH

    def members(self) -> dict[str, dict[str, Any]]:
        """The current roster by member id (re-read when its ETag changes, so every process follows it)."""
        row = self.db.one("SELECT etag FROM datasets WHERE name='roster'")
        etag = str(row[0]) if row else ""
        if etag != self._roster[0]:
            found = self.hub.datasets.get("roster")
            members: dict[str, dict[str, Any]] = {}
            try:
                for m in json.loads(found[0]).get("members", []) if found else []:
                    if isinstance(m, dict) and isinstance(m.get("id"), str):
                        members[m["id"]] = m
            except (ValueError, AttributeError):
                members = {}
            self._roster = (etag, members)
            self._dummy = _dummy_like(members)
        return self._roster[1]

    def _member(self, member_id: str) -> Person | None:
        m = self.members().get(member_id)
        if m is None or m.get("role") not in ROLES:
            return None
        return Person(member_id, str(m["role"]), str(m.get("display_name") or member_id))

    def login(self, member_id: str, pin: str, source: str = "") -> tuple[Person, str, str]:
        """(person, session token, csrf token); HallError 401 wrong id/PIN, 423 member locked (from this source or
        everywhere), 429 source waits."""
        now = time.time()
        source = source or "?"  # never the member-wide row's "*"
        wait = self.throttle.wait(source, now)
        if wait > 0:
            seconds = int(wait) + 1
            raise HallError(429, f"尝试过于频繁，请 {seconds} 秒后再试", f"Too many attempts; wait {seconds} s",
                            retry_after=seconds)
        if not PIN.match(pin):  # not a guess at any PIN: nothing counted
            raise HallError(401, "密码是 6 位数字", "The PIN is 6 digits")
        m = self.members().get(member_id)
        pin_hash = m.get("pin_hash") if m is not None and m.get("role") in ROLES else None
        if not isinstance(pin_hash, str):
            # Unknown (or no PIN set): nothing stored; the same database round trip and argon2 check as a guess.
            self.db.one("SELECT failures, locked_until FROM hall_pin_guesses WHERE member_id=? AND source IN (?, ?)",
                        (member_id, source, ANY_SOURCE))
            self._verify(self._dummy, pin)
            self.throttle.failed(source, now)
            raise HallError(401, "工号或密码不正确", "Member id or PIN is not correct")
        wide: tuple[Any, ...] | None = None
        with self.db.transaction() as db:
            row = db.one(_RESERVE, (member_id, source, now, now, now - DECAY_SECONDS, now, now))
            assert row is not None
            guess, until = int(row[0]), row[1]
            if (until is None or until <= now) and guess <= MAX_FAILURES:
                # Only a guess this source may make counts member-wide: one source cannot lock the member elsewhere.
                wide = db.one(_RESERVE, (member_id, ANY_SOURCE, now, now, now - DECAY_SECONDS, now, now))
        if until is not None and until > now:
            raise _locked(float(until), now)
        if guess > MAX_FAILURES:
            # Five guesses from here are still being checked (a finished fifth failure would have locked): this
            # burst has had its five. Give this reservation back and ask to retry: if those were right PINs (one
            # member signing in on several screens at once), the retry passes; if wrong, the fifth locks.
            with self.db.transaction() as db:
                db.execute("UPDATE hall_pin_guesses SET failures = failures - 1 WHERE member_id=? AND source=? "
                           "AND failures > 0", (member_id, source))
            raise HallError(429, "正在核对，请 1 秒后再试", "Checking; please try again in 1 s", retry_after=1)
        assert wide is not None
        total, wide_until = int(wide[0]), wide[1]
        if wide_until is not None and wide_until > now:
            raise _locked(float(wide_until), now)
        if total > MEMBER_MAX_FAILURES:
            self._lock(member_id, ANY_SOURCE, now)
            raise _locked(now + LOCK_SECONDS, now)
        if not self._verify(pin_hash, pin):
            if guess >= MAX_FAILURES:
                self._lock(member_id, source, now)
            if total >= MEMBER_MAX_FAILURES:
                self._lock(member_id, ANY_SOURCE, now)
            self.throttle.failed(source, now)
            raise HallError(401, "工号或密码不正确", "Member id or PIN is not correct")
        self.throttle.succeeded(source)
        person = self._member(member_id)
        assert person is not None
        with self.db.transaction() as db:
            db.execute("DELETE FROM hall_pin_guesses WHERE member_id=? AND source=?", (member_id, source))
            # This guess was right: it gives back its member-wide count (the other sources' failures stay).
            db.execute("UPDATE hall_pin_guesses SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END "
                       "WHERE member_id=? AND source=?", (member_id, ANY_SOURCE))
            db.execute("DELETE FROM hall_sessions WHERE expires_at < ?", (now,))
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
            db.execute("INSERT INTO hall_sessions(token_hash, member_id, role, display_name, csrf_token, created_at, "
                       "expires_at) VALUES (?,?,?,?,?,?,?)",
                       (_h(token), person.member_id, person.role, person.display_name, csrf, now,
                        now + SESSION_SECONDS))
        return person, token, csrf

    @staticmethod
    def _verify(pin_hash: str, pin: str) -> bool:
        try:
            return _hasher.verify(pin_hash, pin)
        except (VerificationError, InvalidHashError):
            return False

    def _lock(self, member_id: str, source: str, now: float) -> None:
        with self.db.transaction() as db:
            db.execute("UPDATE hall_pin_guesses SET locked_until=? WHERE member_id=? AND source=? AND "
                       "(locked_until IS NULL OR locked_until <= ?)", (now + LOCK_SECONDS, member_id, source, now))

    def session(self, token: str | None) -> tuple[Person, str] | None:
        """(person, csrf token) of a live session cookie, with the rights the roster gives the member now."""
        if not token:
            return None
        row = self.db.one("SELECT member_id, role, display_name, csrf_token FROM hall_sessions "
                          "WHERE token_hash=? AND expires_at > ?", (_h(token), time.time()))
        if row is None:
            return None
        if row[1] == "display":
            return Person(row[0], "display", row[2]), row[3]
        now = self._member(str(row[0]))
        if now is None:  # removed from the roster: the session ends here, on whichever process sees it
            with self.db.transaction() as db:
                db.execute("DELETE FROM hall_sessions WHERE token_hash=?", (_h(token),))
            return None
        if now.role != row[1] or now.display_name != row[2]:
            with self.db.transaction() as db:
                db.execute("UPDATE hall_sessions SET role=?, display_name=? WHERE token_hash=?",
                           (now.role, now.display_name, _h(token)))
        return now, row[3]

    def display_session(self, name: str) -> tuple[str, str]:
        """A long-lived session for a paired display: (token, csrf)."""
        from sync.hub.hall.displays import DISPLAY_SESSION_SECONDS, member_id

        now = time.time()
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        with self.db.transaction() as db:
            db.execute("INSERT INTO hall_sessions(token_hash, member_id, role, display_name, csrf_token, created_at, "
                       "expires_at) VALUES (?,?,?,?,?,?,?)",
                       (_h(token), member_id(name), "display", name, csrf, now, now + DISPLAY_SESSION_SECONDS))
        return token, csrf

    def logout(self, token: str) -> None:
        with self.db.transaction() as db:
            db.execute("DELETE FROM hall_sessions WHERE token_hash=?", (_h(token),))


def unlock(hub: Hub, member_id: str) -> bool:
    """`kiosk-hub member unlock ID`: forget the member's failures from every source and lift every lock (one
    source's or member-wide); True if there was a lock."""
    with hub.db.transaction() as db:
        rows = db.query("SELECT locked_until FROM hall_pin_guesses WHERE member_id=?", (member_id,))
        db.execute("DELETE FROM hall_pin_guesses WHERE member_id=?", (member_id,))
    return any(r[0] is not None and float(r[0]) > time.time() for r in rows)


def csrf_ok(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())
