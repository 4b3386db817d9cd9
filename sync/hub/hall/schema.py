"""The hall's own tables (tickets, counters, help requests, cases, people's sessions, PIN and source lockouts,
events).

Created idempotently on SQLite and PostgreSQL next to the hub's tables; times are epoch seconds (float8).
"""

from __future__ import annotations

import time

from sync.hub.db import HubDB
from sync.hub.hall.clock import SCHEMA as CLOCK_SCHEMA
from sync.hub.hall.displays import SCHEMA as DISPLAYS_SCHEMA
from sync.hub.hall.undo import SCHEMA as UNDO_SCHEMA

_TABLES = """
CREATE TABLE IF NOT EXISTS hall_tickets (
    ticket_id TEXT PRIMARY KEY, number TEXT NOT NULL, lane TEXT NOT NULL, kiosk_id TEXT NOT NULL,
    service_code TEXT, elderly INTEGER NOT NULL DEFAULT 0, day TEXT, created_at DOUBLE PRECISION NOT NULL,
    arrived_at DOUBLE PRECISION NOT NULL, waiting_since DOUBLE PRECISION NOT NULL, state TEXT NOT NULL,
    counter_id TEXT, called_at DOUBLE PRECISION, announced_at DOUBLE PRECISION, recalls INTEGER NOT NULL DEFAULT 0,
    finished_at DOUBLE PRECISION, transfers INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS hall_tickets_state ON hall_tickets(state, lane, waiting_since);
CREATE TABLE IF NOT EXISTS hall_counters (
    counter_id TEXT PRIMARY KEY, priority_streak INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS hall_help (
    help_request_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL,
    arrived_at DOUBLE PRECISION NOT NULL, elderly INTEGER NOT NULL DEFAULT 0, screen TEXT, item_code TEXT,
    state TEXT NOT NULL, claimed_by TEXT, claimed_name TEXT, claimed_at DOUBLE PRECISION,
    resolved_at DOUBLE PRECISION
);
CREATE INDEX IF NOT EXISTS hall_help_state ON hall_help(state, created_at);
CREATE TABLE IF NOT EXISTS hall_cases (
    case_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL,
    arrived_at DOUBLE PRECISION NOT NULL, elderly INTEGER NOT NULL DEFAULT 0, item_code TEXT, step TEXT,
    reason TEXT, reason_zh TEXT, reason_en TEXT, number TEXT, state TEXT NOT NULL, assigned_to TEXT,
    assigned_name TEXT, closed_at DOUBLE PRECISION
);
CREATE TABLE IF NOT EXISTS hall_case_notes (
    id {serial}, case_id TEXT NOT NULL, at DOUBLE PRECISION NOT NULL, author TEXT NOT NULL,
    author_name TEXT NOT NULL, text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS hall_sessions (
    token_hash TEXT PRIMARY KEY, member_id TEXT NOT NULL, role TEXT NOT NULL, display_name TEXT NOT NULL,
    csrf_token TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL, expires_at DOUBLE PRECISION NOT NULL
);
CREATE TABLE IF NOT EXISTS hall_pin_guesses (
    member_id TEXT NOT NULL, source TEXT NOT NULL, failures INTEGER NOT NULL, locked_until DOUBLE PRECISION,
    last_at DOUBLE PRECISION, PRIMARY KEY (member_id, source)
);
CREATE TABLE IF NOT EXISTS hall_source_failures (
    source TEXT PRIMARY KEY, failures INTEGER NOT NULL, last_at DOUBLE PRECISION NOT NULL,
    not_before DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS hall_source_failures_last ON hall_source_failures(last_at);
CREATE TABLE IF NOT EXISTS hall_events (
    seq {serial}, at DOUBLE PRECISION NOT NULL, topic TEXT NOT NULL, data TEXT NOT NULL
)
"""


def init_hall_schema(db: HubDB) -> None:
    """Create the hall tables if missing (safe to run from several hub processes at once)."""
    with db.transaction():
        db.dialect.schema_lock(db, 4243)  # two processes starting together: one creates
        for statement in _TABLES.format(serial=db.dialect.serial).split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute(CLOCK_SCHEMA)
        db.execute(DISPLAYS_SCHEMA)
        db.execute(UNDO_SCHEMA)
        # Hubs from before failures were counted per source kept them per member only: that count is dropped
        # (a lock in force lifts; nobody is locked out by the upgrade).
        db.execute("DROP TABLE IF EXISTS hall_pin_failures")
        # Live-update rows (SQLite) only matter for a moment; the dispatcher prunes them while pages are open.
        db.execute("DELETE FROM hall_events WHERE at < ?", (time.time() - 3600,))

