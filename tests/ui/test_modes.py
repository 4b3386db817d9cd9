"""Volunteers and staff at the real window, by taps and the simulated reader, on a real store with the hall's
roster (argon2 PIN hashes): discreet sign-in and lockout that survives a restart, assisted service with the
helper on the record and the banner on every screen, the green channel, proxy by paper authorization (nothing
recorded without the staff PIN), batch handling, difficult cases, one ticket for a double tap, a volunteer
refused a staff action by the core, and the tap count to a submitted pension certification."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from journey_taps import card_index, db_rows, tap, tap_choice, tap_next, type_on_keypad, visible_choice_keys

from kiosk.journey import State
from kiosk.journey.flows.batch import BatchPart
from kiosk.journey.flows.proxy import ProxyPart
from kiosk.session import Mode
from kiosk.store import open_store
from ui.demo import DEMO_STAFF_ID, seed_demo_roster

ELDER, ADULT, PERMIT, BADGE = (card_index(x) for x in ("Resident ID card (aged 72)", "Resident ID card (aged 35)",
                                                      "HK/Macao/Taiwan residence permit", "Staff/volunteer badge"))


def _sign_in(qtbot: Any, win: Any, r: Any, pin: str = "2468") -> None:
    r.insert(BADGE)  # the badge laid on the reader at the home screen
    qtbot.waitUntil(lambda: win.journey.state is State.SIGNIN, timeout=5000)
    r.remove()
    type_on_keypad(qtbot, win, pin)
    tap_next(qtbot, win)


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


def test_sign_in_is_discreet_and_assisted_service_records_the_helper(qtbot: Any, make_window: Any, reader: Any,
                                                                     ui_config: Any) -> None:
    win = make_window()
    seed_demo_roster(ui_config.data_dir)
    r = reader(win)
    assert not any("staff" in k or "sign" in k for k in visible_choice_keys(win))  # never a tile citizens see
    _sign_in(qtbot, win, r)
    qtbot.waitUntil(lambda: win.journey.state is State.STAFF_MENU, timeout=10000)
    assert win.banner.isVisible() and win.banner.text() == "工作人员 演示工作人员 协助中"
    tap_choice(qtbot, win, "assist")
    assert win.current == "home" and win.banner.text() == "工作人员 演示工作人员 协助中"
    tap_choice(qtbot, win, "elderly")
    r.insert(ELDER)
    qtbot.waitUntil(lambda: win.current == "items", timeout=5000)
    assert win.banner.isVisible() and win.session.mode is Mode.ASSISTED
    assert win.banner.text().startswith("工作人员 演示工作人员 协助中") and "建议走绿色通道" in win.banner.text()
    tap_choice(qtbot, win, "pension_qualification")
    tap_next(qtbot, win)
    tap_next(qtbot, win)
    qtbot.waitUntil(lambda: win.current == "form", timeout=5000)
    type_on_keypad(qtbot, win, "13800138000")
    tap_next(qtbot, win)
    assert win.current == "review" and win.banner.text().startswith("工作人员 演示工作人员 协助中")
    tap_next(qtbot, win)
    qtbot.waitUntil(lambda: win.current == "done", timeout=10000)
    [row] = db_rows(ui_config.data_dir, "SELECT helper_id, mode FROM transactions")
    assert row["helper_id"] == DEMO_STAFF_ID and row["mode"] == "assisted"
    tap(qtbot, win.home_button)
    assert win.journey.helper is not None  # still signed in for the next citizen
    assert win.journey.state is State.TAKE_CARD  # the citizen's card is asked back first
    r.remove()
    qtbot.waitUntil(lambda: win.current == "home", timeout=5000)
    tap(qtbot, win.signout_button)
    assert win.journey.helper is None and not win.banner.isVisible()
    def audit() -> list[str]:
        return [r_["action"] for r_ in db_rows(ui_config.data_dir, "SELECT action FROM audit_log")]

    qtbot.waitUntil(lambda: "sign_out" in audit(), timeout=10000)  # written on the worker
    assert "sign_in" in audit()


def test_five_wrong_pins_lock_the_badge_even_after_a_restart(qtbot: Any, make_window: Any, reader: Any,
                                                             ui_config: Any) -> None:
    win = make_window()
    seed_demo_roster(ui_config.data_dir)
    r = reader(win)
    for _ in range(5):
        _sign_in(qtbot, win, r, pin="1111")
        qtbot.waitUntil(lambda: not win.journey.visit.busy, timeout=10000)
        if win.journey.state is State.SIGNIN:
            assert win.instruction.property("role") == "error"  # the wrong PIN said plainly
            tap(qtbot, win.home_button)
    qtbot.waitUntil(lambda: win.journey.state is State.SIGNIN_LOCKED, timeout=10000)
    assert win.journey.helper is None
    again = make_window()  # a restarted kiosk on the same data: still locked
    r2 = reader(again)
    _sign_in(qtbot, again, r2, pin="2468")
    qtbot.waitUntil(lambda: again.journey.state is State.SIGNIN_LOCKED, timeout=10000)
    assert again.journey.helper is None


def test_a_volunteer_is_refused_staff_actions_by_the_core(qtbot: Any, make_window: Any, reader: Any,
                                                          ui_config: Any) -> None:
    win = make_window()
    _volunteer_roster(ui_config.data_dir)
    r = reader(win)
    _sign_in(qtbot, win, r, pin="1357")
    qtbot.waitUntil(lambda: win.journey.state is State.STAFF_MENU, timeout=10000)
    assert win.banner.text() == "志愿者 李四 协助中"
    keys = visible_choice_keys(win)
    assert "priority" not in keys and "proxy_paper" not in keys and "batch" in keys  # offered what the role may
    from kiosk.journey import Tap

    win.send(Tap("priority"))  # asked anyway (e.g. a stale screen): the core refuses, nothing is recorded
    assert win.journey.state is State.STAFF_MENU and "工作人员" in win.instruction.text()
    assert db_rows(ui_config.data_dir, "SELECT id FROM priority_confirmations") == []


def test_green_channel_by_staff(qtbot: Any, make_window: Any, reader: Any, ui_config: Any) -> None:
    win = make_window()
    seed_demo_roster(ui_config.data_dir)
    r = reader(win)
    _sign_in(qtbot, win, r)
    qtbot.waitUntil(lambda: win.journey.state is State.STAFF_MENU, timeout=10000)
    tap_choice(qtbot, win, "priority")
    tap_choice(qtbot, win, "disability")
    qtbot.waitUntil(lambda: win.current == "identify", timeout=10000)
    assert win.session.mode is Mode.PRIORITY and "绿色通道" in win.banner.text()
    [row] = db_rows(ui_config.data_dir, "SELECT confirmed_by FROM priority_confirmations")
    assert row["confirmed_by"] == DEMO_STAFF_ID


def test_paper_authorization_needs_the_staff_pin(qtbot: Any, make_window: Any, reader: Any,
                                                 ui_config: Any) -> None:
    win = make_window()
    seed_demo_roster(ui_config.data_dir)
    r = reader(win)
    tap_choice(qtbot, win, "business")
    tap_choice(qtbot, win, "proxy")
    r.insert(PERMIT)
    qtbot.waitUntil(lambda: win.journey.state is State.PROXY_PRINCIPAL, timeout=5000)
    r.insert(ELDER)
    qtbot.waitUntil(lambda: win.current == "items", timeout=5000)
    assert "pension_qualification" not in visible_choice_keys(win)  # personal-only: never offered to an agent
    tap_choice(qtbot, win, "elderly_preferential_card")
    tap_next(qtbot, win)
    qtbot.waitUntil(lambda: win.journey.state is State.PROXY_CODE, timeout=10000)
    tap_choice(qtbot, win, "paper")
    assert win.journey.state is State.PROXY_PAPER
    r.insert(BADGE)  # the staff member's badge
    qtbot.waitUntil(lambda: ProxyPart.of(win.journey.visit).paper_stage == "reason", timeout=10000)
    tap_choice(qtbot, win, "illness")
    type_on_keypad(qtbot, win, "9999")  # a wrong PIN: refused, nothing recorded
    tap_next(qtbot, win)
    qtbot.waitUntil(lambda: win.journey.visit.problem is not None, timeout=10000)
    assert db_rows(ui_config.data_dir, "SELECT id FROM authorizations WHERE source='paper'") == []
    assert win.journey.state is State.PROXY_PAPER and win.session.mode is not Mode.PROXY
    tap(qtbot, win.screens["panel"].keypad.buttons["clear"])
    type_on_keypad(qtbot, win, "2468")
    tap_next(qtbot, win)
    qtbot.waitUntil(lambda: win.current == "materials", timeout=10000)
    [auth] = db_rows(ui_config.data_dir, "SELECT confirmed_by FROM authorizations WHERE source='paper'")
    assert auth["confirmed_by"] == DEMO_STAFF_ID and win.session.mode is Mode.PROXY


def test_batch_pension_certifications_one_receipt_each(qtbot: Any, make_window: Any, reader: Any,
                                                       ui_config: Any) -> None:
    win = make_window()
    seed_demo_roster(ui_config.data_dir)
    r = reader(win)
    _sign_in(qtbot, win, r)
    qtbot.waitUntil(lambda: win.journey.state is State.STAFF_MENU, timeout=10000)
    tap_choice(qtbot, win, "batch")
    tap_choice(qtbot, win, "pension_qualification")
    type_on_keypad(qtbot, win, "02012345678")  # the care home's phone, once
    tap_next(qtbot, win)
    qtbot.waitUntil(lambda: win.journey.state is State.BATCH_LIST, timeout=10000)
    r.insert(ELDER)
    qtbot.waitUntil(lambda: len(BatchPart.of(win.journey.visit).entries) == 1, timeout=10000)
    r.insert(ADULT)
    qtbot.waitUntil(lambda: len(BatchPart.of(win.journey.visit).entries) == 2, timeout=10000)
    r.insert(ELDER)  # the same person again: reported, not submitted twice
    qtbot.waitUntil(lambda: len(BatchPart.of(win.journey.visit).entries) == 3, timeout=10000)
    assert not BatchPart.of(win.journey.visit).entries[2].ok
    tap_next(qtbot, win)
    qtbot.waitUntil(lambda: win.journey.state is State.BATCH_DONE, timeout=10000)
    rows = db_rows(ui_config.data_dir, "SELECT helper_id, batch_id FROM transactions")
    assert len(rows) == 2 and {x["helper_id"] for x in rows} == {DEMO_STAFF_ID} and rows[0]["batch_id"]


def test_difficult_case_gives_a_difficult_ticket(qtbot: Any, make_window: Any, reader: Any, ui_config: Any) -> None:
    win = make_window()
    r = reader(win)
    tap_choice(qtbot, win, "business")
    assert not win.difficult_button.isVisible()  # nobody identified yet
    r.insert(ADULT)
    qtbot.waitUntil(lambda: win.current == "categories", timeout=5000)
    assert win.difficult_button.isVisible()
    tap(qtbot, win.difficult_button)
    tap_choice(qtbot, win, "materials_missing")
    tap_choice(qtbot, win, "skip")  # the phone is optional
    qtbot.waitUntil(lambda: win.journey.state is State.DIFFICULT_CASE_DONE, timeout=10000)
    [case] = db_rows(ui_config.data_dir, "SELECT step, reason, ticket_id FROM difficult_cases")
    assert case["step"] == "categories" and case["reason"] == "materials_missing"
    [ticket] = db_rows(ui_config.data_dir, "SELECT lane, number FROM tickets")
    assert ticket["lane"] == "difficult" and win.journey.view().big == ticket["number"]


def test_a_double_tap_takes_one_ticket(qtbot: Any, make_window: Any, ui_config: Any) -> None:
    win = make_window()
    tap_choice(qtbot, win, "ticket")
    [take] = [b for b in win.screens["ticket"].grid.visible_buttons() if b.property("choice_key") == "take"]
    tap(qtbot, take)
    tap(qtbot, take)  # the second tap before the first answer is back
    qtbot.waitUntil(lambda: win.current == "ticket_done", timeout=10000)
    assert len(db_rows(ui_config.data_dir, "SELECT id FROM tickets")) == 1


def test_pension_certification_tap_count(qtbot: Any, make_window: Any, reader: Any, ui_config: Any) -> None:
    """Card on the reader → submitted pension certification: 15 taps with the phone typed, 4 once the hall
    knows the phone (here from this kiosk's own earlier submission, sealed in its store)."""
    win = make_window()
    r = reader(win)
    counted: list[str] = []
    win.activity.touched.connect(lambda: counted.append(win.journey.state.value))

    def visit(known: bool) -> int:
        counted.clear()
        r.insert(ELDER)
        qtbot.waitUntil(lambda: win.current == "items", timeout=5000)
        assert visible_choice_keys(win)[0] == "pension_qualification"
        tap_choice(qtbot, win, "pension_qualification")
        tap_next(qtbot, win)  # its materials page asks nothing (the card is the one material): skipped
        qtbot.waitUntil(lambda: win.current == "form", timeout=5000)
        if known:
            qtbot.waitUntil(lambda: win.journey.offers_known_phone(), timeout=5000)
            assert win.heading.text() == "138****8000 是您的电话吗？"
            tap_choice(qtbot, win, "phone_yes")
        else:
            type_on_keypad(qtbot, win, "13800138000")
            tap_next(qtbot, win)
        assert win.current == "review"
        tap_next(qtbot, win)
        qtbot.waitUntil(lambda: win.current == "done", timeout=10000)
        taps = len(counted)
        r.remove()
        tap(qtbot, win.next_button)  # Finish (not counted: the certification is already submitted)
        qtbot.waitUntil(lambda: win.current == "home", timeout=5000)
        return taps

    typed = visit(known=False)
    # The phone is known from an earlier day's visit: the same item twice in one day would be asked first.
    import sqlite3

    from kiosk.clock import CHINA_TZ

    today = dt.datetime.now(CHINA_TZ)
    yesterday = today - dt.timedelta(days=1)
    with sqlite3.connect(ui_config.data_dir / "kiosk.db") as db:
        db.execute("UPDATE transactions SET receipt_no = replace(receipt_no, ?, ?)",
                   (f"-{today:%Y%m%d}-", f"-{yesterday:%Y%m%d}-"))
    known = visit(known=True)
    print(f"taps to a submitted pension certification: typed phone {typed}, known phone {known}")
    assert typed <= 17 and known <= 5
    assert (typed, known) == (15, 4)


def test_reader_down_the_home_screen_offers_only_what_works(qtbot: Any, make_window: Any) -> None:
    from kiosk.messages import Message

    win = make_window()
    win.deps.bridge.on_device_status("card_reader", False, Message("读卡器暂不可用，请到服务台办理",
                                                                  "The card reader is not working."))
    qtbot.waitUntil(lambda: "business" not in visible_choice_keys(win), timeout=5000)
    assert set(visible_choice_keys(win)) == {"ticket", "volunteer"}
    # said once, in the prompt with what still works (a banner repeated it on the same screen)
    assert not win.banner.isVisible()
    assert win.instruction.text().startswith("读卡器暂不可用，请到服务台办理")
    win.deps.bridge.on_device_status("card_reader", True, None)
    qtbot.waitUntil(lambda: "business" in visible_choice_keys(win), timeout=5000)
    assert not win.banner.isVisible()


def test_idle_signs_the_helper_out(qtbot: Any, make_window: Any, reader: Any, ui_config: Any) -> None:
    win = make_window(idle_seconds=1.5, warning_seconds=0.5)
    seed_demo_roster(ui_config.data_dir)
    r = reader(win)
    _sign_in(qtbot, win, r)
    qtbot.waitUntil(lambda: win.journey.state is State.STAFF_MENU, timeout=10000)
    tap_choice(qtbot, win, "assist")
    assert win.journey.helper is not None and win.banner.isVisible()
    with qtbot.waitSignal(win.overlay.expired, timeout=10000):
        pass  # nobody touches the kiosk: the warning, then the end
    assert win.journey.helper is None and not win.banner.isVisible() and win.current == "home"
    qtbot.waitUntil(lambda: "sign_out" in [x["action"] for x in db_rows(ui_config.data_dir,
                                                                      "SELECT action FROM audit_log")], timeout=10000)
