"""Hub storage over SQLite (default) or PostgreSQL (by URL): one connection per thread, portable SQL.

SQL is written once with `?` placeholders; for PostgreSQL they become `%s`. Transactions are explicit. The
schema is versioned (`hub_schema`): `init_schema` runs the steps a database has not had yet, in order.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sync.hub.crypto import Sealer

# Version 1: the schema as first shipped (bodies in plain text). Later versions are steps in `_STEPS`.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS kiosks (
    name TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS records (
    seq {serial}, idem_key TEXT NOT NULL UNIQUE, kiosk_id TEXT NOT NULL, kind TEXT NOT NULL,
    record_id TEXT NOT NULL, body_sha256 TEXT NOT NULL, body TEXT NOT NULL, receipt_no TEXT,
    received_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_kiosk ON records(kiosk_id, kind);
CREATE INDEX IF NOT EXISTS records_received ON records(received_at);
CREATE TABLE IF NOT EXISTS heartbeats (
    kiosk_id TEXT PRIMARY KEY, received_at TEXT NOT NULL, body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS datasets (
    name TEXT PRIMARY KEY, body TEXT NOT NULL, etag TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS authorizations (
    seq {serial}, id TEXT NOT NULL UNIQUE, body TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS signing_keys (
    kid TEXT PRIMARY KEY, alg TEXT NOT NULL, private_pem TEXT NOT NULL, public_pem TEXT NOT NULL,
    created_at TEXT NOT NULL, retired_at TEXT, publish_until TEXT, last_code_exp TEXT
);
CREATE TABLE IF NOT EXISTS code_registry (
    code_hash TEXT PRIMARY KEY, issuer TEXT NOT NULL, status TEXT NOT NULL, expires_at TEXT, info TEXT NOT NULL
)
"""


_V2_TABLES = """
CREATE TABLE IF NOT EXISTS hub_audit (
    seq {serial}, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL
)
"""


def _seal_column(db: HubDB, sealer: Sealer, table: str, pk: str, old: str, new: str, *,
                 plain_test: Callable[[str], bool] | None = None) -> int:
    """Add `new`, seal every value of `old` into it (bound to the row), then drop `old`. Returns rows sealed."""
    db.execute(f"ALTER TABLE {table} ADD COLUMN {new} TEXT")
    count = 0
    for row_id, value in db.query(f"SELECT {pk}, {old} FROM {table}"):
        db.execute(f"UPDATE {table} SET {new}=? WHERE {pk}=?",
                   (sealer.seal(table, new, str(row_id), str(value).encode("utf-8")), row_id))
        count += 1
    db.execute(f"ALTER TABLE {table} DROP COLUMN {old}")
    return count


def _step_2_seal_personal_data(db: HubDB, sealer: Sealer) -> int:
    """Bodies, authorizations, registry info and signing private keys sealed; hub-side audit table."""
    for statement in _V2_TABLES.format(serial=db.serial).split(";"):
        if statement.strip():
            db.execute(statement)
    n = _seal_column(db, sealer, "records", "idem_key", "body", "body_enc")
    n += _seal_column(db, sealer, "authorizations", "id", "body", "body_enc")
    n += _seal_column(db, sealer, "code_registry", "code_hash", "info", "info_enc")
    n += _seal_column(db, sealer, "signing_keys", "kid", "private_pem", "private_enc")
    return n


def _step_3_keyed_body_digest(db: HubDB, sealer: Sealer) -> int:
    """The body's plain SHA-256 (a fingerprint of personal data) replaced by a keyed hash for replay checks."""
    db.execute("ALTER TABLE records ADD COLUMN body_hmac TEXT")
    count = 0
    for key, sealed in db.query("SELECT idem_key, body_enc FROM records"):
        body = sealer.unseal("records", "body_enc", str(key), sealed)
        db.execute("UPDATE records SET body_hmac=? WHERE idem_key=?", (sealer.body_mac(body), key))
        count += 1
    db.execute("ALTER TABLE records DROP COLUMN body_sha256")
    return count


# Step k (1-based after the base schema) brings a database from version k to k+1; returns rows rewritten.
_STEPS: list[Callable[[HubDB, Sealer], int]] = [_step_2_seal_personal_data, _step_3_keyed_body_digest]
LATEST = 1 + len(_STEPS)


def _private_file(path: Path) -> None:
    """The database file readable by its owner only (0600), created so before SQLite opens it; SQLite gives
    its -wal and -shm files the database file's mode. A wider existing file is narrowed."""
    import os

    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    for side in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if side.exists():
            side.chmod(0o600)


def utcnow_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


class HubDB:
    """A database URL (`sqlite:///path`, a plain path, or `postgresql://…`) and per-thread connections."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_pg = url.startswith(("postgresql://", "postgres://"))
        if not self.is_pg:
            path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url
            self.path = Path(path)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _private_file(self.path)
        self._local = threading.local()
        self._all: list[Any] = []
        self._all_lock = threading.Lock()

    def __repr__(self) -> str:  # never print a password from the URL
        return f"HubDB({'postgresql' if self.is_pg else 'sqlite'})"

    # --- connections ------------------------------------------------------------------------------
    def _connect(self) -> Any:
        if self.is_pg:
            import psycopg

            conn = psycopg.connect(self.url, autocommit=True)
        else:
            conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=30.0, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA secure_delete=ON")  # freed pages are zeroed, not left holding old values
        with self._all_lock:
            self._all.append(conn)
        return conn

    @property
    def conn(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None or (self.is_pg and conn.closed):
            conn = self._local.conn = self._connect()
        return conn

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.is_pg else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(self._sql(sql), tuple(params))

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.execute(sql, params).fetchall())

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        return self.execute(sql, params).fetchone()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[HubDB]:
        """BEGIN (IMMEDIATE on SQLite, so writers queue instead of failing) … COMMIT, or ROLLBACK on error."""
        conn = self.conn
        conn.execute("BEGIN" if self.is_pg else "BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @property
    def serial(self) -> str:
        return "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY" if self.is_pg else "INTEGER PRIMARY KEY AUTOINCREMENT"

    def holds_sealed_data(self) -> bool:
        """True when the database already has values sealed with some data key (schema 2 or later, rows)."""
        try:
            row = self.one("SELECT version FROM hub_schema")
            if row is None or int(row[0]) < 2:
                return False
            return any(self.one(f"SELECT 1 FROM {t} LIMIT 1") for t in ("records", "authorizations",
                                                                           "code_registry", "signing_keys"))
        except Exception:  # no such table: a new or version-1 database
            return False

    def init_schema(self, sealer: Sealer, *, target: int = LATEST) -> int:
        """Create or upgrade the schema to `target` in one transaction; returns the rows rewritten on the way.

        A database with data in plain text (version 1) has it sealed; the space those values used is then
        scrubbed (VACUUM), so the plain text does not linger in free pages.
        """
        rewritten = 0
        with self.transaction():
            if self.is_pg:
                # Two hub processes starting together must not race on CREATE TABLE or on the upgrade.
                self.execute("SELECT pg_advisory_xact_lock(4242)")
            for statement in _SCHEMA.format(serial=self.serial).split(";"):
                if statement.strip():
                    self.execute(statement)
            self.execute("CREATE TABLE IF NOT EXISTS hub_schema (version INTEGER NOT NULL)")
            row = self.one("SELECT version FROM hub_schema")
            version = int(row[0]) if row else 1
            if row is None:
                self.execute("INSERT INTO hub_schema(version) VALUES (1)")
            for step in range(version, target):
                rewritten += _STEPS[step - 1](self, sealer)
                self.execute("UPDATE hub_schema SET version=?", (step + 1,))
        if rewritten:
            self.scrub()
        return rewritten

    def scrub(self) -> None:
        """Rewrite the storage so values replaced or dropped leave no copy behind (after sealing, rotation)."""
        if self.is_pg:
            for table in ("records", "authorizations", "code_registry", "signing_keys"):
                self.execute(f"VACUUM FULL {table}")
        else:
            self.execute("VACUUM")
            self.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        with self._all_lock:
            conns, self._all = self._all, []
        for conn in conns:
            with contextlib.suppress(Exception):
                conn.close()
        self._local = threading.local()
