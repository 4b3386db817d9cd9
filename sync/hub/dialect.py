"""Every difference between SQLite and PostgreSQL the hub has, in one object per database: SQL spelling, locks,
connections, errors, how events travel and how storage is scrubbed. Code elsewhere asks the dialect, never
which database it is.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, Protocol


class HubDB(Protocol):
    """What a dialect needs of the hub's database (`sync.hub.db.HubDB`), named here so the two files do not import
    each other."""

    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...

    def query(self, sql: str, params: Sequence[Any] = ...) -> list[Any]: ...

    def one(self, sql: str, params: Sequence[Any] = ...) -> Any: ...

# What a driver error means for a request: "down" (the database is gone), "busy" (not now: a lock or a slow
# statement timed out), or None (an SQL error, raised as it is).
Trouble = Literal["down", "busy"] | None


class Dialect:
    """The SQLite/PostgreSQL differences, named by what they do. `name` is for logs and `repr` only."""

    name: str
    serial: str  # an auto-numbered primary key column
    begin: str  # the statement starting a write transaction
    for_update: str  # appended to a SELECT that reads a row it will change ("" where the writer lock suffices)
    check_sql: str  # the cheapest statement that proves a connection works
    notifies: bool  # events travel by LISTEN/NOTIFY (else as rows of hall_events, polled)
    watched: bool  # statements need a client-side deadline (a frozen server never times them out itself)

    def sql(self, sql: str) -> str:
        """SQL written with `?` placeholders, as this driver wants it."""
        return sql

    def connect(self, url: str, timeout_s: float, *, statement_timeout: bool = True) -> Any:
        raise NotImplementedError

    def reusable(self, conn: Any) -> bool:
        """The connection may go back to the pool (open, and not inside a transaction)."""
        raise NotImplementedError

    def trouble(self, exc: BaseException) -> Trouble:
        raise NotImplementedError

    def schema_lock(self, db: HubDB, key: int) -> None:
        """Inside a transaction: hub processes starting together take turns creating or upgrading tables."""

    def lock_if_free(self, db: HubDB, table: str, key_col: str, key: str, where: str = "") -> bool:
        """Inside a transaction: lock the row for this transaction unless another holds it (then False)."""
        return True

    def add_column(self, db: HubDB, table: str, column: str, sql_type: str) -> None:
        """Add a column an older hub's table lacks (names are the hub's own, never input)."""
        if column not in {str(r[1]) for r in db.query(f"PRAGMA table_info({table})")}:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}")

    def publish(self, db: HubDB, channel: str, topic: str, data: str) -> None:
        """Record an event (JSON text) inside the caller's transaction: published only if it commits."""
        raise NotImplementedError

    def scrub(self, db: HubDB, tables: Sequence[str]) -> None:
        """Rewrite storage so values replaced or dropped leave no copy behind."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class SQLiteDialect(Dialect):
    name = "sqlite"
    serial = "INTEGER PRIMARY KEY AUTOINCREMENT"
    begin = "BEGIN IMMEDIATE"  # take the writer lock at once, so writers queue instead of failing
    for_update = ""  # BEGIN IMMEDIATE already holds the one writer lock
    check_sql = "SELECT 1"
    notifies = False
    watched = False  # a local file: busy_timeout bounds every wait
    _BUSY = ("database is locked", "database table is locked")
    _DOWN = ("disk i/o error", "database or disk is full", "unable to open database")

    def __init__(self, path: Path) -> None:
        self.path = path

    def connect(self, url: str, timeout_s: float, *, statement_timeout: bool = True) -> Any:
        conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=timeout_s, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute(f"PRAGMA busy_timeout={int(timeout_s * 1000)}")
            conn.execute("PRAGMA secure_delete=ON")  # freed pages are zeroed, not left holding old values
        except BaseException:
            conn.close()
            raise
        return conn

    def reusable(self, conn: Any) -> bool:
        return not conn.in_transaction

    def trouble(self, exc: BaseException) -> Trouble:
        if not isinstance(exc, sqlite3.OperationalError):
            return None
        text = str(exc).lower()
        if any(t in text for t in self._BUSY):
            return "busy"
        if any(t in text for t in self._DOWN):
            return "down"
        return None

    def publish(self, db: HubDB, channel: str, topic: str, data: str) -> None:
        db.execute(f"INSERT INTO {channel}(at, topic, data) VALUES (?,?,?)", (time.time(), topic, data))

    def scrub(self, db: HubDB, tables: Sequence[str]) -> None:
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class PostgresDialect(Dialect):
    name = "postgresql"
    serial = "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    begin = "BEGIN"
    for_update = " FOR UPDATE"
    check_sql = ""  # an empty query: one round trip, nothing parsed
    notifies = True
    watched = True
    NOTIFY_MAX = 7900  # NOTIFY payloads are capped at 8000 bytes

    def sql(self, sql: str) -> str:
        return sql.replace("?", "%s")

    def connect(self, url: str, timeout_s: float, *, statement_timeout: bool = True) -> Any:
        import psycopg

        ms = int(timeout_s * 1000)
        options = f"-c idle_in_transaction_session_timeout={max(ms * 6, 30000)}"
        if statement_timeout:
            options += f" -c statement_timeout={ms}"
        # Named per process, so pg_stat_activity shows which hub process holds which connections.
        return psycopg.connect(url, autocommit=True, options=options, application_name=f"kiosk-hub/{os.getpid()}",
                               connect_timeout=max(2, math.ceil(timeout_s)))

    def reusable(self, conn: Any) -> bool:
        from psycopg.pq import TransactionStatus

        return not conn.closed and not conn.broken and conn.info.transaction_status == TransactionStatus.IDLE

    def trouble(self, exc: BaseException) -> Trouble:
        import psycopg

        if isinstance(exc, psycopg.errors.QueryCanceled):  # statement_timeout: slow, not gone
            return "busy"
        if isinstance(exc, psycopg.errors.TransactionRollback):  # deadlock, serialization: an SQL outcome
            return None
        if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
            return "down"
        return None

    def schema_lock(self, db: HubDB, key: int) -> None:
        db.execute("SELECT pg_advisory_xact_lock(?)", (key,))

    def add_column(self, db: HubDB, table: str, column: str, sql_type: str) -> None:
        db.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {sql_type}")

    def lock_if_free(self, db: HubDB, table: str, key_col: str, key: str, where: str = "") -> bool:
        cond = f" AND {where}" if where else ""
        return db.one(f"SELECT {key_col} FROM {table} WHERE {key_col}=?{cond} FOR UPDATE SKIP LOCKED",
                      (key,)) is not None

    def publish(self, db: HubDB, channel: str, topic: str, data: str) -> None:
        if len(data.encode("utf-8")) > self.NOTIFY_MAX:  # too big to carry: pages fetch it themselves
            data = json.dumps({"topic": topic, "item": {}, "reload": True})
        db.execute("SELECT pg_notify(?, ?)", (channel, data))

    def scrub(self, db: HubDB, tables: Sequence[str]) -> None:
        for table in tables:
            db.execute(f"VACUUM FULL {table}")


def dialect_for(url: str) -> Dialect:
    """`postgresql://…` (or `postgres://…`) is PostgreSQL; `sqlite:///path` or a plain path is SQLite."""
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresDialect()
    path = Path(url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url)
    path.parent.mkdir(parents=True, exist_ok=True)
    return SQLiteDialect(path)
