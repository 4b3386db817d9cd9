"""Acting for someone else (代办), by taps with the simulated reader: the agent's own card, then the card of the
person acted for; a registered authorization (as the sync worker stores one) or a signed grant code covers the
chosen services; a mismatch or a missing scope is said plainly on the screen with a volunteer one tap away.
Every ending leaves no personal data in any widget."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from journey_taps import card_index, tap, tap_choice, tap_next, type_digits, visible_choice_keys
from signed_test_codes import CodeIssuers
from test_idle_wipe import _all_texts

from drivers.events import ScanEvent
from drivers.simulated import load_cards
from kiosk.authorizations import upsert_registered
from kiosk.session import Mode
from kiosk.store import open_store

ELDER, ADULT, PERMIT = (card_index(x) for x in ("Resident ID card (aged 72)", "Resident ID card (aged 35)",
                                               "HK/Macao/Taiwan residence permit"))


def _record(i: int) -> Any:
    return load_cards()[i].record


def _register(data_dir: Path, principal: int, agent: int, scope: list[str]) -> None:
    today = dt.date.today()
    store = open_store(data_dir)
    try:
        upsert_registered(store, [{"id": "auth-7", "principal_id_number": _record(principal).id_number,
                                   "agent_id_number": _record(agent).id_number, "scope": scope,
                                   "valid_from": (today - dt.timedelta(days=1)).isoformat(),
                                   "valid_until": (today + dt.timedelta(days=30)).isoformat()}])
    finally:
        store.close()


def _stored(data_dir: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    store = open_store(data_dir)
    try:
        rows = store.conn.execute("SELECT id, payload_enc FROM transactions").fetchall()
        payloads = [store.unseal("transactions", r["id"], r["payload_enc"]) for r in rows]
        kinds = [r["kind"] for r in store.conn.execute("SELECT kind FROM outbox")]
        audit = [json.loads(r["detail"]) for r in
                 store.conn.execute("SELECT detail FROM audit_log WHERE action='proxy_authorization'")]
    finally:
        store.close()
    return payloads, [{"kind": k} for k in kinds], audit


def _cards_in(qtbot: Any, win: Any, r: Any, agent: int, principal: int) -> None:
    tap_choice(qtbot, win, "business")
    tap_choice(qtbot, win, "proxy")
    assert win.current == "proxy" and win.screens["proxy"].stage == "agent"
    assert "本人" in win.instruction.text()
    r.insert(agent)
    qtbot.waitUntil(lambda: win.screens["proxy"].stage == "principal", timeout=5000)
    r.insert(principal)  # the agent's card comes off first: not the end of the visit here
    qtbot.waitUntil(lambda: win.current == "items", timeout=5000)


def _no_personal_data_left(win: Any, *people: int) -> None:
    texts = _all_texts(win)
    for i in people:
        rec = _record(i)
        leaks = [t for t in texts if rec.name in t or rec.id_number in t or rec.display_id_number in t
                 or rec.display_name in t]
        assert not leaks, leaks


def _finish_elderly_card(qtbot: Any, win: Any) -> None:
    """Materials → phone → delivery → review for the elderly preferential card."""
    tap_next(qtbot, win)  # materials → form
    type_digits(qtbot, win, "13800138000")
    tap_next(qtbot, win)
    tap_choice(qtbot, win, "0")
    tap_next(qtbot, win)
    assert win.current == "review"


def test_registered_authorization(qtbot: Any, make_window: Any, reader: Any, ui_config: Any) -> None:
    win = make_window()
    _register(ui_config.data_dir, ELDER, ADULT, ["*"])
    r = reader(win)
    _cards_in(qtbot, win, r, ADULT, ELDER)
    catalog = win.deps.catalog
    offered = visible_choice_keys(win)
    assert offered and all(catalog.item(k).agent_allowed for k in offered)
    assert offered[0] == next(i.code for i in catalog.items_for(elderly=True, agent=True))  # the elder's order
    assert "pension_qualification" not in {i.code for i in win.journey.items()}  # 须本人办理
    tap_choice(qtbot, win, "elderly_preferential_card")
    tap_next(qtbot, win)
    qtbot.waitUntil(lambda: win.current == "materials", timeout=5000)
    s = win.session
    assert s.mode is Mode.PROXY and s.authorization_id == "auth-7"
    assert s.principal.name == "陈桂芳" and s.agent.name == "林晓雯"
    _finish_elderly_card(qtbot, win)
    shown = " ".join(lab.text() for lab in win.screens["review"]._labels)
    assert "代办人" in shown and "林**" in shown and "陈**" in shown
    assert win.screens["review"].who.text() == "林** 代 陈** 办理。"
    assert "林晓雯" not in shown and "陈桂芳" not in shown
    tap_next(qtbot, win)
    qtbot.waitUntil(lambda: win.current == "done", timeout=10000)
    payloads, outbox, audit = _stored(ui_config.data_dir)
    (p,) = payloads
    assert p["authorization_id"] == "auth-7" and p["item_code"] == "elderly_preferential_card"
    assert p["applicant"]["id_number"] == _record(ELDER).id_number
    assert p["agent"]["id_number"] == _record(ADULT).id_number
    assert {"kind": "authorization_use"} in outbox
    assert audit == [{"authorization": "auth-7", "source": "registered", "session": s.id}]
    tap_next(qtbot, win)  # Finish
    assert win.journey.state.value == "take_card"  # the principal's card still lies on the reader
    r.remove()
    qtbot.waitUntil(lambda: win.current == "home", timeout=5000)
    assert win.current == "home" and win.session is None and win.journey.visit.proxy_principal is None
    _no_personal_data_left(win, ELDER, ADULT)


def test_grant_code(qtbot: Any, make_window: Any, reader: Any, ui_config: Any) -> None:
    issuers = CodeIssuers()
    win = make_window()
    issuers.trust(ui_config.data_dir)
    r = reader(win)
    _cards_in(qtbot, win, r, PERMIT, ELDER)  # nothing registered for these two
    tap_choice(qtbot, win, "elderly_preferential_card")
    tap_next(qtbot, win)
    proxy = win.screens["proxy"]
    qtbot.waitUntil(lambda: proxy.stage == "code", timeout=5000)
    assert win.current == "proxy" and "授权码" in win.instruction.text()
    # Both cards were step 1, the services step 2; asked for an authorization, that is a step of its own.
    assert win.step_label.text() == "第3步/共6步"
    assert "volunteer" in visible_choice_keys(win)
    code = issuers.proxy_grant(_record(ELDER).id_number, _record(PERMIT).id_number, ["elderly_preferential_card"])
    win.deps.bridge.on_scan(ScanEvent(code, "simulated"))
    qtbot.waitUntil(lambda: win.current == "materials", timeout=10000)
    assert win.session.authorization_id == "grant-ui-1" and win.session.mode is Mode.PROXY
    _finish_elderly_card(qtbot, win)
    tap_next(qtbot, win)
    qtbot.waitUntil(lambda: win.current == "done", timeout=10000)
    payloads, outbox, audit = _stored(ui_config.data_dir)
    assert payloads[0]["authorization_id"] == "grant-ui-1" and {"kind": "authorization_use"} in outbox
    assert audit[0]["source"] == "grant_code"
    tap_next(qtbot, win)
    _no_personal_data_left(win, ELDER, PERMIT)


def test_mismatch_and_scope_are_said_on_the_screen(qtbot: Any, make_window: Any, reader: Any,
                                                   ui_config: Any) -> None:
    issuers = CodeIssuers()
    win = make_window()
    issuers.trust(ui_config.data_dir)
    r = reader(win)
    tap_choice(qtbot, win, "business")
    tap_choice(qtbot, win, "proxy")
    r.insert(PERMIT)
    qtbot.waitUntil(lambda: win.screens["proxy"].stage == "principal", timeout=5000)
    r.insert(PERMIT)  # their own card again
    proxy = win.screens["proxy"]
    qtbot.waitUntil(lambda: win.journey.visit.problem is not None, timeout=5000)
    assert "本人的证件" in win.instruction.text() and proxy.stage == "principal"
    r.insert(ELDER)
    qtbot.waitUntil(lambda: win.current == "items", timeout=5000)
    tap_choice(qtbot, win, "elderly_preferential_card")
    tap_next(qtbot, win)
    qtbot.waitUntil(lambda: proxy.stage == "code", timeout=5000)
    # A genuine grant, but for another agent: refused plainly, no pop-up, the volunteer one tap away.
    other = issuers.proxy_grant(_record(ELDER).id_number, _record(ADULT).id_number, ["*"])
    win.deps.bridge.on_scan(ScanEvent(other, "simulated"))
    qtbot.waitUntil(lambda: win.journey.visit.problem is not None, timeout=10000)
    assert "不符" in win.instruction.text() and win.current == "proxy" and win.session.mode is not Mode.PROXY
    win.set_language("en")
    assert "does not match" in win.instruction.text()
    win.set_language("zh_CN")
    # A grant for these two that does not cover the chosen service.
    narrow = issuers.proxy_grant(_record(ELDER).id_number, _record(PERMIT).id_number, ["pension_payment_record"])
    win.deps.bridge.on_scan(ScanEvent(narrow, "simulated"))
    qtbot.waitUntil(lambda: "授权范围" in win.instruction.text(), timeout=10000)
    assert win.current == "proxy" and win.session.authorization_id is None
    assert visible_choice_keys(win) == ["paper", "volunteer"]  # staff may confirm a paper authorization
    tap_choice(qtbot, win, "volunteer")
    assert win.current == "help"
    tap(qtbot, win.home_button)
    assert win.journey.state.value == "take_card"  # the principal's card still lies on the reader
    r.remove()
    qtbot.waitUntil(lambda: win.current == "home", timeout=5000)
    assert win.current == "home" and win.session is None and win.journey.visit.proxy_principal is None
    _no_personal_data_left(win, ELDER, PERMIT)


def test_demo_authorization_lets_the_35_year_old_act_for_the_72_year_old(qtbot: Any, make_window: Any,
                                                                           reader: Any, ui_config: Any) -> None:
    from ui.demo import seed_demo_authorization

    win = make_window()
    seed_demo_authorization(ui_config.data_dir)  # what `kiosk demo` does at start
    r = reader(win)
    _cards_in(qtbot, win, r, ADULT, ELDER)
    tap_choice(qtbot, win, "long_term_care")
    tap_next(qtbot, win)
    # Its materials (the card, the shared care assessment) are all in hand: on to the form.
    qtbot.waitUntil(lambda: win.current == "form", timeout=5000)
    assert win.session.authorization_id == "demo-authorization-1"
