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


def _as_user(read_anything: bool) -> list[str]:
    """Prefix running a command as the unprivileged user (nothing when the tests already run as one). With
    `read_anything`, the user keeps only CAP_DAC_READ_SEARCH (read and search every folder, nothing else): the
    test's interpreter may live in root's home (pyenv), which the user could not otherwise reach."""
    if os.getuid() != 0:
        return []
    caps = ["--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"] if read_anything else []
    return ["setpriv", f"--reuid={USER}", "--regid=nogroup", "--clear-groups", *caps]


def _user_prefix() -> list[str]:
    # Through `env`, as cage will start it: an exec straight from setpriv still passes root's path checks.
    for read_anything in (False, True):
        cmd = [*_as_user(read_anything), "env", "-i", "PATH=/usr/bin:/bin", sys.executable, "-c",
               "import PySide6.QtGui, pydantic"]
        if subprocess.run(cmd, capture_output=True, timeout=60, cwd="/").returncode == 0:
            return _as_user(read_anything)
    pytest.fail(f"user {USER} cannot run {sys.executable}")


def test_kiosk_run_under_headless_cage_is_full_screen_on_wayland() -> None:
    cage = shutil.which("cage")
    assert cage, "cage is missing: packaging/setup.sh installs it (with xwayland)"
    prefix = _user_prefix()
    python = sys.executable
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
        cmd = [*prefix, cage, "-d", "--", python, "-m", "kiosk.cli.main", "-v", "run"]
        if os.getuid() == 0:
            # What systemd-tmpfiles (x11.conf) makes at boot: else cage's Xwayland, started as the user, would
            # create it owned by that user, and every later user's cage refuses it.
            x11 = Path("/tmp/.X11-unix")
            x11.mkdir(exist_ok=True)
            os.chown(x11, 0, 0)
            os.chmod(x11, 0o1777)
            u = pwd.getpwnam(USER)
            for p in (work, runtime):
                os.chown(p, u.pw_uid, u.pw_gid)
            os.chmod(work, 0o755)
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
        # Full screen at the first paint, or confirmed by the compositor right after it (a Wayland configure).
        later = re.findall(r"kiosk window state: full screen (\w+)", out)
        assert full == "True" or later[-1:] == ["True"], out[-3000:]
        assert screen == f"{w}x{h}", "the window covers cage's output exactly"
    finally:
        shutil.rmtree(work, ignore_errors=True)
