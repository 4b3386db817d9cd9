"""`kiosk run` paints its home screen before it imports what only a visitor needs: OpenCV and numpy (a camera's
first frame), the code checks, argon2 (a staff PIN), the AES-GCM cipher (a visitor's data), fpdf2/fontTools
(paper), the hub client. They load right after the first paint (`ui.app.HEAVY_MODULES`). A module creeping back
onto the start path would slow every cold start (tests/bench/test_bench_start_run.py measures it); this catches
it without a timing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Not imported before READY=1 (the first paint), each deferred to its first use or to the after-paint preload.
DEFERRED = ("cv2", "numpy", "zxingcpp", "pyzbar", "argon2", "cryptography.hazmat.primitives.ciphers.aead",
            "fpdf", "fontTools", "jsonschema", "requests", "sqlite_utils", "PIL", "kiosk.codes.verify",
            "kiosk.codes.checker", "kiosk.codes.imaging", "sync.client")

# The real start path (`kiosk run` through the CLI), stopped at the moment it tells systemd READY=1: the modules
# loaded by then are written out, and the process ends before the after-paint preload.
PROBE = """
import json, os, sys
import ui.app
real_notify = ui.app.notify
def notify(state):
    if state == "READY=1":
        with open(os.environ["MODULES_OUT"], "w") as f:
            json.dump(sorted(sys.modules), f)
        os._exit(0)
    return real_notify(state)
ui.app.notify = notify
from kiosk.cli.main import main
sys.exit(main(["--config", os.environ["KIOSK_TEST_CONFIG"], "run", "--windowed"]))
"""


def test_kiosk_run_paints_before_importing_what_only_a_visitor_needs(tmp_path: Path) -> None:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'data_dir = "{tmp_path / "data"}"\n[printer]\npdf_dir = "{tmp_path / "r"}"\n[ui]\nvoice = false\n',
                   encoding="utf-8")  # devices left at their default: none
    out = tmp_path / "modules.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MODULES_OUT=str(out), KIOSK_TEST_CONFIG=str(cfg))
    env.pop("NOTIFY_SOCKET", None)
    env.pop("WATCHDOG_USEC", None)
    loaded: set[str] = set()
    # The first start creates the store, its schema (sqlite-utils migrations) and its keys: once per kiosk. The
    # second is the everyday cold start, the one that must stay light.
    for _ in range(2):
        out.unlink(missing_ok=True)
        run = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=120)
        assert run.returncode == 0 and out.exists(), run.stderr[-2000:]
        loaded = set(json.loads(out.read_text(encoding="utf-8")))
        assert "ui.window" in loaded and "PySide6.QtWidgets" in loaded  # the probe really saw the painted kiosk
    early = sorted(m for m in loaded if any(m == d or m.startswith(d + ".") for d in DEFERRED))
    assert early == [], f"imported before the first paint: {early}"
    assert "ui.demo" not in loaded  # `kiosk run` composes no demo material (ui/app.py names none)


def test_every_deferred_module_is_preloaded_after_the_first_paint() -> None:
    # Deferred is not forgotten: a C extension imported lazily on a driver thread would hold the GIL mid-visit.
    from ui.app import HEAVY_MODULES

    preloaded = set(HEAVY_MODULES)
    for name in ("cv2", "numpy", "argon2", "cryptography.hazmat.primitives.ciphers.aead", "fpdf",
                 "fontTools.ttLib", "jsonschema", "kiosk.codes.checker", "sync.client"):
        assert name in preloaded, name
