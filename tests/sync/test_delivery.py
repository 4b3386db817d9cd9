"""Kiosk-side delivery rules against a real local hub: states, backoff, Retry-After, dead letters, recovery."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.messages import KioskError
from kiosk.store import open_store
from kiosk.store.db import Store
from sync import outbox
from sync.backoff import backoff_seconds, next_delay, retry_after_seconds
from sync.client import HubClient, load_token, write_token
from sync.hub.embedded import EmbeddedHub, start_embedded_hub
from sync.status import SyncStatus
from sync.worker import SyncWorker
from tests.sync.conftest import fill_outbox, kiosk_config
from tests.sync.faultproxy import FaultProxy


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[EmbeddedHub]:
    h = start_embedded_hub(tmp_path / "hub.db")
    yield h
    h.stop()


def make_worker(store: Store, url: str, token: str, **sync: float) -> SyncWorker:
    cfg = kiosk_config(store.path.parent, url, **sync)
    return SyncWorker(cfg.data_dir, cfg, token=token)


def states(store: Store) -> dict[str, str]:
    return {r["id"]: r["state"] for r in store.conn.execute("SELECT id, state FROM outbox")}


def test_backoff_is_full_jitter_with_a_cap() -> None:
    for attempts in range(1, 12):
        ceiling = min(5.0, 0.5 * 2 ** (attempts - 1))
        samples = [backoff_seconds(attempts, 0.5, 5.0) for _ in range(200)]
        assert all(0 <= s <= ceiling for s in samples)
        assert max(samples) > ceiling / 2  # spread over the range, not a fixed value
    assert retry_after_seconds("7") == 7.0
    when = email.utils.format_datetime(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=60), usegmt=True)
    assert 50 <= (retry_after_seconds(when) or 0) <= 61
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None
    assert next_delay(1, 0.01, 300.0, 30.0) >= 30.0
    assert next_delay(1, 0.01, 10.0, 3600.0) <= 10.0


def test_entries_are_marked_sending_and_committed_before_the_post(hub: EmbeddedHub, kiosk_store: Store) -> None:
    ids = fill_outbox(kiosk_store, 30)
    proxy = FaultProxy(hub.port).start()
    proxy.keep_bodies = True
    seen: list[tuple[list[str], dict[str, str]]] = []

    def hook(n: int, phase: str) -> None:
        if phase == "received" and proxy.bodies.get(n):
            # What another connection (a crash survivor) would find in the file while this batch is in flight.
            conn = sqlite3.connect(kiosk_store.path)
            states_now = dict(conn.execute("SELECT id, state FROM outbox").fetchall())
            conn.close()
            seen.append(([r["key"] for r in json.loads(proxy.bodies[n])["records"]], states_now))

    proxy.hook = hook
    worker = make_worker(kiosk_store, proxy.url, hub.token_for("kiosk-a"), batch_size=10)
    try:
        assert worker.drain_once().delivered == 30
    finally:
        worker.close()
        proxy.stop()
    assert [len(keys) for keys, _ in seen] == [10, 10, 10]
    assert sorted(k for keys, _ in seen for k in keys) == sorted(ids)
    for keys, states_now in seen:
        assert all(states_now[k] == "sending" for k in keys)
    assert set(states(kiosk_store).values()) == {"delivered"}
    entry = outbox.get_entry(kiosk_store, ids[0])
    assert entry is not None and entry.attempts == 1 and entry.receipt and entry.delivered_at


def test_a_batch_claimed_ahead_of_a_failure_is_handed_back(hub: EmbeddedHub, kiosk_store: Store) -> None:
    fill_outbox(kiosk_store, 30)
    proxy = FaultProxy(hub.port, fault_rate=1.0, faults=("http_503_retry_after",)).start()
    worker = make_worker(kiosk_store, proxy.url, hub.token_for("kiosk-a"), batch_size=10)
    worker._online = True  # skip the probe: the first batch itself meets the 503
    try:
        result = worker.drain_once()
    finally:
        worker.close()
        proxy.stop()
    assert result.retried == 10 and proxy.total == 1
    rows = kiosk_store.conn.execute("SELECT state, attempts FROM outbox").fetchall()
    assert {r["state"] for r in rows} == {"pending"}
    assert sorted(r["attempts"] for r in rows) == [0] * 20 + [1] * 10  # only the posted batch was charged


def test_503_retry_after_is_honoured_and_status_says_offline(hub: EmbeddedHub, kiosk_store: Store) -> None:
    ids = fill_outbox(kiosk_store, 5)
    proxy = FaultProxy(hub.port, fault_rate=1.0, faults=("http_503_retry_after",)).start()
    statuses: list[SyncStatus] = []
    cfg = kiosk_config(kiosk_store.path.parent, proxy.url, backoff_base_seconds=0.01, backoff_cap_seconds=300)
    worker = SyncWorker(cfg.data_dir, cfg, token=hub.token_for("kiosk-a"), on_status=statuses.append)
    worker._online = True  # skip the probe so the batch itself meets the 503
    before = dt.datetime.now(dt.UTC)
    try:
        result = worker.drain_once()
    finally:
        worker._close_thread_resources()
        proxy.stop()
    assert result.retried == 5 and result.delivered == 0
    for oid in ids:
        e = outbox.get_entry(kiosk_store, oid)
        assert e is not None and e.state == "pending" and e.last_error == "hub HTTP 503"
        assert outbox.parse_iso(e.next_attempt_at) >= before + dt.timedelta(seconds=1)
    assert statuses[-1].online is False and statuses[-1].pending == 5
    assert hub.hub.records.count() == 0


def test_other_4xx_is_a_dead_letter_with_retry_and_forget(hub: EmbeddedHub, kiosk_store: Store) -> None:
    ids = fill_outbox(kiosk_store, 2, kiosk_id="kiosk-a")
    # The token belongs to kiosk-b: the hub answers 403, which retrying cannot fix.
    worker = make_worker(kiosk_store, hub.url, hub.token_for("kiosk-b"))
    assert worker.drain_once().rejected == 2
    e = outbox.get_entry(kiosk_store, ids[0])
    assert e is not None and e.state == "rejected" and "403" in (e.last_error or "")
    assert worker.status().rejected == 2 and worker.status().pending == 0
    assert outbox.retry(kiosk_store, ids[0]) and outbox.forget(kiosk_store, ids[1])
    assert not outbox.forget(kiosk_store, ids[0])  # only dead letters can be forgotten
    worker._close_thread_resources()
    good = make_worker(kiosk_store, hub.url, hub.token_for("kiosk-a"))
    assert good.drain_once().delivered == 1
    good._close_thread_resources()
    assert states(kiosk_store) == {ids[0]: "delivered"}
    actions = [r[0] for r in kiosk_store.conn.execute("SELECT action FROM audit_log")]
    assert "outbox_retry" in actions and "outbox_forget" in actions


def test_revoked_token_keeps_records_waiting(hub: EmbeddedHub, kiosk_store: Store) -> None:
    fill_outbox(kiosk_store, 3)
    token = hub.token_for("kiosk-a")
    hub.hub.kiosks.revoke("kiosk-a")
    worker = make_worker(kiosk_store, hub.url, token)
    result = worker.drain_once()
    worker._close_thread_resources()
    assert result.retried == 3 and result.rejected == 0
    assert set(states(kiosk_store).values()) == {"pending"}
    assert "401" in (worker.status().last_error or "")
    assert hub.hub.records.count() == 0


def test_entry_left_sending_by_a_crash_is_sent_again_and_replayed(hub: EmbeddedHub, kiosk_store: Store) -> None:
    ids = fill_outbox(kiosk_store, 4)
    token = hub.token_for("kiosk-a")
    # The hub got the batch but the kiosk died before recording the answer: entries stay "sending".
    proxy = FaultProxy(hub.port, fault_rate=1.0, faults=("drop_after",)).start()
    claimed = outbox.claim_due(kiosk_store, 10, lease_seconds=3600)
    client = HubClient(proxy.url, token, timeout=2)
    from sync.wire import body_digest

    with pytest.raises(Exception):  # noqa: B017 - the connection is dropped on purpose
        client.post_batch("kiosk-a", [{"key": c.id, "kind": c.kind, "record_id": c.record_id, "body": c.body,
                                       "sha256": body_digest(c.body)} for c in claimed])
    proxy.stop()
    client.close()
    assert set(states(kiosk_store).values()) == {"sending"} and hub.hub.records.count() == 4
    first_receipts = {k: hub.hub.records.get("kiosk-a", k)["receipt_no"] for k in ids}  # type: ignore[index]
    worker = make_worker(kiosk_store, hub.url, token)  # a new drainer process starts
    assert worker.drain_once().delivered == 4
    worker._close_thread_resources()
    assert hub.hub.records.count() == 4
    for oid in ids:
        e = outbox.get_entry(kiosk_store, oid)
        assert e is not None and e.receipt is not None and e.receipt["receipt_no"] == first_receipts[oid]


def test_export_import_keeps_keys_so_nothing_is_delivered_twice(hub: EmbeddedHub, tmp_path: Path,
                                                                 kiosk_store: Store) -> None:
    ids = fill_outbox(kiosk_store, 20)
    token = hub.token_for("kiosk-a")
    # Half reached the hub but the old kiosk never heard back; then it broke.
    proxy = FaultProxy(hub.port, fault_rate=1.0, faults=("drop_after",)).start()
    w = make_worker(kiosk_store, proxy.url, token, batch_size=10)
    w._online = True
    w.drain_once()
    w._close_thread_resources()
    proxy.stop()
    assert hub.hub.records.count() == 10
    export = tmp_path / "rescue.jsonl"
    assert outbox.export_jsonl(kiosk_store, export, "correct horse") == 20
    assert os.stat(export).st_mode & 0o777 == 0o600
    assert "A00001" not in export.read_text()  # bodies are sealed in the file
    with pytest.raises(KioskError):
        list(outbox._read_export(export, "wrong"))
    fresh = open_store(tmp_path / "replacement")
    assert outbox.import_jsonl(fresh, export, "correct horse") == (20, 0)
    assert outbox.import_jsonl(fresh, export, "correct horse") == (0, 20)
    assert {r["id"] for r in fresh.conn.execute("SELECT id FROM outbox")} == set(ids)
    w2 = make_worker(fresh, hub.url, token)
    assert w2.drain_once().delivered == 20
    w2._close_thread_resources()
    assert hub.hub.records.count() == 20
    fresh.close()


def test_worker_thread_drains_on_wake_and_publishes_status(hub: EmbeddedHub, kiosk_store: Store) -> None:
    empty = threading.Event()
    statuses: list[SyncStatus] = []

    def on_status(s: SyncStatus) -> None:
        statuses.append(s)
        if s.online and s.pending == 0 and s.last_success_at is not None:
            empty.set()

    cfg = kiosk_config(kiosk_store.path.parent, hub.url)
    worker = SyncWorker(cfg.data_dir, cfg, token=hub.token_for("kiosk-a"), on_status=on_status)
    worker.start()
    try:
        fill_outbox(kiosk_store, 60)
        worker.wake()
        assert empty.wait(20)
    finally:
        worker.stop()
    assert hub.hub.records.count() == 60
    assert statuses[-1].pending == 0 and statuses[-1].last_error is None
    hb = hub.hub.db.one("SELECT body FROM heartbeats WHERE kiosk_id=?", ("kiosk-a",))
    assert hb is not None and json.loads(hb[0])["version"]
    assert kiosk_store.cache_get("catalog") is not None  # the first round pulled the hub's data sets


def test_offline_kiosk_queues_and_reports_status(tmp_path: Path, kiosk_store: Store) -> None:
    fill_outbox(kiosk_store, 3)
    cfg = kiosk_config(kiosk_store.path.parent, None)
    worker = SyncWorker(cfg.data_dir, cfg)
    worker.drain_once()
    st = worker.status()
    worker._close_thread_resources()
    assert st.online is False and st.pending == 3 and st.oldest_pending_age_s is not None


def test_token_file_must_be_private(tmp_path: Path) -> None:
    path = tmp_path / "token"
    write_token(path, "khub_secret")
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert load_token(path) == "khub_secret"
    os.chmod(path, 0o644)
    with pytest.raises(KioskError) as err:
        load_token(path)
    assert err.value.kind == "token_file_insecure"
    with pytest.raises(KioskError):
        HubClient("http://hub.example.org", "t")


def test_offline_probes_back_off_instead_of_spinning(hub: EmbeddedHub, kiosk_store: Store) -> None:
    fill_outbox(kiosk_store, 3)
    proxy = FaultProxy(hub.port, fault_rate=1.0, faults=("drop_before",)).start()
    worker = make_worker(kiosk_store, proxy.url, hub.token_for("kiosk-a"), backoff_base_seconds=0.1,
                         backoff_cap_seconds=0.5)
    try:
        assert worker.drain_until_empty(timeout=2.0) is False
    finally:
        worker.close()
        proxy.stop()
    # Every request was a probe (nothing was claimed while offline), and probes were spaced out.
    assert 1 <= proxy.total < 60
    assert set(states(kiosk_store).values()) == {"pending"}
    assert all(e.attempts == 0 for e in outbox.list_entries(kiosk_store))


def test_stop_joins_the_drainer_thread(hub: EmbeddedHub, kiosk_store: Store) -> None:
    cfg = kiosk_config(kiosk_store.path.parent, hub.url)
    worker = SyncWorker(cfg.data_dir, cfg, token=hub.token_for("kiosk-a"))
    worker.start()
    thread = worker._thread
    assert thread is not None and thread.is_alive()
    worker.stop()
    assert not thread.is_alive()
