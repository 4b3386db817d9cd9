"""The hub's HTTP contract on both storages: idempotent ingest, receipts, tokens, isolation, tampering, pulls."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests

from kiosk.store.db import Store
from sync.hub.service import Hub
from sync.outbox import get_entry
from sync.wire import body_digest, content_digest
from sync.worker import SyncWorker
from tests.sync.conftest import HubProcess, fill_outbox, kiosk_config, make_trust_list, ticket_body
from tests.sync.faultproxy import FaultProxy

KEY = "01938a2b-0000-7000-8000-000000000001"


def post(url: str, path: str, token: str, payload: Any, headers: dict[str, str] | None = None) -> requests.Response:
    raw = json.dumps(payload).encode()
    hdrs = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
            "Content-Digest": content_digest(raw), **(headers or {})}
    return requests.post(url + path, data=raw, headers=hdrs, timeout=10)


def ticket(kiosk_id: str = "kiosk-a", n: int = 1) -> dict[str, Any]:
    return {"kind": "ticket", "record_id": f"t-{n}", "body": ticket_body(kiosk_id, n)}


def test_same_key_same_body_replays_the_same_receipt(hub_process: HubProcess, hub_admin: Hub) -> None:
    token = hub_admin.kiosks.add("kiosk-a")
    first = post(hub_process.url, "/v1/records", token, ticket(), {"Idempotency-Key": KEY})
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    receipt = first.json()
    assert receipt["receipt_no"].startswith("SL") and receipt["key"] == KEY
    again = post(hub_process.url, "/v1/records", token, ticket(), {"Idempotency-Key": KEY})
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == receipt
    assert hub_admin.records.count() == 1


def test_same_key_different_body_is_422_and_keeps_the_first(hub_process: HubProcess, hub_admin: Hub) -> None:
    token = hub_admin.kiosks.add("kiosk-a")
    assert post(hub_process.url, "/v1/records", token, ticket(n=1), {"Idempotency-Key": KEY}).status_code == 201
    other = post(hub_process.url, "/v1/records", token, ticket(n=2), {"Idempotency-Key": KEY})
    assert other.status_code == 422
    stored = hub_admin.records.get("kiosk-a", KEY)
    assert stored is not None and stored["sha256"] == body_digest(ticket(n=1)["body"])


def test_batch_results_and_replay_header(hub_process: HubProcess, hub_admin: Hub) -> None:
    token = hub_admin.kiosks.add("kiosk-a")
    records = [{"key": f"{KEY[:-2]}{i:02d}", **ticket(n=i)} for i in range(5)]
    payload = {"kiosk_id": "kiosk-a", "records": records}
    r1 = post(hub_process.url, "/v1/records/batch", token, payload)
    assert r1.status_code == 200 and "Idempotent-Replayed" not in r1.headers
    assert [x["status"] for x in r1.json()["results"]] == ["created"] * 5
    r2 = post(hub_process.url, "/v1/records/batch", token, payload)
    assert r2.headers["Idempotent-Replayed"] == "true"
    assert [x["receipt"] for x in r2.json()["results"]] == [x["receipt"] for x in r1.json()["results"]]
    assert hub_admin.records.count() == 5


def test_missing_and_revoked_tokens_are_refused_and_nothing_stored(hub_process: HubProcess, hub_admin: Hub) -> None:
    token = hub_admin.kiosks.add("kiosk-a")
    payload = {"kiosk_id": "kiosk-a", "records": [{"key": KEY, **ticket()}]}
    assert post(hub_process.url, "/v1/records/batch", "khub_forged", payload).status_code == 401
    assert requests.post(hub_process.url + "/v1/records/batch", json=payload, timeout=5).status_code == 401
    assert hub_admin.kiosks.revoke("kiosk-a")
    r = post(hub_process.url, "/v1/records/batch", token, payload)
    assert r.status_code == 401
    assert requests.get(hub_process.url + "/v1/catalog", headers={"Authorization": f"Bearer {token}"},
                        timeout=5).status_code == 401
    assert hub_admin.records.count() == 0


def test_another_kiosks_token_can_neither_write_nor_read(hub_process: HubProcess, hub_admin: Hub) -> None:
    token_a = hub_admin.kiosks.add("kiosk-a")
    token_b = hub_admin.kiosks.add("kiosk-b")
    # B posts A's records, claiming to be A, then claiming to be B: both refused, nothing stored.
    assert post(hub_process.url, "/v1/records/batch", token_b,
                {"kiosk_id": "kiosk-a", "records": [{"key": KEY, **ticket("kiosk-a")}]}).status_code == 403
    assert post(hub_process.url, "/v1/records/batch", token_b,
                {"kiosk_id": "kiosk-b", "records": [{"key": KEY, **ticket("kiosk-a")}]}).status_code == 403
    assert post(hub_process.url, "/v1/records", token_b, ticket("kiosk-a"),
                {"Idempotency-Key": KEY}).status_code == 403
    assert hub_admin.records.count() == 0
    assert post(hub_process.url, "/v1/records", token_a, ticket("kiosk-a"), {"Idempotency-Key": KEY}).status_code == 201
    auth_b = {"Authorization": f"Bearer {token_b}"}
    assert requests.get(f"{hub_process.url}/v1/records/{KEY}", headers=auth_b, timeout=5).status_code == 404
    assert requests.get(f"{hub_process.url}/v1/tickets", headers=auth_b, timeout=5).json() == {"items": []}
    auth_a = {"Authorization": f"Bearer {token_a}"}
    assert requests.get(f"{hub_process.url}/v1/records/{KEY}", headers=auth_a, timeout=5).json()["key"] == KEY
    # B reusing A's key for its own record is a conflict, not a read of A's receipt.
    r = post(hub_process.url, "/v1/records", token_b, ticket("kiosk-b"), {"Idempotency-Key": KEY})
    assert r.status_code == 422 and "receipt_no" not in r.json()
    assert hub_admin.records.count() == 1


def test_tampered_body_is_refused_nothing_stored_and_shown_as_dead_letter(
        hub_process: HubProcess, hub_admin: Hub, kiosk_store: Store, tmp_path: Path) -> None:
    ids = fill_outbox(kiosk_store, 3)
    proxy = FaultProxy(hub_process.port).start()
    proxy.tamper = True
    cfg = kiosk_config(tmp_path / "kiosk", proxy.url)
    worker = SyncWorker(cfg.data_dir, cfg, token=hub_admin.kiosks.add("kiosk-a"))
    try:
        result = worker.drain_once()
    finally:
        worker._close_thread_resources()
        proxy.stop()
    assert result.rejected == 3 and result.delivered == 0
    assert hub_admin.records.count() == 0
    entry = get_entry(kiosk_store, ids[0])
    assert entry is not None and entry.state == "rejected"
    assert "Content-Digest" in (entry.last_error or "")


def test_record_digest_mismatch_is_refused(hub_process: HubProcess, hub_admin: Hub) -> None:
    token = hub_admin.kiosks.add("kiosk-a")
    rec = {"key": KEY, **ticket(), "sha256": body_digest(ticket_body("kiosk-a", 999))}
    r = post(hub_process.url, "/v1/records/batch", token, {"kiosk_id": "kiosk-a", "records": [rec]})
    assert r.json()["results"][0]["status"] == "invalid"
    assert hub_admin.records.count() == 0


def test_pull_endpoints_use_etags(hub_process: HubProcess, hub_admin: Hub) -> None:
    token = hub_admin.kiosks.add("kiosk-a")
    auth = {"Authorization": f"Bearer {token}"}
    assert requests.get(f"{hub_process.url}/v1/hub-keys", headers=auth, timeout=5).status_code == 404
    # No trust list unless an operator published one: never the bundled demo copy in its place.
    none = requests.get(f"{hub_process.url}/v1/trust-list", headers=auth, timeout=5)
    assert none.status_code == 404 and "no trust-list published" in none.json()["detail"]
    hub_admin.signing.create()
    hub_admin.datasets.publish("trust-list", make_trust_list())
    for name in ("catalog", "trust-list", "hub-keys", "roster", "settings"):
        r = requests.get(f"{hub_process.url}/v1/{name}", headers=auth, timeout=5)
        assert r.status_code == 200, name
        again = requests.get(f"{hub_process.url}/v1/{name}", headers={**auth, "If-None-Match": r.headers["ETag"]},
                             timeout=5)
        assert again.status_code == 304 and again.content == b""
    hub_admin.datasets.publish("settings", json.dumps({"version": 2, "settings": {"idle_seconds": 90}}))
    r = requests.get(f"{hub_process.url}/v1/settings", headers=auth, timeout=5)
    assert r.json()["version"] == 2


def test_authorizations_delta_since_cursor(hub_process: HubProcess, hub_admin: Hub) -> None:
    token = hub_admin.kiosks.add("kiosk-a")
    auth = {"Authorization": f"Bearer {token}"}
    for i in range(3):
        hub_admin.authorizations.put({"id": f"auth-{i}", "scope": "all"})
    first = requests.get(f"{hub_process.url}/v1/authorizations", headers=auth, timeout=5).json()
    assert [a["id"] for a in first["items"]] == ["auth-0", "auth-1", "auth-2"]
    hub_admin.authorizations.put({"id": "auth-1", "scope": "all", "revoked": True})
    delta = requests.get(f"{hub_process.url}/v1/authorizations", params={"since": first["cursor"]}, headers=auth,
                         timeout=5).json()
    assert delta["items"] == [{"id": "auth-1", "scope": "all", "revoked": True}]
    assert delta["cursor"] > first["cursor"]


def test_online_code_verification_uses_the_local_registry(hub_process: HubProcess, hub_admin: Hub) -> None:
    token = hub_admin.kiosks.add("kiosk-a")
    hub_admin.codes.register("HC:opaque-health-code-1", issuer="gd-health", status="valid",
                            expires_at="2999-01-01T00:00:00+00:00")
    hub_admin.codes.register("HC:opaque-health-code-2", issuer="gd-health", status="revoked")
    hub_admin.codes.register("HC:opaque-health-code-3", issuer="gd-health", expires_at="2001-01-01T00:00:00+00:00")
    verdicts = [post(hub_process.url, "/v1/codes/verify", token, {"code": c}).json()["verdict"]
                for c in ("HC:opaque-health-code-1", "HC:opaque-health-code-2", "HC:opaque-health-code-3", "nope")]
    assert verdicts == ["valid", "revoked", "expired", "unknown"]


def test_help_requests_tickets_and_heartbeat(hub_process: HubProcess, hub_admin: Hub) -> None:
    token = hub_admin.kiosks.add("kiosk-a")
    body = {"record_id": "h-1", "body": {"kiosk_id": "kiosk-a", "kind": "help_request", "priority": True,
                                            "help_request_id": KEY, "created_at": "2026-01-05T02:00:00+00:00"}}
    assert post(hub_process.url, "/v1/help-requests", token, body, {"Idempotency-Key": KEY}).status_code == 201
    listed = requests.get(f"{hub_process.url}/v1/help-requests", headers={"Authorization": f"Bearer {token}"},
                          timeout=5).json()["items"]
    assert [i["key"] for i in listed] == [KEY]
    hb = post(hub_process.url, "/v1/heartbeat", token, {"version": "0.1.0", "pending": 3})
    assert hb.status_code == 200
    row = hub_admin.db.one("SELECT body FROM heartbeats WHERE kiosk_id=?", ("kiosk-a",))
    assert row is not None and json.loads(row[0])["pending"] == 3


def test_openapi_is_published(hub_process: HubProcess) -> None:
    spec = requests.get(hub_process.url + "/openapi.json", timeout=5).json()
    for path in ("/v1/records/batch", "/v1/records", "/v1/catalog", "/v1/authorizations", "/v1/codes/verify",
                 "/v1/heartbeat", "/v1/help-requests", "/v1/tickets", "/v1/hub-keys", "/v1/roster"):
        assert path in spec["paths"], path


def test_concurrent_duplicate_gets_409_with_retry_after(tmp_path: Path) -> None:
    from sync.hub.embedded import start_embedded_hub

    with start_embedded_hub(tmp_path / "hub.db") as hub:
        token = hub.token_for("kiosk-a")
        # Another request is storing this key right now (held in the hub's in-flight set, as a slow request would).
        claimed, _ = hub.hub.records._claim_keys([KEY])
        r = post(hub.url, "/v1/records", token, ticket(), {"Idempotency-Key": KEY})
        assert r.status_code == 409 and r.headers["Retry-After"] == "1"
        hub.hub.records._release_keys(claimed)
        assert post(hub.url, "/v1/records", token, ticket(), {"Idempotency-Key": KEY}).status_code == 201
        # Real concurrent duplicates: exactly one is created, the rest replay or are told to retry.
        other = KEY[:-1] + "9"
        start = threading.Barrier(16)

        def send(_: int) -> requests.Response:
            start.wait()
            return post(hub.url, "/v1/records", token, ticket(n=9), {"Idempotency-Key": other})

        with ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(send, range(16)))
        codes = [a.status_code for a in answers]
        assert codes.count(201) == 1 and set(codes) <= {201, 200, 409}
        assert all(a.headers.get("Retry-After") for a in answers if a.status_code == 409)
        assert hub.hub.records.count() == 2
