"""Cold start of `kiosk run` (a new process) to its first painted home screen — READY=1 is sent right after that
paint — against a baseline measured in the same test: a bare PySide6 process painting one empty window.
Goal (issue 15): median ≤ 4× the bare window's median in the same run (issue 11's 1.5 s on the kiosk PC, stated
so it holds on any machine). As a plain test (3 runs on a shared machine) the bound is 3× that ratio.

Figures: `pytest tests/bench/test_bench_start_run.py --benchmark-enable -s` (more runs, printed)."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
GOAL_RATIO = 4.0  # kiosk run / bare Qt window, medians of the same run
PLAIN_RATIO = 3 * GOAL_RATIO
BARE = ("import os, socket, sys\nfrom PySide6.QtCore import QEvent, QObject, QTimer\n"
        "from PySide6.QtWidgets import QApplication, QWidget\n"
        "app = QApplication(sys.argv[:1]); w = QWidget(); w.resize(1920, 1080)\n"
        "class F(QObject):\n"
        "    def eventFilter(self, o, e):\n"
        "        if e.type() == QEvent.Type.Paint:\n"
        "            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
        "            QTimer.singleShot(0, lambda: s.sendto(b'READY=1', os.environ['NOTIFY_SOCKET']))\n"
        "        return False\n"
        "f = F(); w.installEventFilter(f); w.show(); app.exec()\n")


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system, all threads) the process has used so far, from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _time_to_ready(cmd: list[str], sock: socket.socket, env: dict[str, str],
                   cpu: list[float] | None = None) -> float:
    """Wall time from launch to READY=1; with `cpu`, also appends the CPU time used up to READY (less sensitive
    to other load on the machine than wall time)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        sock.settimeout(30)
        while sock.recv(64) != b"READY=1":
            pass
        wall = time.perf_counter() - t0
        if cpu is not None:
            cpu.append(_cpu_seconds(proc.pid))
        return wall
    finally:
        proc.terminate()
        proc.wait(20)


def test_cold_start_to_first_painted_home_screen(tmp_path: Path, request: Any) -> None:
    enabled = request.config.getoption("benchmark_enable", False)
    runs = 7 if enabled else 3
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'data_dir = "{tmp_path / "data"}"\n[card_reader]\ndriver = "none"\n[scanner]\ndriver = "none"\n'
                   f'[printer]\npdf_dir = "{tmp_path / "r"}"\n[ui]\nvoice = false\n', encoding="utf-8")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "notify.sock"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NOTIFY_SOCKET=str(tmp_path / "notify.sock"))
    env.pop("WATCHDOG_USEC", None)
    # Byte-compiled, as an installed kiosk is (pip compiles what it installs) and as any Python leaves it after
    # its first start: a shell's PYTHONDONTWRITEBYTECODE would make every start compile the project's ~100
    # modules from source, a cost the bare window (site-packages only, compiled at install) never pays.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    kiosk = [sys.executable, "-m", "kiosk.cli.main", "--config", str(cfg), "run", "--windowed"]
    bare = [sys.executable, "-c", BARE]
    try:
        _time_to_ready(kiosk, sock, env)  # first start creates the database and keys (and the .pyc files)
        kiosk_s, bare_s, kiosk_cpu, bare_cpu = [], [], [], []
        for _ in range(runs):  # interleaved, so a busy moment hits both
            kiosk_s.append(_time_to_ready(kiosk, sock, env, kiosk_cpu))
            bare_s.append(_time_to_ready(bare, sock, env, bare_cpu))
    finally:
        sock.close()
    k, b = statistics.median(kiosk_s), statistics.median(bare_s)
    kc, bc = statistics.median(kiosk_cpu), statistics.median(bare_cpu)
    print(f"\ncold start to first paint: kiosk run median {k:.3f} s (runs {[round(x, 3) for x in kiosk_s]}), "
          f"bare Qt window {b:.3f} s (runs {[round(x, 3) for x in bare_s]}), ratio {k / b:.2f} (goal ≤ {GOAL_RATIO})")
    print(f"CPU time to first paint: kiosk run median {kc:.2f} s, bare Qt window {bc:.2f} s, ratio {kc / bc:.2f}")
    bound = GOAL_RATIO if enabled else PLAIN_RATIO
    assert k / b <= bound, f"kiosk run took {k:.2f} s to its first painted home screen, {k / b:.2f}× a bare window"
