"""Language: zh_CN by default, English on a tap, switchable on every screen at runtime (the catalog's
completeness is checked by tests/core/test_text_catalog.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from journey_taps import tap
from screen_rules import check_state

from ui.script import has_cjk
from ui.tour import render_tour

UI = Path(__file__).resolve().parents[2] / "ui"


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
