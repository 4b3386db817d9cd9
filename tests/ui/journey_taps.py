"""Tapping helpers for journey tests: real mouse clicks on the kiosk's buttons, turning pages when needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from ui.widgets import ChoiceGrid


def tap(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def visible_choice_keys(win: Any) -> list[str]:
    grid = _grid(win)
    return [b.property("choice_key") for b in grid.visible_buttons() if not b.property("choice_key").startswith("__")]


def _grid(win: Any) -> ChoiceGrid:
    screen = win.screens[win.current]
    grids = [g for g in screen.findChildren(ChoiceGrid) if g.isVisible()]
    assert grids, f"no choices on {win.current}"
    return grids[0]


def tap_choice(qtbot: Any, win: Any, key: str) -> None:
    """Tap the tile `key`, tapping "More" to turn pages as a person would."""
    grid = _grid(win)
    for _ in range(grid.pages() + 1):
        for b in grid.visible_buttons():
            if b.property("choice_key") == key:
                tap(qtbot, b)
                return
        more = [b for b in grid.visible_buttons() if b.property("choice_key") == "__next"]
        assert more, f"{key!r} not on {win.current} and no more pages"
        tap(qtbot, more[0])
    raise AssertionError(f"{key!r} not found on any page of {win.current}")


def tap_next(qtbot: Any, win: Any) -> None:
    assert win.next_button.isVisible(), f"no Next on {win.current}"
    tap(qtbot, win.next_button)


def type_digits(qtbot: Any, win: Any, digits: str) -> None:
    keypad = win.screens["form"].keypad
    for d in digits:
        tap(qtbot, keypad.buttons[d])


def type_on_keypad(qtbot: Any, win: Any, digits: str) -> None:
    """Taps the digits on the keypad of the screen shown now (PIN, phone, typed ID number)."""
    keypad = win.screens[win.current].keypad
    for d in digits:
        tap(qtbot, keypad.buttons[d])


def db_rows(data_dir: Path, sql: str) -> list[Any]:
    """Rows the kiosk wrote, read from its store in the data folder (a connection of the test's own)."""
    from kiosk.store import open_store

    store = open_store(data_dir)
    try:
        return list(store.conn.execute(sql).fetchall())
    finally:
        store.close()


def card_index(label_en: str) -> int:
    from drivers.simulated import load_cards

    for i, card in enumerate(load_cards()):
        if card.label.en.startswith(label_en):
            return i
    raise LookupError(label_en)
