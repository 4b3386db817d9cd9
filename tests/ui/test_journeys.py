"""Whole journeys by taps with the simulated card reader: a 72-year-old resident card holder (elderly items
first, two departments on one merged form), a 35-year-old (categories first), and a HK/Macao/Taiwan permit
holder printing a proof. Each ends with a stored transaction per item, its outbox entry and a PDF receipt."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from journey_taps import card_index, tap, tap_choice, tap_next, type_digits, visible_choice_keys

from kiosk.journey.flows.citizen import CitizenPart
from kiosk.store import open_store


def _stored(cfg: Any) -> tuple[list[dict[str, Any]], list[str]]:
    store = open_store(cfg.data_dir)
    try:
        rows = store.conn.execute("SELECT id, payload_enc FROM transactions ORDER BY receipt_no").fetchall()
        payloads = [store.unseal("transactions", r["id"], r["payload_enc"]) for r in rows]
        kinds = [r["kind"] for r in store.conn.execute("SELECT kind FROM outbox WHERE state='pending'")]
    finally:
        store.close()
    return payloads, kinds


def _finish(qtbot: Any, win: Any, cfg: Any) -> list[Path]:
    assert win.current == "review"
    tap_next(qtbot, win)  # Submit
    qtbot.waitUntil(lambda: win.current == "done", timeout=10000)
    done = win.screens["done"]
    qtbot.waitUntil(lambda: done.print_state == "printed", timeout=20000)
    pdfs = sorted(Path(cfg.printer.pdf_dir).glob("*.pdf"))
    assert pdfs and pdfs[0].read_bytes().startswith(b"%PDF")
    return pdfs


def test_72_year_old_gets_elderly_items_first_and_one_form_for_two_departments(
        qtbot: Any, make_window: Any, reader: Any, ui_config: Any) -> None:
    win = make_window()
    r = reader(win)
    tap_choice(qtbot, win, "business")
    assert win.current == "identify"
    r.insert(card_index("Resident ID card (aged 72)"))
    qtbot.waitUntil(lambda: win.current == "items", timeout=5000)
    assert win.session.is_elderly
    catalog = win.deps.catalog
    first_page = visible_choice_keys(win)
    ranks = [catalog.item(k).elderly_rank for k in first_page]
    assert all(catalog.item(k).elderly_high_frequency for k in first_page)
    assert ranks == sorted(ranks) and ranks[0] == min(i.elderly_rank for i in catalog.items)
    tap_choice(qtbot, win, "pension_qualification")  # hrss
    tap_choice(qtbot, win, "elderly_preferential_card")  # civil affairs
    assert win.journey.visit.selected == ["pension_qualification", "elderly_preferential_card"]
    tap_next(qtbot, win)
    # The pension certification's page asks nothing (the card is its one material): only the card's page shows.
    assert win.current == "materials" and win.journey.view().materials.item == "elderly_preferential_card"
    materials = win.screens["materials"]
    texts = [lab.text() for lab in materials._labels if lab.text()]
    # The card was read here: the line says so plainly, with no phone app and no brackets in brackets.
    assert "居民身份证：已在本机读取，不用交纸质材料" in texts
    assert not any("粤省事" in t or t.count("（") > 1 for t in texts)
    assert any("请交到" in t and "民政窗口" in t for t in texts)  # the photo goes to the civil affairs counter
    tap_next(qtbot, win)
    form = win.screens["form"]
    # One merged form: name and ID come from the card; phone asked once for both departments.
    assert [f.code for f in CitizenPart.of(win.journey.visit).questions] == ["phone", "delivery"]
    type_digits(qtbot, win, "13800138000")
    assert form.value_label.text() == "138 0013 8000"
    tap_next(qtbot, win)
    tap_choice(qtbot, win, "1")  # 邮寄到家
    tap_next(qtbot, win)
    assert win.current == "review"
    shown = " ".join(lab.text() for lab in win.screens["review"]._labels)
    assert "陈**" in shown and "138****8000" in shown and "陈桂芳" not in shown and "13800138000" not in shown
    assert "不用交的材料" in shown and "居民身份证" in shown  # what is in hand, said on the review
    _finish(qtbot, win, ui_config)
    payloads, kinds = _stored(ui_config)
    assert {p["department"] for p in payloads} == {"hrss", "civil_affairs"}
    assert all(p["form"]["phone"] == "13800138000" for p in payloads)
    assert payloads[1]["form"]["delivery"] == "邮寄到家"
    assert kinds.count("transaction") == 2
    assert win.session is None or win.session.principal is None  # wiped after submission


def test_35_year_old_chooses_a_category_and_answers_choice_and_date(
        qtbot: Any, make_window: Any, reader: Any, ui_config: Any) -> None:
    win = make_window()
    r = reader(win)
    tap_choice(qtbot, win, "business")
    r.insert(card_index("Resident ID card (aged 35)"))
    qtbot.waitUntil(lambda: win.current == "categories", timeout=5000)
    assert not win.session.is_elderly
    tap_choice(qtbot, win, "medical")
    assert win.current == "items"
    catalog = win.deps.catalog
    expected = [i.code for i in catalog.items_for(elderly=False, category="medical")]
    assert visible_choice_keys(win) == expected[:len(visible_choice_keys(win))]
    tap_choice(qtbot, win, "cross_region_filing")
    tap_next(qtbot, win)
    tap_next(qtbot, win)  # materials → form
    form = win.screens["form"]
    assert [f.code for f in CitizenPart.of(win.journey.visit).questions] == ["phone", "destination_city", "move_date"]
    type_digits(qtbot, win, "1390000")
    tap_next(qtbot, win)
    assert form.error and win.current == "form"  # incomplete phone: said plainly, stays on the question
    type_digits(qtbot, win, "1234")
    tap_next(qtbot, win)
    tap_choice(qtbot, win, "0")  # 深圳
    tap_next(qtbot, win)
    type_digits(qtbot, win, "20270230")  # no 30 February
    tap_next(qtbot, win)
    assert form.error
    tap(qtbot, form.keypad.buttons["clear"])
    type_digits(qtbot, win, "20270115")
    tap_next(qtbot, win)
    _finish(qtbot, win, ui_config)
    payloads, _ = _stored(ui_config)
    assert payloads[0]["form"] == {"name": "林晓雯", "id_number": "44030419910708246X", "phone": "13900001234",
                                   "destination_city": "深圳", "move_date": "2027-01-15"}


def test_permit_holder_prints_a_proof(qtbot: Any, make_window: Any, reader: Any, ui_config: Any) -> None:
    win = make_window()
    r = reader(win)
    tap_choice(qtbot, win, "print")
    r.insert(card_index("HK/Macao/Taiwan residence permit"))
    qtbot.waitUntil(lambda: win.current == "items", timeout=5000)
    assert all(k.endswith(("_proof", "_record")) for k in visible_choice_keys(win))
    tap_choice(qtbot, win, "social_insurance_proof")
    tap_next(qtbot, win)
    tap_next(qtbot, win)
    tap_choice(qtbot, win, "0")
    tap_next(qtbot, win)
    _finish(qtbot, win, ui_config)
    payloads, _ = _stored(ui_config)
    assert payloads[0]["applicant"]["card_type"] == "hk_macao_taiwan_permit"
    assert payloads[0]["item_code"] == "social_insurance_proof"
    # Back to Home by itself after the done screen's countdown (shortened for the test below).


def test_done_screen_returns_home_by_itself(qtbot: Any, make_window: Any, reader: Any, ui_config: Any) -> None:
    win = make_window(done_seconds=0.5)
    r = reader(win)
    tap_choice(qtbot, win, "print")
    r.insert(card_index("Resident ID card (aged 35)"))
    qtbot.waitUntil(lambda: win.current == "items", timeout=5000)
    tap_choice(qtbot, win, "tax_payment_proof")
    tap_next(qtbot, win)
    tap_next(qtbot, win)
    tap_choice(qtbot, win, "0")
    tap_next(qtbot, win)
    tap_next(qtbot, win)
    qtbot.waitUntil(lambda: win.current == "done", timeout=10000)
    # The done screen leaves by itself; the card still on the reader is asked back before Home shows.
    qtbot.waitUntil(lambda: win.journey.state.value == "take_card", timeout=10000)
    r.remove()
    qtbot.waitUntil(lambda: win.current == "home", timeout=10000)
    assert win.session is None


def test_default_done_return_is_20_seconds(make_window: Any) -> None:
    assert make_window().done_seconds == 20


def test_health_check_by_staff_badge_when_the_hall_requires_one(qtbot: Any, make_window: Any, reader: Any,
                                                                ui_config: Any) -> None:
    from ui.demo import seed_demo_roster

    cfg = ui_config.model_copy(update={"ui": ui_config.ui.model_copy(update={"health_check_required": True})})
    win = make_window(config=cfg)
    seed_demo_roster(cfg.data_dir)  # the badge is on the hall's roster, as pulled from the hub
    r = reader(win)
    tap_choice(qtbot, win, "business")
    r.insert(card_index("Resident ID card (aged 35)"))
    qtbot.waitUntil(lambda: win.current == "health", timeout=5000)
    tap_choice(qtbot, win, "staff_id_check")  # no code: a staff member checks the ID card
    assert win.screens["health"].waiting_for == "staff_id_check"
    r.insert(card_index("Staff/volunteer badge"))  # the staff member confirms with their badge
    qtbot.waitUntil(lambda: win.current == "categories", timeout=5000)
    assert win.session.health_check == "id_card_staff"
    assert win.session.principal is not None and win.session.principal.name == "林晓雯"


def test_a_shop_code_is_refused_plainly_on_the_health_check(qtbot: Any, make_window: Any, reader: Any,
                                                            ui_config: Any) -> None:
    cfg = ui_config.model_copy(update={"ui": ui_config.ui.model_copy(update={"health_check_required": True})})
    win = make_window(config=cfg)
    r = reader(win)
    tap_choice(qtbot, win, "business")
    r.insert(card_index("Resident ID card (aged 72)"))
    qtbot.waitUntil(lambda: win.current == "health", timeout=5000)
    from drivers.events import ScanEvent

    win.deps.bridge.on_scan(ScanEvent("LOYALTY-CARD-000123456", "simulated"))
    qtbot.waitUntil(lambda: win.journey.visit.problem is not None, timeout=10000)
    assert "不接受这种码" in win.instruction.text() and win.current == "health"
