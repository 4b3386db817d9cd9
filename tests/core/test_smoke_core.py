"""First end-to-end check of the core: a session submits two items; records and outbox rows agree."""

from __future__ import annotations

import datetime as dt

from kiosk.catalog import load_bundled_catalog
from kiosk.identity import CardType, IdentityRecord
from kiosk.services import submit_items
from kiosk.session import Session


def test_submit_writes_record_and_outbox_together(store) -> None:
    cat = load_bundled_catalog()
    s = Session()
    s.identify(IdentityRecord(CardType.RESIDENT, name="张三", id_number="11010519491231002X",
                              birth_date=dt.date(1949, 12, 31)))
    s.select_items(["pension_qualification", "medical_insurance_proof"])
    receipts = submit_items(store, s, cat, "k1", {"phone": "13800138000"})
    assert len(receipts) == 2
    assert store.conn.execute("SELECT COUNT(*) FROM transactions").fetchone()[0] == 2
    assert store.conn.execute("SELECT COUNT(*) FROM outbox WHERE state='pending'").fetchone()[0] == 2
