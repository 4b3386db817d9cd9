"""The hub's connection pool on real SQLite files: bounded however many threads come and go, every connection
closed by `close()`, a dead connection replaced at checkout, a wait for a connection bounded by the timeout."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from sync.hub.availability import DatabaseUnavailableError
from sync.hub.db import DbSettings, HubDB
from sync.hub.pool import Pool


def open_files(path: Path) -> int:
    """How many descriptors of this process point at `path` (the database file itself)."""
    n = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            n += os.readlink(f"/proc/self/fd/{fd}") == str(path)
        except OSError:
            continue
    return n


def test_threads_that_come_and_go_never_hold_more_than_the_pool(tmp_path: Path) -> None:
    db = HubDB(f"sqlite:///{tmp_path / 'hub.db'}", DbSettings(pool_size=3, timeout_s=5))
    db.execute("CREATE TABLE t (x INTEGER)")
    for wave in range(5):  # each wave is 20 new threads (the server's worker threads come and go like this)
        start = threading.Barrier(20)

        def work(i: int, start: threading.Barrier = start, wave: int = wave) -> None:
            start.wait()
            with db.transaction():
                db.execute("INSERT INTO t VALUES (?)", (wave * 100 + i,))
            assert db.one("SELECT COUNT(*) FROM t") is not None

        threads = [threading.Thread(target=work, args=(i,)) for i in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        opened, idle = db.pool_counts()
        assert opened <= 3 and idle == opened
        assert open_files(db.path) <= 3
    assert db.one("SELECT COUNT(*) FROM t") == (100,)
    db.close()
    assert open_files(db.path) == 0  # nothing left open without an owner


def test_a_dead_connection_is_replaced_at_checkout() -> None:
    made: list[dict[str, bool]] = []

    def connect() -> dict[str, bool]:
        made.append({"alive": True})
        return made[-1]

    def check(conn: dict[str, bool]) -> None:
        if not conn["alive"]:
            raise DatabaseUnavailableError("dead")

    pool: Pool[dict[str, bool]] = Pool(connect, check, lambda c: None, size=1, wait_s=1)
    first = pool.get()
    pool.put(first, reusable=True)
    first["alive"] = False  # the database restarted under it
    second = pool.get()
    assert second is not first and second["alive"] and len(made) == 2
    pool.put(second, reusable=True)
    assert pool.counts() == (1, 1)


def test_waiting_for_a_connection_is_bounded() -> None:
    pool: Pool[object] = Pool(object, lambda c: None, lambda c: None, size=1, wait_s=0.3)
    held = pool.get()
    t = time.monotonic()
    with pytest.raises(DatabaseUnavailableError, match="no free database connection"):
        pool.get()
    assert 0.25 <= time.monotonic() - t < 5
    pool.put(held, reusable=False)  # a broken one goes: its slot is free again
    assert pool.counts() == (0, 0)
    pool.put(pool.get(), reusable=True)
    assert pool.counts() == (1, 1)


def test_holds_sealed_data_never_guesses_when_the_database_cannot_answer(tmp_path: Path) -> None:
    folder = tmp_path / "not-a-db"
    folder.mkdir()
    db = HubDB(f"sqlite:///{folder}", DbSettings(pool_size=1, timeout_s=1))  # a directory cannot be opened
    with pytest.raises(DatabaseUnavailableError):
        db.holds_sealed_data()  # "cannot tell" must not read as "no data" (a new key would orphan the data)
    assert not db.availability.available
    db.close()
