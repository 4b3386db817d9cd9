"""Language: zh_CN by default, English on a tap, switchable on every screen at runtime (QTranslator); the
committed .ts matches the strings in the code and is fully translated."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from journey_taps import tap
from screen_rules import check_state

from ui.i18n import TS_FILES
from ui.script import has_cjk
from ui.tour import render_tour

UI = Path(__file__).resolve().parents[2] / "ui"


def _sources(ts: Path) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for msg in ET.parse(ts).iter("message"):
        tr = msg.find("translation")
        finished = tr is not None and tr.get("type") not in ("unfinished", "obsolete", "vanished")
        out[msg.findtext("source") or ""] = tr.text if finished and tr is not None else None
    return out


def test_committed_ts_matches_the_code_and_is_translated(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    files = sorted(str(p) for p in UI.rglob("*.py"))
    subprocess.run([str(lupdate), *files, "-ts", str(fresh)], check=True, capture_output=True, timeout=120)
    in_code = set(_sources(fresh))
    committed = _sources(TS_FILES["zh_CN"])
    assert in_code == set(committed), {"missing in .ts": in_code - set(committed),
                                       "stale in .ts": set(committed) - in_code}
    untranslated = [s for s, t in committed.items() if not t]
    assert not untranslated
    # Placeholders survive translation.
    for source, text in committed.items():
        assert sorted(re.findall(r"%\d", source)) == sorted(re.findall(r"%\d", text or "")), source


def test_switch_language_on_every_screen(qapp: Any, ui_config: Any, tmp_path: Path) -> None:
    """Walk the tour in Chinese; on every screen switch to English and back with the on-screen button."""
    problems: list[str] = []
    headings: list[tuple[str, str, str]] = []

    def on_shot(name: str, win: Any) -> None:
        zh_heading = win.heading.text()
        win.lang_button.click()
        settle()
        problems.extend(check_state(name + "/en", win, "en"))
        en_heading = win.heading.text()
        win.lang_button.click()
        settle()
        problems.extend(check_state(name + "/zh", win, "zh_CN"))
        headings.append((name, zh_heading, en_heading))
        assert win.heading.text() == zh_heading

    render_tour(ui_config, tmp_path / "t", size="1920x1080", lang="zh_CN", on_shot=on_shot)
    assert not problems, "\n".join(problems[:30])
    for name, zh, en in headings:
        assert has_cjk(zh) and not has_cjk(en), (name, zh, en)


def test_language_button_names_the_other_language(qtbot: Any, make_window: Any) -> None:
    win = make_window()
    assert win.lang == "zh_CN" and win.lang_button.label_text() == "English"
    tap(qtbot, win.lang_button)
    assert win.lang == "en" and win.lang_button.label_text() == "中文"
    assert win.heading.text().startswith("Welcome")


def settle() -> None:
    from ui.tour import settle as tour_settle

    tour_settle()
