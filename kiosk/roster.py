"""The staff and volunteer roster pulled from the hub: who a badge belongs to, and PIN checks (argon2 hashes).

Roster JSON (hub data set `roster`, cached in `hub_cache`): `{"version": N, "members": [{"id", "role"
(staff|volunteer), "display_name", "badge_uid" (hex), "pin_hash" (argon2)}]}`. PINs never travel in plain.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kiosk.messages import KioskError, Message
from kiosk.session import Helper, HelperRole
from kiosk.store.db import Store

CACHE_NAME = "roster"
MAX_PIN_FAILURES = 5
LOCKOUT_SECONDS = 300.0


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
    """Badge lookup and PIN verification with a lockout after repeated wrong PINs (per member, in memory)."""

    def __init__(self, members: list[Member]) -> None:
        self._by_uid = {_norm_uid(m.badge_uid): m for m in members if m.badge_uid}
        self._by_id = {m.id: m for m in members}
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self._hasher = PasswordHasher()

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
            raise KioskError("badge_unknown", Message("此工牌未登记，请联系大厅管理人员",
                                                      "This badge is not registered; please ask the hall office"))
        return member

    def verify_pin(self, member_id: str, pin: str, *, now: float | None = None) -> Member:
        """Check a member's PIN; five wrong PINs lock that member out for five minutes."""
        now = time.monotonic() if now is None else now
        member = self._by_id.get(member_id)
        with self._lock:
            recent = [t for t in self._failures.get(member_id, []) if now - t < LOCKOUT_SECONDS]
            self._failures[member_id] = recent
            if len(recent) >= MAX_PIN_FAILURES:
                raise KioskError("pin_locked", Message("密码错误次数过多，请5分钟后再试",
                                                       "Too many wrong PINs; please try again in 5 minutes"))
        ok = False
        if member is not None and member.pin_hash:
            try:
                ok = self._hasher.verify(member.pin_hash, pin)
            except (VerificationError, InvalidHashError):
                ok = False
        if not ok:
            with self._lock:
                self._failures.setdefault(member_id, []).append(now)
            raise KioskError("pin_wrong", Message("密码不正确", "The PIN is not correct"))
        with self._lock:
            self._failures.pop(member_id, None)
        return member  # type: ignore[return-value]
