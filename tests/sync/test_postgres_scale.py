"""PostgreSQL for scale: several hub processes on one database still store each key exactly once."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from sync.hub.server import open_hub
from sync.outbox import new_passphrase
from sync.wire import body_digest, content_digest
from tests.sync.conftest import HubProcess, fresh_pg_database, ticket_body, use_pg_key_file


@pytest.mark.postgres
def test_two_hub_processes_on_one_postgres_store_each_key_once(pg_server: str, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    use_pg_key_file(monkeypatch, tmp_path)
    url = fresh_pg_database(pg_server)
    admin = open_hub(url)
    token = admin.kiosks.add("kiosk-a")
    hubs = [HubProcess(url).start(), HubProcess(url).start()]
    try:
        records = [{"key": f"01938a2b-0000-7000-8000-{i:012d}", "kind": "ticket", "record_id": f"t-{i}",
                    "body": (b := ticket_body("kiosk-a", i, salt=new_passphrase())),
                    "sha256": body_digest(b)} for i in range(200)]
        raw = json.dumps({"kiosk_id": "kiosk-a", "records": records}).encode()
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                   "Content-Digest": content_digest(raw)}
        start = threading.Barrier(8)

        def send(i: int) -> requests.Response:
            start.wait()  # the same batch reaches both hubs at once, four times each
            return requests.post(hubs[i % 2].url + "/v1/records/batch", data=raw, headers=headers, timeout=60)

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(send, range(8)))
        assert all(a.status_code == 200 for a in answers)
        receipts: dict[str, set[str]] = {}
        for a in answers:
            for r in a.json()["results"]:
                assert r["status"] in ("created", "replayed", "in_progress"), r
                if r["receipt"]:
                    receipts.setdefault(r["key"], set()).add(r["receipt"]["receipt_no"])
        created = sum(r["status"] == "created" for a in answers for r in a.json()["results"])
        assert created == 200
        assert all(len(v) == 1 for v in receipts.values())  # every answer for a key names the same receipt
        assert admin.records.count() == 200
    finally:
        for h in hubs:
            h.stop()
        admin.db.close()
