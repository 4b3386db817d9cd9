"""Difficult cases: item, step, reason from a list and an optional phone (sealed) recorded; a `difficult` ticket
issued; the hub body agreed in INTERFACES.md, with no personal data but the phone when given."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk import audit
from kiosk.difficult import REASONS, open_case
from kiosk.identity import CardType, IdentityRecord
from kiosk.messages import KioskError
from kiosk.session import Helper, HelperRole, Mode, Session
from kiosk.store.db import Store
from kiosk.tickets import TicketNumbering

ID = "11010519491231002X"
BODY_KEYS = {"case_id", "kiosk_id", "created_at", "item_code", "step", "reason", "reason_label", "elderly",
             "ticket_id", "number", "lane", "helper_id", "session_id"}


def _bodies(store: Store) -> list[dict]:
    return [store.unseal("outbox", r[0], r[1])
            for r in store.conn.execute("SELECT id, body_enc FROM outbox WHERE kind='difficult_case' ORDER BY 1")]


def _elder() -> Session:
    s = Session()
    s.identify(IdentityRecord(CardType.RESIDENT, name="王老太", id_number=ID, birth_date=dt.date(1949, 12, 31)))
    return s


def test_case_with_phone_recorded_sealed_and_ticketed(store: Store) -> None:
    s = _elder()
    case = open_case(store, s, kiosk_id="k1", item_code="funeral_subsidy", step="materials",
                     reason="materials_missing", phone="138 0013 8000", numbering=TicketNumbering(slot=3))
    assert (case.ticket.lane, case.ticket.number) == ("difficult", "N3001")
    row = dict(store.conn.execute("SELECT * FROM difficult_cases").fetchone())
    assert (row["item_code"], row["step"], row["reason"], row["ticket_id"]) == (
        "funeral_subsidy", "materials", "materials_missing", case.ticket.ticket_id)
    assert b"13800138000" not in row["phone_enc"]
    assert store.unseal("difficult_cases", case.case_id, row["phone_enc"]) == {"phone": "13800138000"}
    (body,) = _bodies(store)
    assert set(body) == BODY_KEYS | {"phone"}
    assert body["phone"] == "13800138000" and body["elderly"] is True and body["number"] == "N3001"
    assert body["reason_label"] == REASONS["materials_missing"].as_dict()
    assert ID not in str(body) and "王老太" not in str(body)
    # The ticket goes to the hub too, in the difficult lane.
    tickets = [store.unseal("outbox", r[0], r[1]) for r in
               store.conn.execute("SELECT id, body_enc FROM outbox WHERE kind='ticket'")]
    assert [t["lane"] for t in tickets] == ["difficult"]
    assert audit.verify(store) == []


def test_case_without_phone_has_no_phone_anywhere(store: Store) -> None:
    staff = Helper("S-007", HelperRole.STAFF)
    s = Session()
    s.set_mode(Mode.ASSISTED, staff)
    open_case(store, s, kiosk_id="k1", item_code=None, step="choose", reason="not_found")
    (body,) = _bodies(store)
    assert set(body) == BODY_KEYS and body["helper_id"] == "S-007" and body["item_code"] is None
    assert store.conn.execute("SELECT phone_enc, helper_id FROM difficult_cases").fetchone()[:] == (None, "S-007")
    actor = store.conn.execute("SELECT actor FROM audit_log WHERE action='difficult_case'").fetchone()[0]
    assert actor == "staff:S-007"


def test_double_tap_gives_one_case_and_one_ticket(store: Store) -> None:
    a = open_case(store, None, kiosk_id="k1", item_code="x", step="review", reason="too_hard", request_id="tap-1")
    b = open_case(store, None, kiosk_id="k1", item_code="x", step="review", reason="too_hard", request_id="tap-1")
    assert a == b
    assert store.conn.execute("SELECT COUNT(*) FROM difficult_cases").fetchone()[0] == 1
    assert store.conn.execute("SELECT COUNT(*) FROM tickets").fetchone()[0] == 1


@pytest.mark.parametrize(("kw", "kind"), [({"reason": "angry"}, "reason_unknown"),
                                          ({"phone": "1380013"}, "phone_invalid"),
                                          ({"phone": "23800138000"}, "phone_invalid")])
def test_bad_input_is_refused_plainly_and_creates_nothing(store: Store, kw: dict, kind: str) -> None:
    args = {"kiosk_id": "k1", "item_code": None, "step": "form", "reason": "other"}
    args.update(kw)
    with pytest.raises(KioskError) as exc:
        open_case(store, None, **args)  # type: ignore[arg-type]
    assert exc.value.kind == kind and exc.value.message.zh and exc.value.message.en
    for table in ("difficult_cases", "tickets", "outbox", "audit_log"):
        assert store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0


def test_landline_accepted_and_reasons_bilingual(store: Store) -> None:
    case = open_case(store, None, kiosk_id="k1", item_code=None, step="home", reason="other", phone="020-8333-0000")
    row = store.conn.execute("SELECT phone_enc FROM difficult_cases").fetchone()
    assert store.unseal("difficult_cases", case.case_id, row[0]) == {"phone": "02083330000"}
    assert 4 <= len(REASONS) <= 7 and all(m.zh and m.en for m in REASONS.values())
