"""`kiosk demo`: registered with a light import (no Qt until it runs), options as documented, and the tour
writing one PNG per screen for a given size, language and scale."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from screen_rules import TOUR_STATES, is_blank

ROOT = Path(__file__).resolve().parents[2]


def test_cli_module_is_light_and_registers_demo() -> None:
    code = ("import sys, ui.cli; from kiosk.cli.main import build_parser; p = build_parser(); "
            "assert 'PySide6' not in sys.modules, 'Qt imported at registration'; "
            "print(p.parse_args(['demo', '--tour', 'x', '--size', '1080x1920', '--lang', 'en', '--scale', '1.25']))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "size='1080x1920'" in out.stdout and "scale='1.25'" in out.stdout and "lang='en'" in out.stdout


def test_demo_help_lists_the_options() -> None:
    out = subprocess.run([sys.executable, "-m", "kiosk.cli.main", "demo", "--help"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    for opt in ("--windowed", "--tour DIR", "1920x1080", "1080x1920", "zh_CN", "1.25", "1.5"):
        assert opt in out.stdout, opt


def test_demo_tour_command_writes_pngs(tmp_path: Path) -> None:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'data_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-m", "kiosk.cli.main", "--config", str(cfg), "demo", "--tour",
                          str(tmp_path / "tour"), "--size", "1080x1920", "--lang", "en", "--scale", "1.5"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    files = sorted((tmp_path / "tour").glob("*.png"))
    assert {f.stem for f in files} == TOUR_STATES and "home.png" in {f.name for f in files}
    assert not [f.name for f in files if is_blank(str(f))]
    from PySide6.QtGui import QImage

    img = QImage(str(files[0]))
    assert (img.width(), img.height()) == (1080, 1920)
    _check_screens_json(tmp_path / "tour" / "screens.json")
    # The tour is the demo's: it names itself so (in English here), as the demo window does.
    assert '"Demo kiosk"' in (tmp_path / "tour" / "screens.json").read_text(encoding="utf-8")


def _check_screens_json(path: Path) -> None:
    """The tour as data: every state, every visible button and label; the rules checked from the data."""
    import json

    from ui.theme import MIN_BODY_PX, MIN_BUTTON_PX, contrast_ratio

    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["size"], data["lang"], data["scale"]) == ("1080x1920", "en", 1.5)
    assert set(data["states"]) == TOUR_STATES
    for name, state in data["states"].items():
        assert state["buttons"] and state["labels"], name
        for b in state["buttons"]:
            assert set(b) == {"key", "text", "rect", "enabled"} and b["text"] and b["enabled"], (name, b)
            x, y, w, h = b["rect"]
            assert x >= 0 and y >= 0 and x + w <= 1080 and y + h <= 1920, (name, b)
            assert h >= MIN_BUTTON_PX or b["key"] in ("LangButton", "ScaleButton", "ReadButton"), (name, b)
        for lab in state["labels"]:
            assert set(lab) == {"text", "font_px", "color", "background"}, (name, lab)
            assert lab["font_px"] >= MIN_BODY_PX, (name, lab)
            assert contrast_ratio(lab["color"], lab["background"]) >= 7.0, (name, lab)
    home = {b["key"] for b in data["states"]["home"]["buttons"]}
    assert {"business", "ticket", "volunteer"} <= home and not home & {"staff_menu", "signin"}
    assert {b["key"] for b in data["states"]["staff_menu"]["buttons"]} >= {"assist", "priority", "batch"}


def test_demo_roster_survives_the_pull_from_the_demo_hub(tmp_path: Path) -> None:
    """The demo's badge stays a staff member's after the sync worker pulls the roster: the demo hub publishes the
    demo roster (a hub's own default roster is empty). Real embedded hub, real pull."""
    import json

    from kiosk.config import KioskConfig
    from kiosk.store import open_store
    from ui.adapters import DeviceBridge
    from ui.app import qt_app
    from ui.demo import DEMO_STAFF_ID, demo_config, seed_demo_roster, start_demo_devices

    qt_app()
    cfg, _ = demo_config(KioskConfig(), tmp_path)
    seed_demo_roster(cfg.data_dir)
    cfg, devices = start_demo_devices(cfg, DeviceBridge())
    try:
        results = devices.sync.pull()
        assert any(r.name == "roster" and r.outcome in ("updated", "unchanged") for r in results), results
        devices.sync.close()
        store = open_store(cfg.data_dir)
        try:
            roster = json.loads(bytes(store.cache_get("roster")["body"]))
        finally:
            store.close()
    finally:
        devices.stop()
    assert [m["id"] for m in roster["members"]] == [DEMO_STAFF_ID]


def test_only_the_demo_calls_itself_a_demo(tmp_path: Path) -> None:
    """A real kiosk left without `display_name` is a self-service kiosk on screen and paper, never "演示"; the
    demo names itself a demo unless its config names it."""
    from kiosk.config import KioskConfig
    from ui.demo import demo_config

    real = KioskConfig()
    assert "演示" not in real.display_name and "demo" not in real.display_name.lower()
    assert "演示" in demo_config(KioskConfig(), tmp_path)[0].display_name
    named = demo_config(KioskConfig(display_name="天河区政务服务中心 3号机"), tmp_path)[0]
    assert named.display_name == "天河区政务服务中心 3号机"
