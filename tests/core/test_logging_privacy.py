"""Logs are JSON lines and never hold personal data, even when code logs a record or an error carelessly."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

from kiosk.catalog import load_bundled_catalog
from kiosk.identity import CardType, IdentityRecord
from kiosk.logsetup import scrub, setup_logging
from kiosk.services import request_help, submit_items, take_ticket
from kiosk.session import EndReason, Session
from kiosk.store import open_store

ID_NUMBER = "44010619520314002X"
NAME = "欧阳春花"
PHONE = "13912345678"


def test_full_core_flow_logs_nothing_personal(tmp_path: Path) -> None:
    log_dir = tmp_path / "logs"
    setup_logging(log_dir, level=logging.DEBUG, stderr=False)
    try:
        log = logging.getLogger("test.flow")
        store = open_store(tmp_path / "data")
        rec = IdentityRecord(CardType.RESIDENT, name=NAME, id_number=ID_NUMBER, birth_date=dt.date(1952, 3, 14))
        s = Session()
        s.identify(rec)
        log.info("card read: %s", rec)  # a careless line: the masked repr keeps it safe
        log.info("identified", extra={"record": repr(rec), "session": s.id})
        s.select_items(["pension_qualification", "family_doctor"])
        submit_items(store, s, load_bundled_catalog(), "k1", {"phone": PHONE})
        take_ticket(store, s, "k1")
        request_help(store, s, "k1")
        log.warning("phone typed was %s for %s", PHONE, ID_NUMBER)  # worse: raw values; the filter masks them
        s.end(EndReason.DONE)
        log.info("session ended")
    finally:
        for h in logging.getLogger().handlers:
            h.flush()
    text = (log_dir / "kiosk.log.jsonl").read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines()]
    assert len(lines) >= 4 and all("ts" in line and "levelname" in line for line in lines)
    for needle in (ID_NUMBER, NAME, PHONE, "春花"):
        assert needle not in text
    assert "440106********002X" in text and "139****5678" in text


def test_scrub_masks_id_and_phone_shapes() -> None:
    assert scrub("id 11010519491231002X ok") == "id 110105********002X ok"
    assert scrub("tel:13800138000") == "tel:138****8000"
    assert scrub("order 123456789012345678901234") == "order 123456789012345678901234"
