"""Taps to a submitted pension certification, counted in the real window with the simulated card reader, both
ways in (the card laid on the home screen first, or 长者专区 first) at both panel sizes and at 1.5× text: 4 and 5
when the hall knows the phone. Every tap is a mouse click on the button found by the words it shows."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

import pytest
from journey_taps import card_index

from kiosk.clock import CHINA_TZ
from kiosk.journey import State
from ui.widgets import BigButton

ELDER = card_index("Resident ID card (aged 72)")


def _known_phone_from_an_earlier_day(cfg: Any) -> None:
    """This kiosk took the person's phone with a submission on an earlier day (sealed in its store), so the
    phone question offers it for one tap and nothing was submitted today."""
    from drivers.simulated import load_cards
    from kiosk.catalog.loader import load_bundled_catalog
    from kiosk.services import submit_items
    from kiosk.session import Session
    from kiosk.store import open_store

    person = load_cards()[ELDER].record
    store = open_store(cfg.data_dir)
    try:
        s = Session()
        s.identify(person)
        s.select_items(["pension_qualification"])
        submit_items(store, s, load_bundled_catalog(), cfg.kiosk_id, {"phone": "13800138000"})
    finally:
        store.close()
    _move_receipts_to_yesterday(cfg)


def _move_receipts_to_yesterday(cfg: Any) -> None:
    today = dt.datetime.now(CHINA_TZ)
    yesterday = today - dt.timedelta(days=1)
    with sqlite3.connect(cfg.data_dir / "kiosk.db") as db:
        db.execute("UPDATE transactions SET receipt_no = replace(receipt_no, ?, ?)",
                   (f"-{today:%Y%m%d}-", f"-{yesterday:%Y%m%d}-"))


def _tile_places(win: Any) -> dict[str, tuple[int, int, int, int]]:
    """Where each visible button of the items screen sits in the window."""
    from PySide6.QtCore import QPoint

    places = {}
    for b in win.screens["items"].findChildren(BigButton):
        if b.isVisible():
            p = b.mapTo(win, QPoint(0, 0))
            places[b.label_text()] = (p.x(), p.y(), b.width(), b.height())
    return places


def _showing(win: Any, words: str) -> BigButton:
    """The one visible button of the window that shows `words`."""
    found = [b for b in win.findChildren(BigButton) if b.isVisible() and b.label_text() == words]
    assert len(found) == 1, f"{len(found)} visible buttons show {words!r} on {win.current}"
    return found[0]


@pytest.mark.parametrize(("width", "height", "scale"),
                         [(1920, 1080, 1.0), (1080, 1920, 1.0), (1920, 1080, 1.5), (1080, 1920, 1.5)])
def test_pension_certification_in_4_taps_card_first_and_5_from_the_seniors_button(
        qtbot: Any, make_window: Any, reader: Any, ui_config: Any, width: int, height: int, scale: float) -> None:
    from PySide6.QtCore import Qt

    cfg = ui_config.model_copy(update={"ui": ui_config.ui.model_copy(update={"text_scale": scale})})
    _known_phone_from_an_earlier_day(cfg)
    win = make_window(width=width, height=height, config=cfg)
    r = reader(win)
    pressed: list[str] = []  # every button press the kiosk itself saw
    win.activity.touched.connect(lambda: pressed.append(win.journey.state.value))
    taps: list[str] = []

    def tap(words: str) -> None:
        qtbot.mouseClick(_showing(win, words), Qt.MouseButton.LeftButton)
        taps.append(words)

    def visit(card_first: bool) -> list[str]:
        taps.clear()
        pressed.clear()
        assert win.journey.state is State.HOME
        if not card_first:
            tap("长者专区")
            assert win.journey.state is State.IDENTIFY
        r.insert(ELDER)
        qtbot.waitUntil(lambda: win.journey.state is State.ITEMS, timeout=15000)
        qtbot.wait(50)  # the screen's layout settles
        whose = [lab.text() for lab in win.screens["items"].findChildren(type(win.heading)) if lab.isVisible()]
        assert "是 陈** 本人吗？" in whose  # whose card was read, where the list begins, before anything is chosen
        before = _tile_places(win)
        tap("养老金领取资格认证")
        qtbot.wait(50)
        assert _tile_places(win) == before  # choosing moved nothing under the finger (no line pushed in)
        assert any(lab.text() == "已选 1 项" for lab in win.screens["items"].findChildren(type(win.heading))
                   if lab.isVisible())
        tap("下一步")
        assert win.journey.state is State.FORM  # the materials page asks nothing: skipped
        qtbot.waitUntil(lambda: win.heading.text() == "138****8000 是您的电话吗？", timeout=15000)
        tap("是")
        assert win.journey.state is State.REVIEW
        tap("提交")
        qtbot.waitUntil(lambda: win.journey.state is State.DONE, timeout=20000)
        done = list(taps)
        assert len(pressed) == len(done), (pressed, done)  # the kiosk saw exactly these presses
        r.remove()
        qtbot.mouseClick(_showing(win, "完成"), Qt.MouseButton.LeftButton)  # after the submission: not counted
        qtbot.waitUntil(lambda: win.journey.state is State.HOME, timeout=15000)
        _move_receipts_to_yesterday(cfg)  # the next visit is not "the same item again today"
        return done

    card_first = visit(card_first=True)
    seniors_first = visit(card_first=False)
    print(f"{width}x{height} {scale:g}×: card first {len(card_first)} taps {card_first}; "
          f"长者专区 first {len(seniors_first)} taps {seniors_first}")
    assert card_first == ["养老金领取资格认证", "下一步", "是", "提交"]
    assert seniors_first == ["长者专区", "养老金领取资格认证", "下一步", "是", "提交"]
