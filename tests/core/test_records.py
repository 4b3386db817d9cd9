"""The record vocabulary (kiosk.records) fits what the kiosk really sends: every body its builders put in the
outbox validates, and a body a kiosk should never send is refused with the field named."""

from __future__ import annotations

import uuid

import pytest

from kiosk.catalog import load_bundled_catalog
from kiosk.difficult import open_case
from kiosk.records import TICKET_ALPHABET, HeartbeatRecord, RecordError, TicketRecord, validate_body, validate_heartbeat
from kiosk.services import request_help, submit_items, take_ticket
from kiosk.store.db import Store
from tests.core.test_helper_records import _assisted_elder


def _outbox(store: Store) -> list[tuple[str, dict]]:
    return [(r[0], store.unseal("outbox", r[1], r[2]))
            for r in store.conn.execute("SELECT kind, id, body_enc FROM outbox ORDER BY rowid")]


def test_every_body_the_kiosk_builds_validates(store: Store) -> None:
    s = _assisted_elder()
    s.select_items(["pension_qualification"])
    submit_items(store, s, load_bundled_catalog(), "k1", {"phone": "13800138000"})
    take_ticket(store, s, "k1")
    request_help(store, s, "k1", screen="form", item_code="pension_qualification")
    request_help(store, None, "k1", kind="difficult_case")
    open_case(store, s, kiosk_id="k1", item_code="pension_qualification", step="materials",
              reason="materials_missing", phone="13800138000")
    kinds = []
    for kind, body in _outbox(store):
        kinds.append(kind)
        if kind in ("ticket", "help_request", "difficult_case", "transaction"):
            assert validate_body(kind, body) is not None, kind
    assert {"transaction", "ticket", "help_request", "difficult_case"} <= set(kinds)


def test_ids_are_uuids_and_numbers_short_codes_of_the_ticket_alphabet() -> None:
    ok = {"ticket_id": str(uuid.uuid4()), "kiosk_id": "k1", "number": "Y2017", "created_at": "2026-12-01T08:00:00Z"}
    assert isinstance(validate_body("ticket", ok), TicketRecord)
    assert set(TICKET_ALPHABET) == set("AYN0123456789")
    for field, bad in (("ticket_id", "../counters/7/call-next#"), ("number", "A00011"), ("number", "A001\n"),
                       ("number", "B001"), ("created_at", "2026-12-01T08:00:00"), ("kiosk_id", "k1/../x")):
        with pytest.raises(RecordError) as err:
            validate_body("ticket", {**ok, field: bad})
        assert err.value.field == f"body.{field}"
    with pytest.raises(RecordError) as err:
        validate_body("difficult_case", {"kiosk_id": "k1", "created_at": "2026-12-01T08:00:00Z"})
    assert err.value.field == "body.case_id"


def test_heartbeat_from_the_worker_shape_validates() -> None:
    hb = validate_heartbeat({"version": "0.1.0", "uptime_s": 3.5, "heartbeat_every_s": 180,
                             "outbox": {"pending": 3, "oldest_age_s": 420, "rejected": 0},
                             "devices": {"card_reader": {"state": "fault", "message": "读卡器无响应"}},
                             "doctor": None, "sent_at": "2026-12-01T08:00:00+00:00"})
    assert isinstance(hb, HeartbeatRecord) and hb.outbox.pending == 3
    with pytest.raises(RecordError) as err:
        validate_heartbeat({"outbox": {"pending": -1}})
    assert err.value.field == "outbox.pending"
