"""Durable enqueue rate (record's outbox entry sealed and committed, synchronous=FULL) against a bare sqlite3
insert+commit loop with the same pragmas and the same table, measured interleaved in this process.

Full size: `pytest tests/bench/test_bench_sync_enqueue.py --benchmark-enable` (target ratio ≥ 0.7).
"""

from __future__ import annotations

import os
import statistics
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.store import open_store
from kiosk.store.db import connect, utcnow_iso
from kiosk.store.outbox import enqueue

BODY = {"ticket_id": "01938a2b-0000-7000-8000-000000000001", "number": "A00042", "lane": "normal",
        "service_code": "social_security_certificate", "kiosk_id": "demo-kiosk-01",
        "created_at": "2026-11-27T09:30:00.000+00:00", "day": "20261127"}
OUTBOX_DDL = ("CREATE TABLE outbox (id TEXT PRIMARY KEY, kind TEXT NOT NULL, record_id TEXT NOT NULL, "
              "created_at TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, "
              "next_attempt_at TEXT NOT NULL, last_error TEXT, receipt TEXT, delivered_at TEXT, "
              "body_enc BLOB NOT NULL)",
              "CREATE INDEX outbox_due ON outbox(state, next_attempt_at)")


def _timed(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def test_bench_sync_enqueue_vs_bare_sqlite(benchmark: Any, tmp_path: Path) -> None:
    enabled = not benchmark.disabled
    n, rounds = (2000, 5) if enabled else (300, 1)
    store = open_store(tmp_path / "kiosk")
    bare = connect(tmp_path / "bare.db")  # the kiosk's connection rules: WAL, synchronous=FULL
    for ddl in OUTBOX_DDL:
        bare.execute(ddl)
    sealed_len = len(store.seal("outbox", "x", BODY))
    counter = {"kiosk": 0, "bare": 0}

    def kiosk_loop() -> None:
        for _ in range(n):
            i = counter["kiosk"] = counter["kiosk"] + 1
            with store.transaction():
                enqueue(store, "ticket", f"rec-{i}", BODY)

    def bare_loop() -> None:
        for _ in range(n):
            i = counter["bare"] = counter["bare"] + 1
            now = utcnow_iso()
            bare.execute("BEGIN IMMEDIATE")
            bare.execute("INSERT INTO outbox(id, kind, record_id, created_at, next_attempt_at, body_enc) "
                         "VALUES (?,?,?,?,?,?)", (str(uuid.uuid4()), "ticket", f"rec-{i}", now, now,
                                                  os.urandom(sealed_len)))
            bare.execute("COMMIT")

    kiosk_s, bare_s = [], []
    for _ in range(rounds):  # interleaved, so both see the same disk and machine load
        bare_s.append(_timed(bare_loop))
        kiosk_s.append(_timed(kiosk_loop))
    benchmark.pedantic(kiosk_loop, rounds=1, iterations=1)
    kiosk_rate = n / statistics.median(kiosk_s)
    bare_rate = n / statistics.median(bare_s)
    ratio = kiosk_rate / bare_rate
    benchmark.extra_info.update({"records_per_round": n, "rounds": rounds, "enqueue_per_s_median": round(kiosk_rate),
                                 "bare_insert_commit_per_s_median": round(bare_rate), "ratio": round(ratio, 3)})
    print(f"\nenqueue {kiosk_rate:.0f}/s, bare sqlite {bare_rate:.0f}/s, ratio {ratio:.2f}")
    total = store.conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
    assert total == counter["kiosk"] == n * (rounds + 1)
    if enabled:
        assert ratio >= 0.7
    store.close()
    bare.close()
