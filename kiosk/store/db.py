"""`Store`: one SQLite connection with the kiosk's rules (WAL, synchronous=FULL), migrations, integrity check.

Open one `Store` per thread. Write through `with store.transaction():` (BEGIN IMMEDIATE), so a record and
its outbox row commit together or not at all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import sqlite3
import threading
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.locale import phrase

if TYPE_CHECKING:
    import sqlite_utils

from kiosk.disk import FULL_BYTES, free_bytes, is_storage_full, storage_full
from kiosk.messages import KioskError
from kiosk.store.keyring import Keyring
from kiosk.store.migrations import ENCRYPTED_COLUMNS, LATEST, MIGRATIONS

log = logging.getLogger(__name__)

DB_NAME = "kiosk.db"
KEY_NAME = "keys.json"


def utcnow_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection in autocommit mode (we issue BEGIN ourselves) with WAL and synchronous=FULL."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=30.0, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    conn.row_factory = sqlite3.Row
    return conn


class Store:
    """The kiosk database plus the keyring that protects personal data in it."""

    def __init__(self, conn: sqlite3.Connection, keyring: Keyring, path: Path) -> None:
        self.conn = conn
        self.keyring = keyring
        self.path = path
        self._tx_depth = 0
        self._lock = threading.RLock()

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection, on first use: importing it loads numpy, dateutil and click (a
        third of a kiosk's cold start), which the store's own SQL does not need."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    # --- transactions -------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT; nested use joins the outer transaction."""
        with self._lock:
            if self._tx_depth:
                self._tx_depth += 1
                try:
                    yield self.conn
                finally:
                    self._tx_depth -= 1
                return
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if is_storage_full(exc):
                    raise storage_full(exc) from exc
                raise
            self._tx_depth = 1
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException as exc:
                if self.conn.in_transaction:  # a failed COMMIT (disk full) leaves it open: end it, keep working
                    with contextlib.suppress(sqlite3.Error):
                        self.conn.execute("ROLLBACK")
                if is_storage_full(exc):
                    raise storage_full(exc) from exc
                raise
            finally:
                self._tx_depth = 0

    # --- encryption helpers ---------------------------------------------------------------------
    def seal(self, table: str, row_id: str, value: Any) -> bytes:
        """Encrypt a JSON-serialisable value bound to (table, row id)."""
        plain = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return self.keyring.encrypt(plain, f"{table}:{row_id}".encode())

    def unseal(self, table: str, row_id: str, blob: bytes) -> Any:
        return json.loads(self.keyring.decrypt(blob, f"{table}:{row_id}".encode()).decode("utf-8"))

    def lookup_hash(self, value: str) -> str:
        return self.keyring.lookup_hash(value)

    # --- cache of hub data ------------------------------------------------------------------------
    def cache_put(self, name: str, body: bytes, etag: str | None = None, fetched_at: str | None = None) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT INTO hub_cache(name, etag, fetched_at, body) VALUES (?,?,?,?) "
                "ON CONFLICT(name) DO UPDATE SET etag=excluded.etag, fetched_at=excluded.fetched_at, "
                "body=excluded.body",
                (name, etag, fetched_at or utcnow_iso(), body),
            )

    def cache_get(self, name: str) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute("SELECT * FROM hub_cache WHERE name=?", (name,)).fetchone()
        return row

    # --- maintenance ------------------------------------------------------------------------------
    def quick_check(self) -> str:
        return str(self.conn.execute("PRAGMA quick_check").fetchone()[0])

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def reencrypt_all(self) -> int:
        """Re-encrypt every sealed value under the active key, in one transaction. Returns values rewritten."""
        count = 0
        with self.transaction() as c:
            for table, pk, col in ENCRYPTED_COLUMNS:
                rows = c.execute(f"SELECT {pk}, {col} FROM {table} WHERE {col} IS NOT NULL").fetchall()
                for row in rows:
                    blob = row[col]
                    if self.keyring.key_id_of(blob) == self.keyring.active:
                        continue
                    value = self.unseal(table, row[pk], blob)
                    c.execute(f"UPDATE {table} SET {col}=? WHERE {pk}=?", (self.seal(table, row[pk], value), row[pk]))
                    count += 1
        return count

    def close(self) -> None:
        self.conn.close()


def backup_file(conn: sqlite3.Connection, dest: Path) -> None:
    """Consistent copy through SQLite's backup API (safe while WAL holds uncheckpointed pages)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(str(dest))
    try:
        conn.backup(target)
    finally:
        target.close()


def migrate(conn: sqlite3.Connection, db_path: Path, *, target: int = LATEST) -> int:
    """Bring the schema to `target`, backing the file up first when it holds an older, non-empty schema."""
    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if current > LATEST:
        raise KioskError("db_too_new", phrase("store.db.db_too_new"))
    if current >= target:
        return current
    if current > 0:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        backup_file(conn, db_path.parent / "backups" / f"{db_path.stem}-v{current}-{stamp}.db")
    for version in range(current + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version - 1](conn)
            conn.execute(f"PRAGMA user_version={version}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        log.info("schema migrated", extra={"schema_version": version})
    return target


def open_store(data_dir: Path | str, *, migrate_to: int = LATEST, check: bool = True) -> Store:
    """Open (creating if needed) the store in `data_dir`: key file, database, migrations, quick_check."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    keyring = Keyring.load_or_create(data_dir / KEY_NAME)
    db_path = data_dir / DB_NAME
    try:
        conn = connect(db_path)
        if check:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise sqlite3.DatabaseError(result)
        migrate(conn, db_path, target=migrate_to)
    except sqlite3.DatabaseError as exc:
        # A full disk (the WAL or shared-memory file cannot be made) is not damage: say what it is.
        if is_storage_full(exc) or (isinstance(exc, sqlite3.OperationalError) and free_bytes(data_dir) < FULL_BYTES):
            raise storage_full(exc) from exc
        raise KioskError(
            "db_damaged",
            phrase("store.db.db_damaged", db_path=db_path),
            detail=str(exc)[:200],
        ) from None
    return Store(conn, keyring, db_path)
