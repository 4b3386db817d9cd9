"""Versioned schema migrations, applied at start after a backup copy of the database file.

`PRAGMA user_version` holds the schema version. Each step is one function run inside one transaction.
Columns ending in `_enc` hold AES-GCM envelopes (see keyring.py); `_hmac` columns hold lookup hashes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]


def _script(conn: sqlite3.Connection, sql: str) -> None:
    # Not executescript(): it COMMITs first, which would break the one-transaction-per-step rule.
    for statement in sql.split(";"):
        if statement.strip():
            conn.execute(statement)


def _v1(conn: sqlite3.Connection) -> None:
    _script(
        conn,
        """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY, started_at TEXT NOT NULL, ended_at TEXT, mode TEXT NOT NULL,
            principal_hmac TEXT, agent_hmac TEXT, helper_id TEXT, end_reason TEXT
        );
        CREATE TABLE transactions (
            id TEXT PRIMARY KEY, session_id TEXT, item_code TEXT NOT NULL, department TEXT NOT NULL,
            created_at TEXT NOT NULL, receipt_no TEXT NOT NULL, applicant_hmac TEXT, mode TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'submitted', payload_enc BLOB NOT NULL
        );
        CREATE INDEX transactions_applicant ON transactions(applicant_hmac);
        CREATE TABLE outbox (
            id TEXT PRIMARY KEY, kind TEXT NOT NULL, record_id TEXT NOT NULL, created_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'sending', 'delivered', 'rejected')),
            attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT NOT NULL, last_error TEXT,
            receipt TEXT, delivered_at TEXT, body_enc BLOB NOT NULL
        );
        CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
        CREATE TABLE tickets (
            id TEXT PRIMARY KEY, number TEXT NOT NULL, created_at TEXT NOT NULL, service_code TEXT,
            priority INTEGER NOT NULL DEFAULT 0, session_id TEXT, status TEXT NOT NULL DEFAULT 'waiting'
        );
        CREATE TABLE authorizations (
            id TEXT PRIMARY KEY, principal_hmac TEXT NOT NULL, agent_hmac TEXT NOT NULL, scope TEXT NOT NULL,
            valid_from TEXT NOT NULL, valid_until TEXT NOT NULL, source TEXT NOT NULL,
            revoked INTEGER NOT NULL DEFAULT 0, data_enc BLOB
        );
        CREATE INDEX authorizations_pair ON authorizations(principal_hmac, agent_hmac);
        CREATE TABLE help_requests (
            id TEXT PRIMARY KEY, created_at TEXT NOT NULL, kind TEXT NOT NULL, session_id TEXT,
            status TEXT NOT NULL DEFAULT 'open', note_enc BLOB
        );
        CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY, ts TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
            detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
        );
        CREATE TABLE hub_cache (
            name TEXT PRIMARY KEY, etag TEXT, fetched_at TEXT NOT NULL, body BLOB NOT NULL
        );
        """
    )


def _v2(conn: sqlite3.Connection) -> None:
    # Help requests gain a priority flag (green channel) and tickets a lane, for the priority service.
    # sqlite-utils writes the ALTERs; not its create_index(), which COMMITs and would split this step. Imported
    # here, only when an old database is migrated: it loads numpy, dateutil and click.
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    db.table("help_requests").add_column("priority", int, not_null_default=0)
    db.table("tickets").add_column("lane", str, not_null_default="normal")
    conn.execute("CREATE INDEX tickets_created ON tickets(created_at)")


def _v3(conn: sqlite3.Connection) -> None:
    # Volunteers and staff (issue 10): hall-wide ticket numbers with double-tap protection, PIN lockouts that
    # survive a restart, paper authorizations, green-channel reasons, difficult cases, the helper on every row.
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    tickets = db.table("tickets")
    tickets.add_column("day", str)  # hall date YYYY-MM-DD; NULL on tickets issued before v3
    tickets.add_column("seq", int)
    tickets.add_column("request_id", str)
    tickets.add_column("kiosk_id", str)
    tickets.add_column("helper_id", str)
    tickets.add_column("elderly", int, not_null_default=0)
    db.table("transactions").add_column("helper_id", str)
    db.table("transactions").add_column("batch_id", str)
    db.table("help_requests").add_column("helper_id", str)
    db.table("authorizations").add_column("confirmed_by", str)
    _script(
        conn,
        """
        CREATE UNIQUE INDEX tickets_day_number ON tickets(day, number) WHERE day IS NOT NULL;
        CREATE UNIQUE INDEX tickets_request ON tickets(request_id) WHERE request_id IS NOT NULL;
        CREATE TABLE pin_lockouts (
            member_id TEXT PRIMARY KEY, failures INTEGER NOT NULL DEFAULT 0, last_failure_at TEXT,
            locked_until TEXT
        );
        CREATE TABLE priority_confirmations (
            id TEXT PRIMARY KEY, session_id TEXT NOT NULL, confirmed_by TEXT NOT NULL, created_at TEXT NOT NULL,
            reason_enc BLOB NOT NULL
        );
        CREATE TABLE difficult_cases (
            id TEXT PRIMARY KEY, created_at TEXT NOT NULL, session_id TEXT, item_code TEXT, step TEXT NOT NULL,
            reason TEXT NOT NULL, ticket_id TEXT NOT NULL, helper_id TEXT, phone_enc BLOB
        )
        """,
    )


MIGRATIONS: list[Migration] = [_v1, _v2, _v3]
LATEST = len(MIGRATIONS)

# Every encrypted column, for key rotation: (table, primary key column, encrypted column).
ENCRYPTED_COLUMNS: list[tuple[str, str, str]] = [
    ("transactions", "id", "payload_enc"),
    ("outbox", "id", "body_enc"),
    ("authorizations", "id", "data_enc"),
    ("help_requests", "id", "note_enc"),
    ("priority_confirmations", "id", "reason_enc"),
    ("difficult_cases", "id", "phone_enc"),
]
