"""What a kiosk token may send, against real hub processes: 413 before a large body is read (the hub's memory
stays flat), 429 with Retry-After above the token's rate, and the kiosk's outbox marking the right rows."""

from __future__ import annotations

import datetime as dt
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kiosk.store import open_store
from kiosk.store.db import Store
from kiosk.store.outbox import enqueue
from sync import outbox
from sync.delivery import TOO_LARGE
from sync.hub.server import open_hub
from sync.hub.service import Hub
from sync.worker import SyncWorker
from tests.sync.conftest import HubProcess, fill_outbox, kiosk_config, ticket_body

MIB = 1024 * 1024


def reset_peak(pid: int) -> None:
    """Start the process's peak resident set (VmHWM) again from its current size (Linux clear_refs 5)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def rss_kib(pid: int) -> dict[str, int]:
    """Resident set now (VmRSS) and its peak so far (VmHWM) of a process, in KiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


def _read_answer(s: socket.socket) -> bytes:
    """One HTTP answer off the socket: the head, then as many body bytes as its Content-Length says."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(4096)
    head, body = data.split(b"\r\n\r\n", 1)
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length"))
    while len(body) < length:
        body += s.recv(4096)
    return head + b"\r\n\r\n" + body


@pytest.fixture
def admin(tmp_path: Path) -> Iterator[Hub]:
    hub = open_hub(str(tmp_path / "hub.db"))
    yield hub
    hub.db.close()


def _hub(admin: Hub, *args: str) -> HubProcess:
    return HubProcess(str(admin.db.path), extra_args=args).start()


def test_50_mb_body_gets_413_unread_and_memory_stays_flat(admin: Hub, capsys: pytest.CaptureFixture[str]) -> None:
    token = admin.kiosks.add("kiosk-a")
    hp = _hub(admin)
    try:
        assert hp.proc is not None
        pid = hp.proc.pid
        # Warm the process up (imports, first request) so the baseline is the serving state.
        requests.get(hp.url + "/v1/settings", headers={"Authorization": f"Bearer {token}"}, timeout=5)
        reset_peak(pid)
        before = rss_kib(pid)
        # On the wire: headers announcing 50 MB, and no body at all. The answer comes without a byte of it.
        with socket.create_connection(("127.0.0.1", hp.port), timeout=5) as s:
            s.sendall(b"POST /v1/records/batch HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer " + token.encode()
                      + b"\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\n\r\n")
            answer = _read_answer(s)
        assert answer.startswith(b"HTTP/1.1 413 "), answer[:80]
        assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["max_bytes"] == MIB
        # A client that sends all 50 MB anyway (Content-Length) reads the 413, not a reset connection.
        big = _fifty_mb()
        t = time.perf_counter()
        r = requests.post(hp.url + "/v1/records/batch", data=big, timeout=60,
                          headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        sized_s = time.perf_counter() - t
        assert r.status_code == 413
        # And chunked, with no length announced: cut off as soon as the bytes read pass the limit.
        chunk = b"0," * (MIB // 2)

        def stream() -> Iterator[bytes]:
            yield b"["
            for _ in range(50):
                yield chunk

        t = time.perf_counter()
        r = requests.post(hp.url + "/v1/records/batch", data=stream(), timeout=60,
                          headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        chunked_s = time.perf_counter() - t
        assert r.status_code == 413 and "too large" in r.json()["detail"]
        after = rss_kib(pid)
        ok = requests.get(hp.url + "/v1/settings", headers={"Authorization": f"Bearer {token}"}, timeout=5)
        assert ok.status_code == 200  # still serving
    finally:
        hp.stop()
    growth = after["VmHWM"] - before["VmRSS"]
    with capsys.disabled():
        print(f"\n[413] hub RSS before {before['VmRSS']} KiB, peak after two 50 MB posts {after['VmHWM']} KiB "
              f"(growth {growth} KiB); 50 MB with Content-Length answered in {sized_s:.2f} s, chunked in "
              f"{chunked_s:.2f} s")
    assert growth < 8 * 1024, (before, after)  # far below the 50 MB a buffered body would take
    assert admin.records.count() == 0


def _fifty_mb() -> bytes:
    return b"[" + b"0," * (25 * MIB) + b"0]"


def test_the_memory_measure_sees_a_body_that_is_read(admin: Hub, capsys: pytest.CaptureFixture[str]) -> None:
    """Control for the test above: with the limit raised above 50 MB, the hub reads the body and its peak grows."""
    token = admin.kiosks.add("kiosk-a")
    hp = _hub(admin, "--max-body-bytes", str(64 * MIB))
    try:
        assert hp.proc is not None
        requests.get(hp.url + "/v1/settings", headers={"Authorization": f"Bearer {token}"}, timeout=5)
        reset_peak(hp.proc.pid)
        before = rss_kib(hp.proc.pid)
        r = requests.post(hp.url + "/v1/records/batch", data=_fifty_mb(), timeout=60,
                          headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        assert r.status_code == 400  # read in full, then refused for its missing Content-Digest
        after = rss_kib(hp.proc.pid)
    finally:
        hp.stop()
    with capsys.disabled():
        print(f"\n[413 control] limit 64 MiB: hub peak grew {after['VmHWM'] - before['VmRSS']} KiB reading 50 MB")
    assert after["VmHWM"] - before["VmRSS"] > 40 * 1024


def test_a_burst_above_the_token_rate_gets_429_with_retry_after(admin: Hub) -> None:
    token, other = admin.kiosks.add("kiosk-a"), admin.kiosks.add("kiosk-b")
    hp = _hub(admin, "--rate-per-second", "1", "--rate-burst", "5")
    try:
        answers = [requests.get(hp.url + "/v1/settings", headers={"Authorization": f"Bearer {token}"}, timeout=5)
                   for _ in range(12)]
        codes = [a.status_code for a in answers]
        assert codes[:5] == [200] * 5 and 429 in codes[5:], codes
        refused = [a for a in answers if a.status_code == 429]
        assert all(int(a.headers["Retry-After"]) >= 1 for a in refused)
        # Per token: another kiosk is not held back by this one's burst.
        assert requests.get(hp.url + "/v1/settings", headers={"Authorization": f"Bearer {other}"},
                            timeout=5).status_code == 200
        # An unknown token is refused as such, and uses up no one's bucket.
        assert requests.get(hp.url + "/v1/settings", headers={"Authorization": "Bearer khub_nobody"},
                            timeout=5).status_code == 401
        time.sleep(int(refused[-1].headers["Retry-After"]))  # the hub asked for this wait; honour it
        assert requests.get(hp.url + "/v1/settings", headers={"Authorization": f"Bearer {token}"},
                            timeout=5).status_code == 200
    finally:
        hp.stop()


def _states(store: Store) -> dict[str, tuple[str, str | None]]:
    return {r["record_id"]: (r["state"], r["last_error"])
            for r in store.conn.execute("SELECT record_id, state, last_error FROM outbox")}


def test_outbox_dead_letters_only_the_record_too_large_on_its_own(admin: Hub, tmp_path: Path) -> None:
    token = admin.kiosks.add("kiosk-a")
    hp = _hub(admin, "--max-body-bytes", str(64 * 1024))
    store = open_store(tmp_path / "kiosk")
    try:
        fill_outbox(store, 3)
        with store.transaction():  # ~100 KiB of text: too large alone for a 64 KiB limit
            enqueue(store, "transaction", "rec-huge", {"kiosk_id": "kiosk-a", "note": "长" * 35_000})
        with store.transaction():  # more after it, in the same batch
            for i in range(2):
                enqueue(store, "ticket", f"rec-tail-{i}", ticket_body("kiosk-a", 100 + i))
        cfg = kiosk_config(store.path.parent, hp.url, batch_size=10)
        worker = SyncWorker(cfg.data_dir, cfg, token=token)
        try:
            result = worker.drain_once()
        finally:
            worker.close()
        states = _states(store)
        assert states["rec-huge"] == ("rejected", TOO_LARGE + " (hub limit 65536 bytes)")
        assert {k: v[0] for k, v in states.items() if k != "rec-huge"} == dict.fromkeys(
            ["rec-000000", "rec-000001", "rec-000002", "rec-tail-0", "rec-tail-1"], "delivered")
        assert result.delivered == 5 and result.rejected == 1
        assert admin.records.count() == 5
        assert "记录过大" in (states["rec-huge"][1] or "") and "too large" in (states["rec-huge"][1] or "")
    finally:
        store.close()
        hp.stop()


def test_outbox_retries_after_429_no_sooner_than_retry_after(admin: Hub, tmp_path: Path) -> None:
    token = admin.kiosks.add("kiosk-a")
    hp = _hub(admin, "--rate-per-second", "0.5", "--rate-burst", "2")
    store = open_store(tmp_path / "kiosk")
    try:
        fill_outbox(store, 20)
        cfg = kiosk_config(store.path.parent, hp.url, batch_size=5, backoff_cap_seconds=10.0)
        worker = SyncWorker(cfg.data_dir, cfg, token=token)
        worker._online = True  # skip the (unlimited) health probe; the point is the batches
        try:
            sent_at = dt.datetime.now(dt.UTC)
            first = worker.drain_once()
            assert first.delivered == 10 and first.retried == 5 and first.stopped_by_failure
            waiting = [e for e in outbox.list_entries(store) if e.state == "pending"]
            assert len(waiting) == 10
            retried = [e for e in waiting if e.attempts == 1]
            assert len(retried) == 5 and all(e.last_error == "hub HTTP 429" for e in retried)
            # Retry-After was 2 s (one token at 0.5/s): none of them is due sooner.
            assert all((outbox.parse_iso(e.next_attempt_at) - sent_at).total_seconds() >= 1.9 for e in retried)
            assert worker.status().online  # a 429 is an answer: the hub is there
            assert worker.drain_until_empty(timeout=30)
        finally:
            worker.close()
        assert admin.records.count() == 20
        assert {s for s, _ in _states(store).values()} == {"delivered"}
    finally:
        store.close()
        hp.stop()
