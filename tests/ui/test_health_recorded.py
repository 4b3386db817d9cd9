"""The hall's health check, passed each way (a health code at the camera; a staff member's badge after checking
the ID card; a paper proof attested by badge), is recorded in the session and carried by every submitted
transaction's payload (read back by unsealing it from the store)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from journey_taps import card_index, tap_choice, tap_next, visible_choice_keys
from signed_test_codes import CodeIssuers

from drivers.events import ScanEvent
from kiosk.session import HelperRole
from kiosk.store import open_store
from ui.demo import DEMO_STAFF_ID, seed_demo_roster


def _payloads(data_dir: Path) -> list[dict[str, Any]]:
    store = open_store(data_dir)
    try:
        rows = store.conn.execute("SELECT id, payload_enc FROM transactions").fetchall()
        return [store.unseal("transactions", r["id"], r["payload_enc"]) for r in rows]
    finally:
        store.close()


def _print_a_proof(qtbot: Any, win: Any) -> None:
    qtbot.waitUntil(lambda: win.current == "items", timeout=5000)
    tap_choice(qtbot, win, "tax_payment_proof")
    tap_next(qtbot, win)
    tap_next(qtbot, win)
    tap_choice(qtbot, win, "0")
    tap_next(qtbot, win)
    assert win.current == "review"
    tap_next(qtbot, win)
    qtbot.waitUntil(lambda: win.current == "done", timeout=10000)


def _hall_with_health_check(ui_config: Any) -> Any:
    return ui_config.model_copy(update={"ui": ui_config.ui.model_copy(update={"health_check_required": True})})


@pytest.mark.parametrize(("choice", "method"), [("staff_id_check", "id_card_staff"), ("paper_proof", "paper_proof")])
def test_badge_confirmed_check_is_in_the_payload(qtbot: Any, make_window: Any, reader: Any, ui_config: Any,
                                                 choice: str, method: str) -> None:
    cfg = _hall_with_health_check(ui_config)
    win = make_window(config=cfg)
    seed_demo_roster(cfg.data_dir)  # the badge is on the hall's roster, as pulled from the hub
    r = reader(win)
    tap_choice(qtbot, win, "print")
    r.insert(card_index("Resident ID card (aged 35)"))
    qtbot.waitUntil(lambda: win.current == "health", timeout=5000)
    tap_choice(qtbot, win, choice)
    r.insert(card_index("Staff/volunteer badge"))
    qtbot.waitUntil(lambda: win.current == "items", timeout=5000)
    assert win.session.health_check == method and win.session.helper is not None
    assert win.session.helper.helper_id == DEMO_STAFF_ID  # the roster member, not the badge's UID
    assert win.session.helper.role is HelperRole.STAFF
    _print_a_proof(qtbot, win)
    (payload,) = _payloads(cfg.data_dir)
    assert payload["health_check"] == method


def test_health_code_is_in_the_payload(qtbot: Any, make_window: Any, reader: Any, ui_config: Any) -> None:
    cfg = _hall_with_health_check(ui_config)
    cfg = cfg.model_copy(update={"scanner": cfg.scanner.model_copy(update={"driver": "simulated"})})  # has one
    issuers = CodeIssuers()
    win = make_window(config=cfg)
    issuers.trust(cfg.data_dir)  # the test issuer's certificate, as the sync worker would store a trust list
    r = reader(win)
    tap_choice(qtbot, win, "print")
    r.insert(card_index("Resident ID card (aged 72)"))
    qtbot.waitUntil(lambda: win.current == "health", timeout=5000)
    # The 72-year-old's own code (the health check accepts only the identified person's code).
    mine = {"nam": {"fn": "陈", "fnt": "CHEN", "gn": "桂芳", "gnt": "GUIFANG"}, "dob": "1954-03-15"}
    win.deps.bridge.on_scan(ScanEvent(issuers.health_code(mine), "simulated"))
    _print_a_proof(qtbot, win)
    (payload,) = _payloads(cfg.data_dir)
    assert payload["health_check"] == "code"


def test_badge_not_on_the_roster_is_refused_plainly(qtbot: Any, make_window: Any, reader: Any,
                                                    ui_config: Any) -> None:
    cfg = _hall_with_health_check(ui_config)
    win = make_window(config=cfg)  # no roster pulled: nobody can confirm a check yet
    r = reader(win)
    tap_choice(qtbot, win, "print")
    r.insert(card_index("Resident ID card (aged 35)"))
    qtbot.waitUntil(lambda: win.current == "health", timeout=5000)
    tap_choice(qtbot, win, "paper_proof")
    r.insert(card_index("Staff/volunteer badge"))
    qtbot.waitUntil(lambda: win.journey.visit.problem is not None, timeout=5000)
    assert "未登记" in win.instruction.text()
    assert win.current == "health" and win.session.health_check is None and win.session.helper is None


def test_a_sam_reader_kiosk_offers_no_badge_confirmed_check(qtbot: Any, make_window: Any, reader: Any,
                                                            ui_config: Any, tmp_path: Path) -> None:
    """card_reader.driver = sam (GA 467 ID-card reader): no badge can be read, so the health screen offers neither
    way that ends with a staff badge and says why (the simulated reader stands in for the SAM one's ID card)."""
    cfg = _hall_with_health_check(ui_config).model_copy(update={"card_reader": ui_config.card_reader.model_copy(
        update={"driver": "sam", "port": str(tmp_path / "ttyNONE")})})
    win = make_window(config=cfg)
    r = reader(win)
    tap_choice(qtbot, win, "print")
    r.insert(card_index("Resident ID card (aged 35)"))
    qtbot.waitUntil(lambda: win.current == "health", timeout=5000)
    view = win.journey.view()
    assert {c.key for c in view.choices} & {"staff_id_check", "paper_proof"} == set()
    assert "读不了工作人员的工作证" in view.prompt.zh and "cannot read staff badges" in view.prompt.en
    assert "摄像头" not in view.prompt.zh  # no scanner configured here either: no code is asked for
    shots = Path(__file__).resolve().parents[2] / "docs" / "screens"
    shots.mkdir(parents=True, exist_ok=True)
    win.grab().save(str(shots / "health-sam-reader.png"))


def test_kiosk_without_a_scanner_never_asks_for_a_code(qtbot: Any, make_window: Any, reader: Any,
                                                       ui_config: Any) -> None:
    cfg = _hall_with_health_check(ui_config)
    assert cfg.scanner.driver == "none"  # the default
    win = make_window(config=cfg)
    seed_demo_roster(cfg.data_dir)
    r = reader(win)
    tap_choice(qtbot, win, "print")
    r.insert(card_index("Resident ID card (aged 35)"))
    qtbot.waitUntil(lambda: win.current == "health", timeout=5000)
    shown = win.instruction.text()
    assert "本机没有扫码器" in shown and "摄像头" not in shown
    assert shown in [text for _voice, text in win.deps.voice.spoken]  # what is read aloud is what is shown
    assert visible_choice_keys(win) == ["staff_id_check", "paper_proof"]
    win.set_language("en")
    shown = win.instruction.text()
    assert "no code scanner" in shown and "camera" not in shown
    tap_choice(qtbot, win, "staff_id_check")
    r.insert(card_index("Staff/volunteer badge"))
    qtbot.waitUntil(lambda: win.current == "items", timeout=5000)
    assert win.session.health_check == "id_card_staff"
