"""The on-screen keypad is laid out like a telephone (1 2 3 / 4 5 6 / 7 8 9 / Delete 0 Clear); an ID-number
field swaps Clear for X, every other field keeps Clear and has no X. Driven by taps on the real window."""

from __future__ import annotations

from typing import Any

from journey_taps import card_index, tap, tap_choice, tap_next, type_digits

from kiosk.identity.idnumber import check_char
from ui.theme import MIN_BUTTON_PX


def _rows(keypad: Any, win: Any) -> list[list[str]]:
    """Visible keys grouped by their row on screen, left to right."""
    shown = [(b.mapTo(win, b.rect().topLeft()), k) for k, b in keypad.buttons.items() if b.isVisible()]
    rows: dict[int, list[tuple[int, str]]] = {}
    for pos, k in shown:
        rows.setdefault(pos.y(), []).append((pos.x(), k))
    return [[k for _, k in sorted(r)] for _, r in sorted(rows.items())]


def test_phone_layout_and_x_only_for_an_id_number(qtbot: Any, make_window: Any, reader: Any, ui_config: Any) -> None:
    win = make_window()
    r = reader(win)
    tap_choice(qtbot, win, "business")
    r.insert(card_index("Resident ID card (aged 35)"))
    qtbot.waitUntil(lambda: win.current == "categories", timeout=5000)
    tap_choice(qtbot, win, "after_death")
    tap_choice(qtbot, win, "funeral_subsidy")
    tap_next(qtbot, win)
    while win.current == "materials":
        tap_next(qtbot, win)
    form = win.screens["form"]
    keypad = form.keypad
    assert form.field.code == "deceased_id_number"
    assert _rows(keypad, win) == [["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"], ["del", "0", "X"]]
    assert all(b.height() >= MIN_BUTTON_PX for b in keypad.buttons.values() if b.isVisible())
    assert "X" in win.instruction.text()  # says when to touch X
    first17 = "11010519491231002"
    good = first17 + check_char(first17)
    assert good.endswith("X")
    type_digits(qtbot, win, first17[:-1] + "9")  # one digit wrong, then X: the check character does not fit
    tap(qtbot, keypad.buttons["X"])
    tap_next(qtbot, win)
    assert form.error and form.field.code == "deceased_id_number"
    for _ in range(2):
        tap(qtbot, keypad.buttons["del"])
    type_digits(qtbot, win, first17[-1])
    tap(qtbot, keypad.buttons["X"])
    assert form.value_label.text() == "110105 19491231 002X"
    tap_next(qtbot, win)
    assert not form.error and form.field.code != "deceased_id_number"
    assert win.session.form_values["deceased_id_number"] == good
    # Answer the remaining questions; the phone keypad has Clear and no X.
    while form.field is not None and form.field.kind == "choice":
        tap_choice(qtbot, win, "0")
        tap_next(qtbot, win)
    while form.field is not None and form.field.kind != "phone":
        type_digits(qtbot, win, "6222020200112233445"[:form.field.max_length])
        tap_next(qtbot, win)
        while form.field is not None and form.field.kind == "choice":
            tap_choice(qtbot, win, "0")
            tap_next(qtbot, win)
    assert form.field is not None and form.field.kind == "phone"
    assert _rows(keypad, win)[3] == ["del", "0", "clear"]
    tap(qtbot, keypad.buttons["X"])  # hidden: even a stray press types nothing
    assert keypad.value == ""
    type_digits(qtbot, win, "13800138000")
    tap_next(qtbot, win)
    assert win.current == "review"
    shown = " ".join(lab.text() for lab in win.screens["review"]._labels)
    assert "110105********002X" in shown and good not in shown
