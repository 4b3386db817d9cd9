"""The systemd units and the install scripts: `systemd-analyze verify` accepts the units (with the venv path
pointed at this checkout's), the kiosk unit says what the issue asks, and the shell scripts parse."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "packaging" / "systemd"


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(UNITS / name, encoding="utf-8")
    return parser


def test_systemd_analyze_verify_accepts_the_units(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing (Debian package systemd)"
    bindir = str(Path(sys.executable).parent)
    for unit in UNITS.glob("*.service"):
        text = unit.read_text(encoding="utf-8").replace("/opt/kiosk/venv/bin", bindir)
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    cage = shutil.which("cage")
    assert cage == "/usr/bin/cage", "cage (Debian package) is what the kiosk unit starts"
    out = subprocess.run([analyze, "verify", *sorted(str(p) for p in tmp_path.glob("*.service"))],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    # Warnings about our units would name them; other units on the machine are not ours to judge.
    ours = [line for line in (out.stdout + out.stderr).splitlines() if "kiosk" in line]
    assert ours == [], ours


def test_kiosk_unit_runs_cage_with_notify_watchdog_and_restart() -> None:
    unit = _unit("kiosk.service")
    service = unit["Service"]
    assert service["Type"] == "notify"
    assert service["NotifyAccess"] == "all"  # cage is the main process; the kiosk is its child
    assert service["WatchdogSec"] == "30"
    assert service["Restart"] == "always"
    assert service["User"] == "kiosk"
    assert service["TTYPath"] == "/dev/tty1"
    exec_start = service["ExecStart"].split()
    assert exec_start[0] == "/usr/bin/cage" and exec_start[exec_start.index("--") + 1:] == [
        "/opt/kiosk/venv/bin/kiosk", "run"]
    assert "pcscd" in unit["Unit"]["After"]
    hub = _unit("kiosk-hub.service")["Service"]
    assert hub["User"] == "kiosk-hub" and "kiosk-hub serve" in hub["ExecStart"]


def test_scripts_parse_and_refuse_non_root() -> None:
    for script in ("install.sh", "uninstall.sh", "setup.sh", "run.sh"):
        out = subprocess.run(["bash", "-n", str(ROOT / "packaging" / script)], capture_output=True, text=True)
        assert out.returncode == 0, (script, out.stderr)
    out = subprocess.run(["bash", str(ROOT / "packaging" / "install.sh"), "--role", "nonsense"], capture_output=True,
                         text=True, timeout=30)
    assert out.returncode == 2 and "--role must be kiosk, hub or both" in out.stderr


def test_udev_rules_parse_without_complaint(tmp_path: Path) -> None:
    """udevadm reads the rules (placed in /run/udev/rules.d, the runtime rules folder, for the test) and names no
    line of them as invalid; a deliberately broken copy is named, so the check can fail."""
    import os

    import pytest

    udevadm = shutil.which("udevadm")
    if udevadm is None or os.getuid() != 0 or not Path("/sys/class/tty/console").exists():
        pytest.skip("needs root, udevadm and /sys (the rules were then only checked on paper)")
    rules = (ROOT / "packaging" / "udev" / "70-kiosk.rules").read_text(encoding="utf-8")
    run_dir = Path("/run/udev/rules.d")
    run_dir.mkdir(parents=True, exist_ok=True)
    good, bad = run_dir / "70-kiosk-test.rules", run_dir / "71-kiosk-test-broken.rules"
    good.write_text(rules, encoding="utf-8")
    bad.write_text(rules.replace("SYMLINK+=", "SYMLNK+=", 1), encoding="utf-8")
    try:
        out = subprocess.run([udevadm, "test", "/sys/class/tty/console"], capture_output=True, text=True,
                             timeout=60)
    finally:
        good.unlink()
        bad.unlink()
    text = out.stdout + out.stderr
    assert f"Reading rules file: {good}" in text
    assert [line for line in text.splitlines() if line.startswith(str(good) + ":")] == []
    assert any(line.startswith(str(bad) + ":") and "Invalid key" in line for line in text.splitlines())
