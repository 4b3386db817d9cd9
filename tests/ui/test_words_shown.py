"""Words a citizen reads on the real window: the text-size button says the size in use and what a tap does; a
keypad's empty box says what it expects, and a short phone number is refused with the 11 digits named."""

from __future__ import annotations

from typing import Any

from journey_taps import card_index, tap, tap_choice, tap_next, type_digits

from kiosk.journey.flows.citizen import CitizenPart


def test_text_size_button_says_the_size_in_use_and_what_a_tap_does(qtbot: Any, make_window: Any) -> None:
    win = make_window(width=1080, height=1920)
    win.set_language("zh_CN")
    seen = []
    for _ in range(3):
        seen.append((win.scale, win.scale_button.label_text()))
        tap(qtbot, win.scale_button)
    seen.append((win.scale, win.scale_button.label_text()))
    assert seen == [(1.0, "字号：标准 · 点一下放大"), (1.25, "字号：大 · 点一下更大"),
                    (1.5, "字号：特大 · 点一下还原"), (1.0, "字号：标准 · 点一下放大")]
    # The words fit their button (it does not wrap) and the button fits the window: nothing cut off.
    for lang in ("zh_CN", "en"):
        win.set_language(lang)
        for _ in range(3):
            b = win.scale_button
            qtbot.wait(50)
            assert b.text_label.fontMetrics().horizontalAdvance(b.label_text()) <= b.text_label.width()
            right = b.mapTo(win, b.rect().topRight()).x()
            assert right < win.width(), (lang, win.scale, right)
            tap(qtbot, b)
    assert win.scale_button.label_text() == "Text: normal · tap for larger"


def test_phone_box_says_11_digits_and_a_short_number_is_refused_so(qtbot: Any, make_window: Any,
                                                                   reader: Any) -> None:
    win = make_window()
    win.set_language("zh_CN")
    r = reader(win)
    tap_choice(qtbot, win, "business")
    r.insert(card_index("Resident ID card (aged 72)"))
    qtbot.waitUntil(lambda: win.current == "items", timeout=5000)
    tap_choice(qtbot, win, "pension_qualification")
    tap_next(qtbot, win)
    while win.current == "materials":
        tap_next(qtbot, win)
    form = win.screens["form"]
    assert form.field is not None and form.field.kind == "phone"
    assert form.value_label.text() == "11位手机号码，座机要带区号"  # said in the empty box
    type_digits(qtbot, win, "1380013")
    assert form.value_label.text() == "138 0013"
    tap_next(qtbot, win)
    assert form.field.kind == "phone" and "11位" in form.error
    assert CitizenPart.of(win.journey.visit).answers.get("phone", "") in ("", "1380013")  # what was typed is not lost
    assert form.keypad.value == "1380013"
    win.set_language("en")
    for _ in range(7):
        tap(qtbot, form.keypad.buttons["del"])
    assert form.value_label.text() == "11-digit mobile number, or a landline with area code"
