"""Layer rules: the core never loads PySide6; drivers and sync never import ui (checked in fresh processes)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

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
    assert "Contracts: 4 kept, 0 broken" in out.stdout


def _contracts() -> dict[str, dict[str, Any]]:
    import tomllib

    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    return {c["id"]: c for c in conf["contracts"]}


def test_every_sync_module_is_on_one_side_of_the_hub_contracts() -> None:
    """The hub and kiosk-side contracts list the kiosk-side sync modules by name: a new module of sync/ must be
    put on a side (the kiosk side, or the hub's sync.hub), else these contracts would not see it."""
    import pkgutil

    import sync

    contracts = _contracts()
    modules = {f"sync.{m.name}" for m in pkgutil.iter_modules(sync.__path__)} - {"sync.hub"}
    shared = {"sync.wire"}  # the wire format both sides speak: the hub may import it
    assert modules - shared - set(contracts["hub"]["forbidden_modules"]) == set(), "missing in the hub contract"
    assert modules - set(contracts["kiosk-side"]["source_modules"]) == set(), "missing in the kiosk-side contract"


def test_kiosk_commands_come_from_entry_points_not_names() -> None:
    """No string in kiosk/ names ui, drivers or sync (for importlib or otherwise): their commands and the ticket
    printer are found through the entry points in pyproject.toml."""
    import re

    pattern = re.compile(r"""["'](ui|drivers|sync)(\.[a-z_]+)*["']""")
    hits = [f"{p.relative_to(ROOT)}:{n}" for p in (ROOT / "kiosk").rglob("*.py")
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert hits == []
    from kiosk import plugins

    names = {ep.__module__ for ep in plugins.load(plugins.COMMANDS)}
    assert {"drivers.cli", "sync.cli", "sync.hub_checks", "ui.cli"} <= names
    [printer] = plugins.load(plugins.TICKET_PRINTERS)
    assert printer.__module__ == "drivers.printer.ticket_print"
