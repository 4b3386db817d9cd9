"""Displays are devices, not people: the hall TV and rating tablets pair once and then hold a `display` session
that opens the calling board and its voice clips, and nothing else.

`kiosk-hub display add NAME [--counter ID]` makes a one-time pairing address `/hall/pair/<code>` (10 minutes);
opening it sets a long-lived display cookie. `kiosk-hub display revoke NAME` ends it at once.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time

from sync.hub.db import HubDB

PAIR_SECONDS = 10 * 60.0
DISPLAY_SESSION_SECONDS = 365 * 24 * 3600.0
NAME = re.compile(r"\A[A-Za-z0-9_.-]{1,40}\Z")
SCHEMA = """
CREATE TABLE IF NOT EXISTS hall_displays (
    name TEXT PRIMARY KEY, counter_id TEXT, pair_hash TEXT, pair_expires DOUBLE PRECISION,
    created_at DOUBLE PRECISION NOT NULL, revoked_at DOUBLE PRECISION
)"""


def _h(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def member_id(name: str) -> str:
    return f"display:{name}"


def add_display(db: HubDB, name: str, counter_id: str | None) -> str:
    """A new one-time pairing code for display `name` (re-adding a display gives a new code); returns it."""
    if not NAME.match(name):
        raise ValueError("display name: letters, digits, _ . - (at most 40)")
    code = secrets.token_urlsafe(18)
    now = time.time()
    with db.transaction():
        db.execute("INSERT INTO hall_displays(name, counter_id, pair_hash, pair_expires, created_at, revoked_at) "
                   "VALUES (?,?,?,?,?,NULL) ON CONFLICT(name) DO UPDATE SET counter_id=excluded.counter_id, "
                   "pair_hash=excluded.pair_hash, pair_expires=excluded.pair_expires, revoked_at=NULL",
                   (name, counter_id, _h(code), now + PAIR_SECONDS, now))
    return code


def redeem(db: HubDB, code: str) -> tuple[str, str | None] | None:
    """(display name, counter) for a valid unused code, which is spent; None otherwise."""
    now = time.time()
    with db.transaction():
        row = db.one("SELECT name, counter_id FROM hall_displays WHERE pair_hash=? AND pair_expires > ? "
                     "AND revoked_at IS NULL" + db.dialect.for_update, (_h(code), now))
        if row is None:
            return None
        db.execute("UPDATE hall_displays SET pair_hash=NULL, pair_expires=NULL WHERE name=?", (row[0],))
    return str(row[0]), row[1]


def revoke_display(db: HubDB, name: str) -> bool:
    """Revoke the display and end its sessions (its open board stream ends within seconds)."""
    with db.transaction():
        row = db.one("SELECT name FROM hall_displays WHERE name=?", (name,))
        if row is None:
            return False
        db.execute("UPDATE hall_displays SET revoked_at=?, pair_hash=NULL, pair_expires=NULL WHERE name=?",
                   (time.time(), name))
        db.execute("DELETE FROM hall_sessions WHERE member_id=? AND role='display'", (member_id(name),))
    return True
