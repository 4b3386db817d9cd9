"""The one-folder bundle: PyInstaller builds dist/kiosk/ from packaging/kiosk.spec (as `packaging/run.sh bundle`
does), with Qt's wayland and xcb platform plugins and without the Qt modules the kiosk never uses; the bundled
`kiosk --version` and `kiosk doctor --json` run offscreen. Build time and size are printed (CI budget)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_bundle_builds_and_runs_offscreen(tmp_path: Path) -> None:
    pyinstaller = shutil.which("pyinstaller", path=str(Path(sys.executable).parent))
    assert pyinstaller, "PyInstaller is missing: pip install pyinstaller (a dev dependency)"
    dist, work = tmp_path / "dist", tmp_path / "build"
    t0 = time.perf_counter()
    out = subprocess.run([pyinstaller, "--noconfirm", "--log-level", "WARN", "--distpath", str(dist), "--workpath",
                          str(work), str(ROOT / "packaging" / "kiosk.spec")], cwd=ROOT, capture_output=True,
                         text=True, timeout=1500)
    build_s = time.perf_counter() - t0
    assert out.returncode == 0, out.stderr[-3000:]
    folder = dist / "kiosk"
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"\nbundle: built in {build_s:.0f} s, {size / 2**20:.0f} MiB")
    plugins = folder / "_internal" / "PySide6" / "Qt" / "plugins"
    assert (plugins / "platforms" / "libqwayland.so").exists() and (plugins / "platforms" / "libqxcb.so").exists()
    assert (plugins / "wayland-shell-integration").is_dir()
    libs = {p.name for p in (folder / "_internal" / "PySide6" / "Qt" / "lib").iterdir()}
    unused = [n for n in libs if any(m in n for m in ("WebEngine", "Quick", "Qml", "Pdf", "3D", "VirtualKeyboard"))]
    assert unused == []

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'data_dir = "{tmp_path / "data"}"\n[card_reader]\ndriver = "none"\n[scanner]\ndriver = "none"\n'
                   f'[printer]\npdf_dir = "{tmp_path / "r"}"\n', encoding="utf-8")
    version = subprocess.run([str(folder / "kiosk"), "--version"], capture_output=True, text=True, env=env,
                             timeout=120, cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("kiosk "), version.stderr
    doctor = subprocess.run([str(folder / "kiosk"), "--config", str(cfg), "doctor", "--json"], capture_output=True,
                            text=True, env=env, timeout=300, cwd=tmp_path)
    report = json.loads(doctor.stdout)
    checks = {c["name"]: c for c in report["checks"]}
    # Every part of the kiosk is in the bundle: the checks of each package ran, none crashed.
    assert {"config", "data_dir", "card_reader", "scanner", "printer", "font", "qt", "disk_space"} <= set(checks)
    assert not [c for c in checks.values() if c["message"].startswith("Check failed to run")]
    assert checks["qt"]["ok"] and checks["font"]["ok"]
