"""Exactly-once delivery on real processes: a fault-injecting proxy, hub restarts, SIGKILLed sync processes.

Runs on both hub storages (SQLite and a private PostgreSQL server).
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kiosk.store import open_store
from kiosk.store.db import Store
from sync.hub.service import Hub
from sync.worker import SyncWorker
from tests.sync.conftest import ROOT, HubProcess, fill_outbox, kiosk_config, write_config_toml
from tests.sync.faultproxy import FAULTS, FaultProxy


def assert_exactly_once(store: Store, hub: Hub, ids: list[str], kiosk_id: str = "kiosk-a") -> None:
    """Every key at the hub exactly once, nothing else there, and the kiosk holds the hub's own receipts."""
    rows = hub.db.query("SELECT idem_key, receipt_no, record_id FROM records WHERE kiosk_id=?", (kiosk_id,))
    assert len(rows) == len(ids)
    assert hub.records.count() == len(ids)
    hub_receipts = {r[0]: r[1] for r in rows}
    assert set(hub_receipts) == set(ids)
    assert len({r[2] for r in rows}) == len(ids)  # no business record arrived twice under another key
    assert len(set(hub_receipts.values())) == len(ids)
    local = store.conn.execute("SELECT id, state, receipt FROM outbox").fetchall()
    assert {r["state"] for r in local} == {"delivered"}
    for r in local:
        assert json.loads(r["receipt"])["receipt_no"] == hub_receipts[r["id"]]


@pytest.mark.slow
def test_2000_records_exactly_once_through_faults_and_hub_restarts(
        hub_process: HubProcess, hub_admin: Hub, kiosk_store: Store, tmp_path: Path) -> None:
    ids = fill_outbox(kiosk_store, 2000)
    proxy = FaultProxy(hub_process.port, fault_rate=0.45, seed=20261127, delay_s=1.5).start()
    restart_at = {12, 40, 75}

    def hook(n: int, phase: str) -> None:
        # Kill the hub while it is working on a batch (request sent, answer not yet read), then bring it back.
        if phase == "sent" and n in restart_at:
            hub_process.restart()

    proxy.hook = hook
    cfg = kiosk_config(tmp_path / "kiosk", proxy.url, batch_size=25, request_timeout_seconds=1.0)
    worker = SyncWorker(cfg.data_dir, cfg, token=hub_admin.kiosks.add("kiosk-a"))
    try:
        assert worker.drain_until_empty(timeout=400)
    finally:
        worker._close_thread_resources()
        proxy.stop()
    assert proxy.faulted / proxy.total >= 0.30, proxy.stats
    for fault in FAULTS:
        assert proxy.stats[fault] > 0, (fault, proxy.stats)
    assert hub_process.restarts >= 1
    assert_exactly_once(kiosk_store, hub_admin, ids)


@pytest.mark.slow
def test_sync_process_sigkilled_30_times_delivers_exactly_once(
        hub_process: HubProcess, hub_admin: Hub, tmp_path: Path, token_file_for: object) -> None:
    data_dir = tmp_path / "kiosk"
    store = open_store(data_dir)
    ids = fill_outbox(store, 1200)
    proxy = FaultProxy(hub_process.port).start()
    cfg = kiosk_config(data_dir, proxy.url, token_file_for(hub_admin), batch_size=10,  # type: ignore[operator]
                       request_timeout_seconds=2.0)
    config_file = write_config_toml(tmp_path / "kiosk.toml", cfg)
    cmd = [sys.executable, "-m", "kiosk.cli.main", "--config", str(config_file), "sync", "--until-empty",
           "--timeout", "120"]
    rng = random.Random(30)
    kills = 0
    try:
        while kills < 30:
            target = proxy.total + rng.randint(1, 3)
            phase = rng.choice(["received", "sent", "forwarded", "answered"])
            jitter = rng.uniform(0.0, 0.02)
            killed, fire = threading.Event(), threading.Lock()
            proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

            def hook(n: int, ph: str, proc: subprocess.Popen[bytes] = proc, target: int = target,
                     phase: str = phase, jitter: float = jitter, killed: threading.Event = killed,
                     fire: threading.Lock = fire) -> None:
                if n >= target and ph == phase and fire.acquire(blocking=False):  # once, whichever thread is first
                    time.sleep(jitter)  # a little randomness within the phase
                    # Noted before the signal: communicate() returns the moment the process dies, and a loaded
                    # machine once ran the check below before this thread got as far as setting it.
                    killed.set()
                    proc.send_signal(signal.SIGKILL)

            proxy.hook = hook
            _, err = proc.communicate(timeout=120)
            assert killed.is_set(), f"sync finished before kill {kills + 1}: {err.decode()[-500:]}"
            assert proc.returncode == -signal.SIGKILL
            kills += 1
        proxy.hook = None
        final = subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=180)
        assert final.returncode == 0, final.stderr.decode()[-2000:]
    finally:
        proxy.stop()
    assert kills == 30
    assert_exactly_once(store, hub_admin, ids)
    store.close()
