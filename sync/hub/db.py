"""Hub storage over SQLite (default) or PostgreSQL (by URL): a bounded connection pool, timeouts, portable SQL.

SQL is written once with `?` placeholders; for PostgreSQL they become `%s`. Transactions are explicit. The
schema is versioned (`hub_schema`): `init_schema` runs the steps a database has not had yet, in order.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sync.hub.availability import Availability, DatabaseUnavailableError, first_line
from sync.hub.dialect import PostgresDialect, SQLiteDialect, dialect_for
from sync.hub.pool import Pool, Watchdog

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

    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:  # not a file we can open (a folder, no rights): opening the database says so, as unavailable
        return
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    for side in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if side.exists():
            side.chmod(0o600)


def utcnow_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


ADMIN_TIMEOUT_S = 600.0


@dataclass(frozen=True)
class DbSettings:
    """How one hub process uses its database: at most `pool_size` connections (plus one listening for hall
    events on PostgreSQL), and no wait on the database longer than `timeout_s` (for a connection, for a
    statement). Set by `kiosk-hub serve --db-pool-size/--db-timeout` or `$KIOSK_HUB_DB_POOL_SIZE`,
    `$KIOSK_HUB_DB_TIMEOUT`; see docs/deploy.md for sizing against `max_connections`."""

    pool_size: int = 10
    timeout_s: float = 5.0

    @classmethod
    def for_admin(cls) -> DbSettings:
        """Admin commands (`kiosk-hub export`, key rotation, set-up): no one waits on a page, and one statement
        over a large hub may take minutes, so only a frozen database is cut off (after ADMIN_TIMEOUT_S)."""
        return cls(pool_size=2, timeout_s=ADMIN_TIMEOUT_S)

    @classmethod
    def from_env(cls, pool_size: int | None = None, timeout_s: float | None = None) -> DbSettings:
        return cls(pool_size=pool_size or int(os.environ.get("KIOSK_HUB_DB_POOL_SIZE", cls.pool_size)),
                   timeout_s=timeout_s or float(os.environ.get("KIOSK_HUB_DB_TIMEOUT", cls.timeout_s)))


@dataclass(frozen=True)
class Rows:
    """A statement's result, read in full before its connection went back to the pool."""

    rows: list[tuple[Any, ...]]
    rowcount: int

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self.rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self.rows[0] if self.rows else None


class HubDB:
    """A database URL (`sqlite:///path`, a plain path, or `postgresql://…`) and a bounded pool of connections.

    A connection is held for one statement, or for one `transaction()` (then every statement of that thread
    uses it), and goes back to the pool right after. Connection failures and timeouts raise
    `DatabaseUnavailableError`; SQL errors are raised as they are.
    """

    def __init__(self, url: str, settings: DbSettings | None = None) -> None:
        self.url = url
        self.settings = settings or DbSettings.from_env()
        self.dialect = dialect_for(url)
        if isinstance(self.dialect, SQLiteDialect):
            _private_file(self.dialect.path)
        self.availability = Availability()
        self._local = threading.local()
        self._watchdog = Watchdog()
        self._pool: Pool[Any] = Pool(self._connect, self._check, self._close_conn, size=self.settings.pool_size,
                                     wait_s=self.settings.timeout_s)

    @property
    def is_pg(self) -> bool:
        """Kept for callers from before the dialect; new code asks `self.dialect` what it needs."""
        return isinstance(self.dialect, PostgresDialect)

    @property
    def path(self) -> Path:
        """The SQLite file (SQLite only)."""
        if not isinstance(self.dialect, SQLiteDialect):
            raise AttributeError("a PostgreSQL database has no file path")
        return self.dialect.path

    def __repr__(self) -> str:  # never print a password from the URL
        return f"HubDB({self.dialect.name})"

    # --- connections ------------------------------------------------------------------------------
    def connect_direct(self, *, statement_timeout: bool = True) -> Any:
        """A new connection outside the pool (the hall's LISTEN), giving up connecting after the timeout; its
        statements are cancelled by the server after the timeout too, unless `statement_timeout` is False."""
        try:
            return self.dialect.connect(self.url, self.settings.timeout_s, statement_timeout=statement_timeout)
        except Exception as exc:
            raise self._mapped(exc) from exc

    def _connect(self) -> Any:
        return self.connect_direct()

    def _check(self, conn: Any) -> None:
        """Raises DatabaseUnavailableError when a pooled connection no longer works (checked on every checkout)."""
        self._run(conn, self.dialect.check_sql, ())

    @staticmethod
    def _close_conn(conn: Any) -> None:
        conn.close()

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Any]:
        held = getattr(self._local, "conn", None)
        if held is not None:  # inside this thread's transaction
            yield held
            return
        conn = self._pool.get()
        try:
            yield conn
        finally:
            self._pool.put(conn, reusable=self.dialect.reusable(conn))

    def lost(self, exc: BaseException) -> DatabaseUnavailableError:
        """The database was lost (seen by a connection outside the pool, e.g. the hall's LISTEN): noted once."""
        return self._down(exc)

    def _down(self, exc: BaseException) -> DatabaseUnavailableError:
        cause = first_line(exc)
        self.availability.failed(cause)
        return DatabaseUnavailableError(cause)

    def _mapped(self, exc: Exception) -> Exception:
        """The exception to raise for a driver error: DatabaseUnavailableError for connection trouble and timeouts."""
        trouble = self.dialect.trouble(exc)
        if trouble == "down":
            return self._down(exc)
        if trouble == "busy":
            return DatabaseUnavailableError(first_line(exc))
        return exc

    def _run(self, conn: Any, sql: str, params: Sequence[Any]) -> Rows:
        # Past the server's own statement_timeout: only a server that cannot answer at all gets cut off.
        token = self._watchdog.arm(conn.fileno(), self.settings.timeout_s + 0.5) \
            if self.dialect.watched and self._bounded() else None
        try:
            cur = conn.execute(sql, tuple(params))
            rows = list(cur.fetchall()) if cur.description is not None else []
            result = Rows(rows, cur.rowcount)
        except DatabaseUnavailableError:
            raise
        except Exception as exc:
            if token is not None and self._watchdog.disarm(token):
                token = None
                silent = TimeoutError(f"no answer within {self.settings.timeout_s + 0.5:g} s; connection cut")
                raise self._down(silent) from exc
            mapped = self._mapped(exc)
            if mapped is exc:
                raise
            raise mapped from exc
        finally:
            if token is not None:
                self._watchdog.disarm(token)
        self.availability.ok()
        return result

    def _bounded(self) -> bool:
        return not getattr(self._local, "unbounded", False)

    @contextlib.contextmanager
    def unbounded(self) -> Iterator[None]:
        """Statements of this thread may run as long as they need (schema upgrades, VACUUM): admin work only."""
        self._local.unbounded = True
        try:
            with self.transaction_free_connection() as conn:
                if self.dialect.watched:
                    self._run(conn, "SET statement_timeout = 0", ())
                try:
                    yield
                finally:
                    if self.dialect.watched and not conn.closed:
                        with contextlib.suppress(Exception):
                            self._run(conn, f"SET statement_timeout = {int(self.settings.timeout_s * 1000)}", ())
        finally:
            self._local.unbounded = False

    @contextlib.contextmanager
    def transaction_free_connection(self) -> Iterator[Any]:
        """This thread's statements use one connection (outside a transaction) until the block ends."""
        if getattr(self._local, "conn", None) is not None:
            yield self._local.conn
            return
        with self._connection() as conn:
            self._local.conn = conn
            try:
                yield conn
            finally:
                self._local.conn = None

    def _sql(self, sql: str) -> str:
        return self.dialect.sql(sql)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        with self._connection() as conn:
            return self._run(conn, self._sql(sql), params)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.execute(sql, params).rows

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        return self.execute(sql, params).fetchone()

    def ping(self) -> bool:
        """True when the database answers a statement now (within the timeout)."""
        try:
            self.execute("SELECT 1")
        except DatabaseUnavailableError:
            return False
        return True

    def pool_counts(self) -> tuple[int, int]:
        """(open, idle) pooled connections of this process."""
        return self._pool.counts()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[HubDB]:
        """BEGIN (IMMEDIATE on SQLite, so writers queue instead of failing) … COMMIT, or ROLLBACK on error."""
        if getattr(self._local, "in_tx", False):
            raise RuntimeError("transactions do not nest")
        with self.transaction_free_connection() as conn:
            self._local.in_tx = True
            try:
                self._run(conn, self.dialect.begin, ())
                try:
                    yield self
                except BaseException:
                    with contextlib.suppress(Exception):
                        self._run(conn, "ROLLBACK", ())
                    raise
                self._run(conn, "COMMIT", ())
            finally:
                self._local.in_tx = False

    @property
    def serial(self) -> str:
        return self.dialect.serial

    def holds_sealed_data(self) -> bool:
        """True when the database already has values sealed with some data key (schema 2 or later, rows)."""
        try:
            row = self.one("SELECT version FROM hub_schema")
            if row is None or int(row[0]) < 2:
                return False
            return any(self.one(f"SELECT 1 FROM {t} LIMIT 1") for t in ("records", "authorizations",
                                                                           "code_registry", "signing_keys"))
        except DatabaseUnavailableError:
            raise  # "cannot tell" must never pass for "no data": a new key would orphan the data
        except Exception:  # no such table: a new or version-1 database
            return False

    def init_schema(self, sealer: Sealer, *, target: int = LATEST) -> int:
        """Create or upgrade the schema to `target` in one transaction; returns the rows rewritten on the way.

        A database with data in plain text (version 1) has it sealed; the space those values used is then
        scrubbed (VACUUM), so the plain text does not linger in free pages.
        """
        rewritten = 0
        with self.unbounded(), self.transaction():
            # Two hub processes starting together must not race on CREATE TABLE or on the upgrade.
            self.dialect.schema_lock(self, 4242)
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
            with self.unbounded():
                self.scrub()
        return rewritten

    def scrub(self) -> None:
        """Rewrite the storage so values replaced or dropped leave no copy behind (after sealing, rotation)."""
        self.dialect.scrub(self, ("records", "authorizations", "code_registry", "signing_keys"))

    def close(self) -> None:
        self._pool.close()
        self._watchdog.close()
