"""Power-cut safety: a writer killed with SIGKILL at random moments 50 times loses no acknowledged commit."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

WRITER = Path(__file__).parent / "helpers" / "crash_writer.py"


def _run_and_kill(data_dir: Path, rng: random.Random) -> set[str]:
    """Start the writer, let it commit for a random time, SIGKILL it; return the ids it acknowledged."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen([sys.executable, str(WRITER), str(data_dir)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    ready = proc.stdout.readline().strip()
    assert ready == "ready", proc.stderr.read() if proc.stderr else ready
    acked: set[str] = set()

    def reader() -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            acked.update(line.split())

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    deadline = time.monotonic() + rng.uniform(0.02, 0.4)
    while time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    t.join(timeout=10)
    return acked


@pytest.mark.slow
def test_sigkill_fifty_times_keeps_every_acknowledged_commit(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    rng = random.Random(20261127)
    all_acked: set[str] = set()
    for _ in range(50):
        all_acked |= _run_and_kill(data_dir, rng)
        conn = sqlite3.connect(data_dir / "kiosk.db")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        present = {r[0] for r in conn.execute("SELECT id FROM transactions")}
        outboxed = {r[0] for r in conn.execute("SELECT record_id FROM outbox WHERE kind='transaction'")}
        conn.close()
        missing = all_acked - present
        assert not missing, f"{len(missing)} acknowledged records lost"
        # A record and its outbox row commit together: never one without the other.
        assert present == outboxed
    assert len(all_acked) > 50  # the writer really committed between kills
