"""The screen tour at both panel sizes, both languages and every text scale: every state is checked against
the screen rules (fonts, no clipping, button sizes and gaps, icon + words, ≤ 6 choices, no pop-ups, one
language only) and every PNG has content; and, tour-wide, the habit trap: the bottom-right place holds each
state's main forward action or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from screen_rules import TOUR_STATES, check_state, is_blank, primary_place_problems

from ui.tour import SIZES, render_tour

EXPECTED = TOUR_STATES


@pytest.mark.parametrize("scale", [1.0, 1.25, 1.5])
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("size", sorted(SIZES))
def test_every_screen_meets_the_rules(qapp: Any, ui_config: Any, tmp_path: Path, size: str, lang: str,
                                      scale: float) -> None:
    problems: list[str] = []
    traps: list[str] = []
    seen: list[str] = []

    def on_shot(name: str, win: Any) -> None:
        seen.append(name)
        problems.extend(check_state(name, win, lang))
        traps.extend(primary_place_problems(name, win))

    files = render_tour(ui_config, tmp_path / "tour", size=size, lang=lang, scale=scale, on_shot=on_shot)
    assert set(seen) == EXPECTED
    assert {f.stem for f in files} == EXPECTED
    blank = [f.name for f in files if is_blank(str(f))]
    assert not blank, blank
    assert not problems, "\n".join(problems[:40])
    assert not traps, "\n".join(traps[:40])
