"""Schema migrations: from an empty database and from every earlier version, with a backup copy first."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kiosk.store import open_store
from kiosk.store.db import connect, migrate
from kiosk.store.migrations import LATEST


def _schema(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY 1, 2").fetchall()
    cols = [(t, f"{t}.{c[1]}") for (_, t) in rows if _ == "table"
            for c in conn.execute(f"PRAGMA table_info({t})")]
    conn.close()
    return rows + cols


def test_from_empty_reaches_latest(data_dir: Path) -> None:
    store = open_store(data_dir)
    assert store.schema_version() == LATEST
    assert not (data_dir / "backups").exists()  # nothing to back up on a new file


@pytest.mark.parametrize("start", range(1, LATEST))
def test_from_each_earlier_version(tmp_path: Path, start: int) -> None:
    fresh = tmp_path / "fresh"
    open_store(fresh).close()

    old = tmp_path / "old"
    store = open_store(old, migrate_to=start)
    assert store.schema_version() == start
    store.conn.execute("INSERT INTO tickets(id, number, created_at) VALUES ('t1', 'A001', '2026-01-01')")
    store.close()

    upgraded = open_store(old)
    assert upgraded.schema_version() == LATEST
    # Data survives, and the upgraded schema equals a fresh one.
    assert upgraded.conn.execute("SELECT number FROM tickets").fetchone()[0] == "A001"
    upgraded.close()
    assert _schema(old / "kiosk.db") == _schema(fresh / "kiosk.db")
    backups = list((old / "backups").glob(f"kiosk-v{start}-*.db"))
    assert len(backups) == 1
    b = sqlite3.connect(backups[0])
    assert b.execute("PRAGMA user_version").fetchone()[0] == start
    assert b.execute("SELECT number FROM tickets").fetchone()[0] == "A001"


def test_failed_step_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.store import migrations

    path = tmp_path / "k.db"
    conn = connect(path)
    migrate(conn, path, target=1)

    def broken(c: sqlite3.Connection) -> None:
        c.execute("CREATE TABLE half_done(x)")
        raise RuntimeError("power cut in the middle of a migration")

    monkeypatch.setattr(migrations, "MIGRATIONS", [migrations.MIGRATIONS[0], broken])
    monkeypatch.setattr("kiosk.store.db.MIGRATIONS", [migrations.MIGRATIONS[0], broken])
    with pytest.raises(RuntimeError):
        migrate(conn, path, target=2)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE name='half_done'").fetchone()[0] == 0


def test_damaged_file_gets_a_plain_message(data_dir: Path) -> None:
    open_store(data_dir).close()
    db = data_dir / "kiosk.db"
    for suffix in ("-wal", "-shm"):
        (data_dir / f"kiosk.db{suffix}").unlink(missing_ok=True)
    raw = bytearray(db.read_bytes())
    raw[4096:8192] = b"\xff" * 4096  # trash the second page
    db.write_bytes(bytes(raw))
    with pytest.raises(Exception) as exc:
        open_store(data_dir)
    assert exc.value.kind == "db_damaged"
    assert "损坏" in exc.value.message.zh and "damaged" in exc.value.message.en


def test_newer_database_is_refused(data_dir: Path) -> None:
    store = open_store(data_dir)
    store.conn.execute(f"PRAGMA user_version={LATEST + 1}")
    store.close()
    with pytest.raises(Exception) as exc:
        open_store(data_dir)
    assert exc.value.kind == "db_too_new"


def test_previous_version_keeps_every_record_and_outbox_row(tmp_path: Path) -> None:
    """A kiosk at the previous schema, full of work not yet delivered, upgrades without losing a row."""
    from kiosk import audit
    from kiosk.store.outbox import enqueue

    old = tmp_path / "old"
    store = open_store(old, migrate_to=LATEST - 1)
    # Written with the previous version's columns only, as its code wrote them.
    with store.transaction() as c:
        c.execute("INSERT INTO sessions(id, started_at, mode, helper_id) VALUES ('s1','2026-11-27','assisted','V-1')")
        c.execute("INSERT INTO transactions(id, session_id, item_code, department, created_at, receipt_no, mode, "
                  "payload_enc) VALUES ('x1','s1','pension_qualification','hrss','2026-11-27','k1-20261127-0001',"
                  "'assisted',?)", (store.seal("transactions", "x1", {"phone": "13800138000"}),))
        c.execute("INSERT INTO tickets(id, number, created_at, lane, priority) VALUES ('t1','A001','2026-11-27',"
                  "'normal',0)")
        c.execute("INSERT INTO help_requests(id, created_at, kind, note_enc, priority) VALUES ('h1','x','help_request',"
                  "?,1)", (store.seal("help_requests", "h1", {"reason": "x"}),))
        for kind, rid in (("transaction", "x1"), ("ticket", "t1"), ("help_request", "h1")):
            enqueue(store, kind, rid, {"record": rid})
        audit.append(store, "volunteer:V-1", "submit", {"session": "s1"})
    tables = ("sessions", "transactions", "tickets", "help_requests", "outbox", "audit_log")
    before = {t: [tuple(r) for r in store.conn.execute(f"SELECT * FROM {t} ORDER BY 1")] for t in tables}
    assert all(before.values())
    store.close()

    upgraded = open_store(old)
    for table, rows in before.items():
        after = [tuple(r)[:len(rows[0])] for r in upgraded.conn.execute(f"SELECT * FROM {table} ORDER BY 1")]
        assert after == rows, table
    bodies = {upgraded.unseal("outbox", r[0], r[1])["record"]
              for r in upgraded.conn.execute("SELECT id, body_enc FROM outbox")}
    assert bodies == {"x1", "t1", "h1"}
    assert upgraded.unseal("transactions", "x1", before["transactions"][0][-1]) == {"phone": "13800138000"}
    assert audit.verify(upgraded) == []
    upgraded.close()


def _fill_every_table(store: object, rows_per_table: int = 3) -> None:
    """Rows in every table the schema has at this version, built from the schema itself (so the test holds for
    whatever version is the newest): text, numbers and sealed blobs, unique per row."""
    conn = store.conn  # type: ignore[attr-defined]
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE "
                                         "'sqlite_%' AND name NOT IN ('outbox', 'audit_log') ORDER BY name")]
    with store.transaction() as c:  # type: ignore[attr-defined]
        for table in tables:
            cols = list(c.execute(f"PRAGMA table_info({table})"))
            for i in range(rows_per_table):
                values = []
                for _, name, decl, *_rest in cols:
                    kind = (decl or "").upper()
                    if "BLOB" in kind:
                        values.append(store.seal(table, f"{table}-{i}", {"n": i, "col": name}))  # type: ignore
                    elif "INT" in kind:
                        values.append(i + 1)
                    else:
                        values.append(f"2026-11-2{i}T10:00:00+00:00" if name.endswith("_at") else f"{name}-{i}")
                marks = ",".join("?" * len(cols))
                c.execute(f"INSERT INTO {table}({','.join(col[1] for col in cols)}) VALUES ({marks})", values)


def test_upgrade_from_previous_version_finds_every_record_and_outbox_entry(tmp_path: Path) -> None:
    """Whatever the newest version is: a database made by the previous version's migrations, with a row in every
    table and outbox entries in every state, upgrades with every row, column value and outbox body intact."""
    from kiosk import audit
    from kiosk.store.outbox import enqueue
    from sync import outbox

    assert LATEST >= 2
    data = tmp_path / "kiosk"
    store = open_store(data, migrate_to=LATEST - 1)
    _fill_every_table(store)
    with store.transaction():
        ids = [enqueue(store, "transaction", f"r{i}", {"record": f"r{i}", "n": i}) for i in range(6)]
        audit.append(store, "kiosk", "submit", {"n": 6})
    store.conn.execute("UPDATE outbox SET state='delivered', delivered_at='2026-11-27T10:00:00+00:00' WHERE id=?",
                       (ids[0],))
    store.conn.execute("UPDATE outbox SET state='rejected', last_error='HTTP 422' WHERE id=?", (ids[1],))
    tables = [r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE "
                                               "'sqlite_%' ORDER BY name")]
    before = {t: [tuple(r) for r in store.conn.execute(f"SELECT * FROM {t} ORDER BY rowid")] for t in tables}
    counts_before = outbox.counts(store)
    store.close()

    upgraded = open_store(data)
    try:
        assert upgraded.schema_version() == LATEST
        for table, rows in before.items():
            assert rows, f"{table} was not filled"
            width = len(rows[0])
            after = [tuple(r)[:width] for r in upgraded.conn.execute(f"SELECT * FROM {table} ORDER BY rowid")]
            assert after == rows, table
        c = outbox.counts(upgraded)
        assert (c.pending, c.rejected, c.delivered) == (counts_before.pending, counts_before.rejected,
                                                        counts_before.delivered) == (4, 1, 1)
        bodies = {r[0]: upgraded.unseal("outbox", r[0], r[1]) for r in
                  upgraded.conn.execute("SELECT id, body_enc FROM outbox")}
        assert bodies == {oid: {"record": f"r{i}", "n": i} for i, oid in enumerate(ids)}
        assert {e.id for e in outbox.list_entries(upgraded, "pending")} == set(ids[2:])
        assert audit.verify(upgraded) == []
    finally:
        upgraded.close()
