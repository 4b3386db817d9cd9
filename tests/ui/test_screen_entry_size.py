"""A screen is entered at its own size: home right after a visit shows every tile on its first page at once,
even when the other screens were first warmed while the visit was elsewhere (a loaded machine's order). Before,
home kept a layout made for a smaller room for one event-loop turn: "More (page 1 of 2)" flashed, and a tap in
that turn missed 长者专区."""

from __future__ import annotations

from typing import Any

import pytest
from journey_taps import card_index

from kiosk.journey.states import State


@pytest.mark.parametrize(("width", "height", "scale"), [(1920, 1080, 1.5), (1080, 1920, 1.5), (1920, 1080, 1.0)])
def test_home_tiles_are_shown_at_once_when_prewarm_ran_during_a_visit(qtbot: Any, make_window: Any, reader: Any,
                                                                   ui_config: Any, width: int, height: int,
                                                                   scale: float) -> None:
    cfg = ui_config.model_copy(update={"ui": ui_config.ui.model_copy(update={"text_scale": scale})})
    win = make_window(width=width, height=height, config=cfg)
    r = reader(win)
    every = ['办理业务', '取号', '呼叫志愿者', '查询打印', '长者专区']
    r.insert(card_index("Resident ID card (aged 72)"))
    qtbot.waitUntil(lambda: win.journey.state is State.ITEMS, timeout=15000)
    win.prewarm()  # as a slow machine does it: the screens first made and warmed while the visit is elsewhere
    r.remove()
    qtbot.waitUntil(lambda: win.journey.state is State.HOME, timeout=15000)
    at_once = sorted(b.label_text() for b in win.screens["home"].grid.visible_buttons())
    qtbot.wait(200)
    later = sorted(b.label_text() for b in win.screens["home"].grid.visible_buttons())
    assert (at_once, later) == (every, every)
