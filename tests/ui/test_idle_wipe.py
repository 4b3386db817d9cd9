"""Idle warning and reset: a full-screen "Need more time?" (the only pop-up) with a countdown, "需要，请再等等我"
and "不用了，结束办理"; then "请取回您的身份证" while the card lies on the reader, and Home once it is lifted, with
every trace of the person gone from widgets, models, session, voice and clipboard. Removing the card resets
too. Timeouts are shortened for the test (the real ones come from the config)."""

from __future__ import annotations

from typing import Any

from journey_taps import card_index, tap, tap_choice, tap_next, type_digits
from PySide6.QtCore import QAbstractItemModel
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QLabel, QLineEdit, QWidget

from drivers.simulated import load_cards
from kiosk.journey.flows.citizen import CitizenPart


def _all_texts(win: QWidget) -> list[str]:
    """Every string any widget of the window holds: texts, tooltips, accessible names, item models."""
    out: list[str] = []
    for w in [win, *win.findChildren(QWidget)]:
        out += [w.toolTip(), w.accessibleName(), w.accessibleDescription(), w.windowTitle(), w.statusTip()]
        if isinstance(w, (QLabel, QAbstractButton, QLineEdit)):
            out.append(w.text())
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            out += _model_texts(w.model())
    return [t for t in out if t]


def _model_texts(model: QAbstractItemModel) -> list[str]:
    return [str(model.data(model.index(r, c))) for r in range(model.rowCount()) for c in range(model.columnCount())]


def _person(label: str) -> tuple[str, str, str]:
    rec = load_cards()[card_index(label)].record
    return rec.name, rec.id_number, rec.display_id_number  # type: ignore[return-value]


def test_idle_warning_then_reset_wipes_everything(qtbot: Any, make_window: Any, reader: Any) -> None:
    win = make_window(idle_seconds=0.5, warning_seconds=1.0)
    r = reader(win)
    name, id_number, masked_id = _person("Resident ID card (aged 72)")
    tap_choice(qtbot, win, "business")
    r.insert(card_index("Resident ID card (aged 72)"))
    qtbot.waitUntil(lambda: win.current == "items", timeout=5000)
    tap_choice(qtbot, win, "pension_qualification")
    tap_next(qtbot, win)
    tap_next(qtbot, win)
    type_digits(qtbot, win, "13800138000")
    tap_next(qtbot, win)
    assert win.current == "review"
    texts = " ".join(_all_texts(win))
    assert masked_id in texts  # the review shows the person (masked) before the reset
    QGuiApplication.clipboard().setText(id_number)  # as if something had been copied
    qtbot.waitUntil(lambda: win.overlay.isVisible(), timeout=5000)
    assert win.overlay.geometry() == win.rect()  # full screen over the kiosk
    assert win.overlay.yes.isVisible()
    assert win.overlay.heading.text() == "还需要更多时间吗？"
    assert "秒后回到首页" in win.overlay.countdown.text()
    assert win.overlay.no.isVisible() and win.overlay.no.text_label.text() == "不用了，结束办理"
    assert win.overlay.yes.text_label.text() == "需要，请再等等我"
    assert "清除" in win.overlay.warning.text() and "身份证" in win.overlay.warning.text()
    with qtbot.waitSignal(win.overlay.expired, timeout=5000):
        pass
    # The card is still on the reader: asked back first, with nothing of the person on the screen.
    assert win.journey.state.value == "take_card" and win.session is None
    assert win.heading.text() == "请取回您的身份证"
    assert not [t for t in _all_texts(win) if name in t or id_number in t or masked_id in t or "138" in t]
    from ui.prompts import prompts

    assert [text for _, text in win.deps.voice.spoken] == [prompts()["take_card"]]  # said, not only shown
    r.remove()
    qtbot.waitUntil(lambda: win.current == "home", timeout=5000)
    assert win.current == "home" and win.session is None
    texts = _all_texts(win)
    leaks = [t for t in texts if name in t or id_number in t or masked_id in t or "138" in t or name[0] + "*" in t]
    assert not leaks, leaks
    assert QGuiApplication.clipboard().text() == ""
    # Only the fixed Home prompt has been said since the reset: nothing about the person or their items.
    assert [text for _, text in win.deps.voice.spoken] == [prompts()["home"]]
    assert win.journey.visit.selected == [] and CitizenPart.of(win.journey.visit).answers == {}


def test_yes_keeps_the_session(qtbot: Any, make_window: Any, reader: Any) -> None:
    win = make_window(idle_seconds=0.3, warning_seconds=20)
    r = reader(win)
    tap_choice(qtbot, win, "business")
    r.insert(card_index("Resident ID card (aged 35)"))
    qtbot.waitUntil(lambda: win.current == "categories", timeout=5000)
    qtbot.waitUntil(lambda: win.overlay.isVisible(), timeout=5000)
    assert 18 <= win.overlay.remaining() <= 20
    tap(qtbot, win.overlay.yes)
    assert not win.overlay.isVisible()
    assert win.current == "categories" and win.session is not None and win.session.principal is not None


def test_default_idle_times_come_from_the_config(make_window: Any) -> None:
    win = make_window()
    assert win.idle_seconds == 60
    assert win.overlay.seconds >= 20


def test_removing_the_card_resets(qtbot: Any, make_window: Any, reader: Any) -> None:
    win = make_window()
    r = reader(win)
    name, id_number, _ = _person("Resident ID card (aged 35)")
    tap_choice(qtbot, win, "business")
    r.insert(card_index("Resident ID card (aged 35)"))
    qtbot.waitUntil(lambda: win.current == "categories", timeout=5000)
    r.remove()
    qtbot.waitUntil(lambda: win.current == "home", timeout=5000)
    assert win.session is None
    assert not [t for t in _all_texts(win) if name in t or id_number in t]


def test_home_button_ends_the_visit(qtbot: Any, make_window: Any, reader: Any) -> None:
    win = make_window()
    r = reader(win)
    tap_choice(qtbot, win, "elderly")
    r.insert(card_index("Resident ID card (aged 72)"))
    qtbot.waitUntil(lambda: win.current == "items", timeout=5000)
    session = win.session
    tap(qtbot, win.home_button)
    assert win.journey.state.value == "take_card" and win.session is None  # the card is asked back first
    assert session.ended is not None and session.principal is None
    r.remove()
    qtbot.waitUntil(lambda: win.current == "home", timeout=5000)


def test_no_ends_the_visit_at_once(qtbot: Any, make_window: Any, reader: Any) -> None:
    win = make_window(idle_seconds=0.3, warning_seconds=20)
    r = reader(win)
    tap_choice(qtbot, win, "business")
    r.insert(card_index("Resident ID card (aged 35)"))
    qtbot.waitUntil(lambda: win.current == "categories", timeout=5000)
    qtbot.waitUntil(lambda: win.overlay.isVisible(), timeout=5000)
    session = win.session
    tap(qtbot, win.overlay.no)  # "不用了，结束办理"
    assert not win.overlay.isVisible() and win.session is None and session.ended is not None
    assert win.journey.state.value == "take_card"
    r.remove()
    qtbot.waitUntil(lambda: win.current == "home", timeout=5000)
