"""`kiosk run` under Debian's cage, headless, as an unprivileged user (cage refuses root): Qt runs on the
`wayland` platform, the window is full screen on cage's output, and READY=1 / WATCHDOG=1 come from cage's
child (why the unit says NotifyAccess=all)."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
USER = "nobody"


def _runs_as_user(python: str) -> bool:
    # Through `env`, as cage will start it: an exec straight from setpriv still passes root's path checks.
    cmd = ["env", "-i", "PATH=/usr/bin:/bin", python, "-c", "import PySide6.QtGui, pydantic"]
    if os.getuid() == 0:
        cmd = ["setpriv", f"--reuid={USER}", "--regid=nogroup", "--clear-groups", *cmd]
    out = subprocess.run(cmd, capture_output=True, timeout=60, cwd="/")
    return out.returncode == 0


def _python() -> str:
    """This interpreter when the unprivileged user can run it (CI: tests run as a normal user); as root, the
    installed kiosk's venv (/opt/kiosk, Debian's python3, made by packaging/install.sh) runs the checkout's code."""
    for candidate in (sys.executable, "/opt/kiosk/venv/bin/python"):
        if Path(candidate).exists() and _runs_as_user(candidate):
            return candidate
    pytest.skip(f"no Python with the kiosk's dependencies that user {USER} may run (this interpreter lives in "
                "root's home); run the tests as a normal user, or run packaging/install.sh first")


def test_kiosk_run_under_headless_cage_is_full_screen_on_wayland() -> None:
    cage = shutil.which("cage")
    assert cage, "cage is missing: packaging/setup.sh installs it (with xwayland)"
    python = _python()
    work = Path(tempfile.mkdtemp(prefix="kiosk-cage-", dir="/tmp"))
    try:
        runtime = work / "run"
        runtime.mkdir(mode=0o700)
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify.bind(str(work / "notify.sock"))
        notify.settimeout(1.0)
        os.chmod(work / "notify.sock", 0o777)  # connecting needs write permission on the socket file
        cfg = work / "kiosk.toml"
        cfg.write_text(f'data_dir = "{work / "data"}"\n[card_reader]\ndriver = "none"\n[scanner]\ndriver = "none"\n'
                       f'[printer]\npdf_dir = "{work / "receipts"}"\n[ui]\nvoice = false\n', encoding="utf-8")
        env = {"PATH": "/usr/bin:/bin", "HOME": str(work), "XDG_RUNTIME_DIR": str(runtime), "PYTHONPATH": str(ROOT),
               "WLR_BACKENDS": "headless", "WLR_LIBINPUT_NO_DEVICES": "1", "WLR_RENDERER": "pixman",
               "QT_QPA_PLATFORM": "wayland", "KIOSK_CONFIG": str(cfg), "NOTIFY_SOCKET": str(work / "notify.sock"),
               "WATCHDOG_USEC": "2000000"}
        cmd = [cage, "-d", "--", python, "-m", "kiosk.cli.main", "-v", "run"]
        if os.getuid() == 0:
            u = pwd.getpwnam(USER)
            for p in (work, runtime):
                os.chown(p, u.pw_uid, u.pw_gid)
            os.chmod(work, 0o755)
            cmd = ["setpriv", f"--reuid={USER}", "--regid=nogroup", "--clear-groups", *cmd]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        received: list[str] = []
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and received.count("WATCHDOG=1") < 2 and proc.poll() is None:
                try:
                    received.append(notify.recv(256).decode())
                except TimeoutError:
                    continue
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                out, _ = proc.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, _ = proc.communicate()
            notify.close()
        assert received[:1] == ["READY=1"] and received.count("WATCHDOG=1") >= 2, (received, out[-3000:])
        shown = re.search(r"kiosk window shown: platform (\S+), window (\d+)x(\d+), full screen (\w+), "
                          r"screen (\d+x\d+)", out)
        assert shown, out[-3000:]
        platform, w, h, full, screen = shown.groups()
        assert platform == "wayland"
        assert full == "True"
        assert screen == f"{w}x{h}", "the window covers cage's output exactly"
    finally:
        shutil.rmtree(work, ignore_errors=True)
