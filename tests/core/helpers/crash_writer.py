"""Subprocess for the crash-safety test: submits records forever, printing each id only after its commit."""

from __future__ import annotations

import datetime as dt
import sys

from kiosk.catalog import load_bundled_catalog
from kiosk.identity import CardType, IdentityRecord
from kiosk.services import submit_items
from kiosk.session import Session
from kiosk.store import open_store


def main(data_dir: str) -> None:
    store = open_store(data_dir)
    catalog = load_bundled_catalog()
    print("ready", flush=True)
    while True:
        s = Session()
        s.identify(IdentityRecord(CardType.RESIDENT, name="测试", id_number="11010519491231002X",
                                  birth_date=dt.date(1949, 12, 31)))
        s.select_items(["pension_qualification", "social_insurance_proof"])
        receipts = submit_items(store, s, catalog, "crash", {"phone": "13800138000"})
        # Acknowledge only after COMMIT returned: these ids must survive any later SIGKILL.
        print(" ".join(r.transaction_id for r in receipts), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
