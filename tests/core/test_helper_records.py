"""The helper on everything (transactions, tickets, authorization uses, audit entries, sessions) and help
requests whose hub body carries the screen, the item and the age flag but no personal data."""

from __future__ import annotations

import datetime as dt

from kiosk.catalog import load_bundled_catalog
from kiosk.identity import CardType, IdentityRecord
from kiosk.services import record_session, request_help, submit_items, take_ticket
from kiosk.session import EndReason, Helper, HelperRole, Mode, Session
from kiosk.store.db import Store

ID = "11010519491231002X"
PHONE = "13800138000"
HELP_KEYS = {"help_request_id", "kind", "kiosk_id", "created_at", "priority", "elderly", "screen", "item_code",
             "session_id", "helper_id", "reason"}


def _outbox(store: Store, kind: str) -> list[dict]:
    return [store.unseal("outbox", r[0], r[1])
            for r in store.conn.execute("SELECT id, body_enc FROM outbox WHERE kind=? ORDER BY 1", (kind,))]


def _assisted_elder() -> Session:
    s = Session()
    s.set_mode(Mode.ASSISTED, Helper("V-101", HelperRole.VOLUNTEER, "小周"))
    s.identify(IdentityRecord(CardType.RESIDENT, name="王老太", id_number=ID, birth_date=dt.date(1949, 12, 31)))
    return s


def test_help_request_body_has_context_and_no_personal_data(store: Store) -> None:
    s = _assisted_elder()
    hid = request_help(store, s, "k1", note={"phone": PHONE, "name": "王老太", "reason": "health_check"},
                       screen="form", item_code="pension_qualification")
    (body,) = _outbox(store, "help_request")
    assert set(body) == HELP_KEYS
    assert (body["help_request_id"], body["kind"], body["screen"], body["item_code"]) == (
        hid, "help_request", "form", "pension_qualification")
    assert body["elderly"] is True and body["priority"] is True and body["helper_id"] == "V-101"
    assert body["reason"] == "health_check"
    assert PHONE not in str(body) and "王老太" not in str(body) and ID not in str(body)
    note = store.conn.execute("SELECT note_enc FROM help_requests WHERE id=?", (hid,)).fetchone()[0]
    assert store.unseal("help_requests", hid, note)["phone"] == PHONE  # kept, sealed, on the kiosk only


def test_help_request_from_home_screen_without_anyone_identified(store: Store) -> None:
    request_help(store, None, "k1", note={"reason": "电话 13800138000"})
    (body,) = _outbox(store, "help_request")
    assert body["elderly"] is False and body["screen"] == "" and body["item_code"] is None
    assert body["reason"] is None  # free text never travels, only a short code


def test_helper_id_on_transaction_ticket_audit_and_session(store: Store) -> None:
    s = _assisted_elder()
    record_session(store, s, "visit_start")
    s.select_items(["pension_qualification"])
    (receipt,) = submit_items(store, s, load_bundled_catalog(), "k1", {"phone": PHONE})
    ticket = take_ticket(store, s, "k1")
    s.end(EndReason.DONE)
    record_session(store, s, "visit_end")

    assert store.conn.execute("SELECT helper_id FROM transactions WHERE id=?",
                              (receipt.transaction_id,)).fetchone()[0] == "V-101"
    assert _outbox(store, "transaction")[0]["helper_id"] == "V-101"
    assert ticket["helper_id"] == "V-101" and ticket["lane"] == "priority"
    row = store.conn.execute("SELECT helper_id, mode, ended_at, end_reason FROM sessions WHERE id=?",
                             (s.id,)).fetchone()
    assert (row["helper_id"], row["mode"], row["end_reason"]) == ("V-101", "assisted", "done") and row["ended_at"]
    actors = {r[0] for r in store.conn.execute("SELECT actor FROM audit_log")}
    assert actors == {"volunteer:V-101"}
    actions = [r[0] for r in store.conn.execute("SELECT action FROM audit_log ORDER BY seq")]
    assert actions == ["visit_start", "submit", "ticket", "visit_end"]
