"""`kiosk run` as systemd runs it: READY=1 after the window is up, WATCHDOG=1 at half of WATCHDOG_USEC, STOPPING=1
and exit 0 on SIGTERM; a reader that is not there does not stop it."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def test_kiosk_run_notifies_ready_and_feeds_the_watchdog(tmp_path: Path, notify_socket: Any) -> None:
    path, ns = notify_socket
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'data_dir = "{tmp_path / "data"}"\n[card_reader]\ndriver = "sam"\nport = "{tmp_path / "none"}"\n'
                   f'[scanner]\ndriver = "none"\n[printer]\npdf_dir = "{tmp_path / "receipts"}"\n', encoding="utf-8")
    # A 6 s watchdog (pings every 3 s): a gap must stay under it, while a loaded 2-core machine may stall the GUI
    # thread for a second or two (0.4 s flapped; so did counting pings in a fixed 5 s at 3 s); units use 30 s.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NOTIFY_SOCKET=path, WATCHDOG_USEC="6000000")
    env.pop("WATCHDOG_PID", None)
    proc = subprocess.Popen([sys.executable, "-m", "kiosk.cli.main", "--config", str(cfg), "run"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready = ns.wait_for("READY=1", 60)

        def pings() -> list[float]:
            return [t for t, m in list(ns.messages) if m == "WATCHDOG=1" and t >= ready]

        deadline = time.monotonic() + 60
        while len(pings()) < 4 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(pings()) >= 4, ns.texts()
        # The watchdog's own rule: from READY on, never a gap past WATCHDOG_USEC.
        assert max(b - a for a, b in itertools.pairwise([ready, *pings()])) < 6.0, pings()
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    ns.wait_for("STOPPING=1", 2)
    assert ns.texts()[0] == "READY=1"
