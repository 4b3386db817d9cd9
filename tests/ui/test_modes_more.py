"""The green channel opened by staff for a visit under way, and the difficult case's optional phone, at the real
window by taps and the simulated reader on a real store: the visit goes on where it was in priority mode; a
volunteer never sees the action and the core refuses it; the case carries the typed phone sealed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from journey_taps import card_index, db_rows, tap, tap_choice, tap_next, type_on_keypad, visible_choice_keys
from screen_rules import check_state

from kiosk.journey import GreenChannel, State
from kiosk.session import Mode
from kiosk.store import open_store
from ui.demo import DEMO_STAFF_ID, seed_demo_roster
from ui.tour import settle

ELDER, ADULT, BADGE = (card_index(x) for x in ("Resident ID card (aged 72)", "Resident ID card (aged 35)",
                                              "Staff/volunteer badge"))


def _sign_in(qtbot: Any, win: Any, r: Any, pin: str) -> None:
    r.insert(BADGE)  # the badge laid on the reader at the home screen
    qtbot.waitUntil(lambda: win.journey.state is State.SIGNIN, timeout=5000)
    r.remove()
    type_on_keypad(qtbot, win, pin)
    tap_next(qtbot, win)
    qtbot.waitUntil(lambda: win.journey.state is State.STAFF_MENU, timeout=10000)


def _volunteer_roster(data_dir: Path) -> None:
    from drivers.simulated import load_cards

    badge = next(c.record for c in load_cards() if c.record.uid)
    body = json.dumps({"version": 1, "members": [
        {"id": "vol-7", "role": "volunteer", "display_name": "李四", "badge_uid": badge.uid,
         "pin_hash": PasswordHasher().hash("1357")}]})
    store = open_store(data_dir)
    try:
        store.cache_put("roster", body.encode("utf-8"))
    finally:
        store.close()


def _elder_to_materials(qtbot: Any, win: Any, r: Any) -> None:
    tap_choice(qtbot, win, "assist")
    tap_choice(qtbot, win, "elderly")
    r.insert(ELDER)
    qtbot.waitUntil(lambda: win.current == "items", timeout=5000)
    tap_choice(qtbot, win, "elderly_preferential_card")  # its materials page asks for a photo
    tap_next(qtbot, win)
    qtbot.waitUntil(lambda: win.journey.state is State.MATERIALS, timeout=5000)


def test_staff_switch_a_visit_under_way_into_the_green_channel(qtbot: Any, make_window: Any, reader: Any,
                                                               ui_config: Any) -> None:
    win = make_window()
    seed_demo_roster(ui_config.data_dir)
    r = reader(win)
    _sign_in(qtbot, win, r, "2468")
    _elder_to_materials(qtbot, win, r)
    assert win.green_button.isVisible() and "转绿色通道" in win.green_button.text_label.text()
    tap(qtbot, win.green_button)
    assert win.journey.state is State.PRIORITY_CONFIRM
    selected = [c.key for c in win.journey.view().choices if c.selected]
    assert selected == ["elderly"] and "elderly" in visible_choice_keys(win)  # age from the card, suggested
    tap_choice(qtbot, win, "elderly")
    qtbot.waitUntil(lambda: win.journey.state is State.MATERIALS, timeout=10000)
    assert win.session is not None and win.session.mode is Mode.PRIORITY and win.current == "materials"
    assert "绿色通道" in win.banner.text() and not win.green_button.isVisible()
    [row] = db_rows(ui_config.data_dir, "SELECT confirmed_by, session_id FROM priority_confirmations")
    assert row["confirmed_by"] == DEMO_STAFF_ID and row["session_id"] == win.session.id


def test_a_volunteer_never_sees_the_green_channel_and_the_core_refuses_it(qtbot: Any, make_window: Any,
                                                                          reader: Any, ui_config: Any) -> None:
    _volunteer_roster(ui_config.data_dir)
    win = make_window()
    r = reader(win)
    _sign_in(qtbot, win, r, "1357")
    _elder_to_materials(qtbot, win, r)
    assert not win.green_button.isVisible() and win.difficult_button.isVisible()
    win.send(GreenChannel())  # sent anyway (a stale screen): refused by kiosk.rights, nothing changes
    assert win.journey.state is State.MATERIALS and win.current == "materials"
    assert win.session is not None and win.session.mode is Mode.ASSISTED
    assert "工作人员" in win.instruction.text()
    assert db_rows(ui_config.data_dir, "SELECT id FROM priority_confirmations") == []


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
def test_difficult_case_with_a_typed_phone(qtbot: Any, make_window: Any, reader: Any, ui_config: Any,
                                           size: tuple[int, int]) -> None:
    win = make_window(width=size[0], height=size[1])
    r = reader(win)
    tap_choice(qtbot, win, "business")
    r.insert(ADULT)
    qtbot.waitUntil(lambda: win.current == "categories", timeout=5000)
    tap(qtbot, win.difficult_button)
    tap_choice(qtbot, win, "details_wrong")
    assert win.current == "panel" and visible_choice_keys(win) == ["type_phone", "skip"]
    assert not win.next_button.isVisible()
    settle()
    problems = check_state("difficult_case_phone", win, "zh_CN")
    tap_choice(qtbot, win, "type_phone")
    assert win.screens["panel"].keys.isVisible() and win.next_button.isVisible()
    settle()
    problems += check_state("difficult_case_phone_keys", win, "zh_CN")
    assert not problems, problems
    tap_next(qtbot, win)  # nothing typed: said plainly, nothing recorded
    assert "跳过" in win.instruction.text() or "跳过" in win.screens["panel"].keys.hint.text()
    assert db_rows(ui_config.data_dir, "SELECT id FROM difficult_cases") == []
    type_on_keypad(qtbot, win, "13900139000")
    tap_next(qtbot, win)
    qtbot.waitUntil(lambda: win.journey.state is State.DIFFICULT_CASE_DONE, timeout=10000)
    [case] = db_rows(ui_config.data_dir, "SELECT id, step, reason, phone_enc FROM difficult_cases")
    assert case["step"] == "categories" and case["reason"] == "details_wrong"
    assert b"13900139000" not in case["phone_enc"]
    store = open_store(ui_config.data_dir)
    try:
        assert store.unseal("difficult_cases", case["id"], case["phone_enc"]) == {"phone": "13900139000"}
    finally:
        store.close()
    [ticket] = db_rows(ui_config.data_dir, "SELECT lane, number FROM tickets")
    assert ticket["lane"] == "difficult" and win.journey.view().big == ticket["number"]
