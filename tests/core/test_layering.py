"""Layer rules: the core never loads PySide6; drivers and sync never import ui (checked in fresh processes)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import importlib, pkgutil, sys
pkg = importlib.import_module({pkg!r})
for m in pkgutil.walk_packages(pkg.__path__, prefix={pkg!r} + "."):
    if ".tests" in m.name:
        continue
    importlib.import_module(m.name)
bad = sorted(n for n in sys.modules if n.split(".")[0] in {forbidden!r})
print("LOADED:" + ",".join(bad))
"""


def _probe(pkg: str, forbidden: set[str]) -> str:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([sys.executable, "-c", _PROBE.format(pkg=pkg, forbidden=forbidden)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.strip().splitlines()[-1]


def test_importing_every_kiosk_module_loads_no_qt() -> None:
    assert _probe("kiosk", {"PySide6", "shiboken6", "ui"}) == "LOADED:"


@pytest.mark.parametrize("pkg", ["drivers", "sync"])
def test_drivers_and_sync_never_import_ui(pkg: str) -> None:
    assert _probe(pkg, {"PySide6", "shiboken6", "ui"}) == "LOADED:"


def test_kiosk_help_loads_no_qt() -> None:
    code = ("import sys; from kiosk.cli.main import build_parser; build_parser().format_help(); "
            "print('LOADED:' + ','.join(n for n in sys.modules if n.startswith(('PySide6', 'shiboken6'))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "LOADED:"


def test_import_linter_contracts_hold() -> None:
    exe = Path(sys.executable).parent / "lint-imports"
    out = subprocess.run([str(exe)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "Contracts: 2 kept, 0 broken" in out.stdout
