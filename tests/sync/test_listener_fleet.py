"""Hub extension points: the ingest listener (once per newly stored record, same transaction) and the fleet view
of the kiosks' last heartbeats, sent by a real sync worker to a real hub process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiosk.store import open_store
from sync.hub.db import HubDB
from sync.hub.service import Hub
from sync.wire import body_digest
from sync.worker import SyncWorker
from tests.sync.conftest import HubProcess, fill_outbox, kiosk_config, ticket_body


def _item(key: str, n: int = 1) -> dict[str, Any]:
    body = ticket_body("kiosk-a", n, name="张三")
    return {"key": key, "kind": "ticket", "record_id": f"t-{n}", "body": body, "sha256": body_digest(body)}


def test_listener_runs_once_per_new_record_inside_the_insert_transaction(hub_admin: Hub) -> None:
    hub_admin.db.execute("CREATE TABLE seen (idem_key TEXT PRIMARY KEY, kiosk_id TEXT, kind TEXT, number TEXT)")
    calls: list[tuple[str, str, str, dict[str, Any]]] = []

    def listener(db: HubDB, kiosk_id: str, kind: str, key: str, body: dict[str, Any]) -> None:
        assert db is hub_admin.db
        calls.append((kiosk_id, kind, key, body))
        db.execute("INSERT INTO seen(idem_key, kiosk_id, kind, number) VALUES (?,?,?,?)",
                   (key, kiosk_id, kind, body["number"]))

    hub_admin.records.add_listener(listener)
    first = hub_admin.records.ingest("kiosk-a", [_item("key-00000001", 1), _item("key-00000002", 2)])
    assert [r.status for r in first] == ["created", "created"]
    replay = hub_admin.records.ingest("kiosk-a", [_item("key-00000001", 1), _item("key-00000003", 3)])
    assert [r.status for r in replay] == ["replayed", "created"]
    conflict = hub_admin.records.ingest("kiosk-a", [_item("key-00000001", 9)])
    assert [r.status for r in conflict] == ["conflict"]
    assert [c[2] for c in calls] == ["key-00000001", "key-00000002", "key-00000003"]
    assert calls[0][:2] == ("kiosk-a", "ticket") and calls[0][3]["name"] == "张三"  # plaintext body
    assert sorted(r[0] for r in hub_admin.db.query("SELECT idem_key FROM seen")) == \
        ["key-00000001", "key-00000002", "key-00000003"]

    def broken(db: HubDB, kiosk_id: str, kind: str, key: str, body: dict[str, Any]) -> None:
        raise RuntimeError("listener failed")

    hub_admin.records.add_listener(broken)
    with pytest.raises(RuntimeError):
        hub_admin.records.ingest("kiosk-a", [_item("key-00000004", 4)])
    # Rolled back with the listener: neither the record nor the first listener's row exists.
    assert hub_admin.records.get("kiosk-a", "key-00000004") is None
    assert hub_admin.db.one("SELECT idem_key FROM seen WHERE idem_key=?", ("key-00000004",)) is None
    assert hub_admin.records.count() == 3


def test_heartbeat_carries_devices_and_doctor_into_the_fleet(hub_process: HubProcess, hub_admin: Hub,
                                                             tmp_path: Path) -> None:
    store = open_store(tmp_path / "kiosk")
    fill_outbox(store, 2)
    store.close()
    hub_admin.kiosks.add("kiosk-b")  # registered, never seen
    cfg = kiosk_config(tmp_path / "kiosk", hub_process.url)
    report = {"devices": {"card_reader": {"state": "fault", "message": "读卡器无应答 / reader not answering"},
                          "scanner": {"state": "ok", "message": ""}, "printer": {"state": "absent", "message": ""}},
              "doctor": {"ok": False, "summary": ["card reader: not answering"]}}
    worker = SyncWorker(cfg.data_dir, cfg, token=hub_admin.kiosks.add("kiosk-a"), health=lambda: report)
    try:
        assert worker.heartbeat() is True
    finally:
        worker.close()
    fleet = {k["kiosk_id"]: k for k in hub_admin.fleet.kiosks()}
    assert set(fleet) == {"kiosk-a", "kiosk-b"}
    assert fleet["kiosk-b"]["last_seen"] is None and fleet["kiosk-b"]["body"] is None
    a = fleet["kiosk-a"]
    assert a["last_seen"] is not None
    body = a["body"]
    assert body["devices"] == report["devices"] and body["doctor"] == report["doctor"]
    assert body["outbox"]["pending"] == 2 and body["outbox"]["oldest_age_s"] >= 0
    assert body["version"] and body["uptime_s"] >= 0 and body["heartbeat_every_s"] == cfg.sync.heartbeat_seconds
    hub_admin.kiosks.revoke("kiosk-b")
    assert [k["kiosk_id"] for k in hub_admin.fleet.kiosks()] == ["kiosk-a"]


def test_heartbeat_without_health_source_sends_no_doctor_claim(hub_process: HubProcess, hub_admin: Hub,
                                                               tmp_path: Path) -> None:
    cfg = kiosk_config(tmp_path / "kiosk", hub_process.url)
    open_store(cfg.data_dir).close()

    def broken() -> dict[str, Any]:
        raise OSError("device bus gone")

    worker = SyncWorker(cfg.data_dir, cfg, token=hub_admin.kiosks.add("kiosk-a"), health=broken)
    try:
        assert worker.heartbeat() is True
    finally:
        worker.close()
    (entry,) = hub_admin.fleet.kiosks()
    assert entry["body"]["devices"] == {} and entry["body"]["doctor"] is None
