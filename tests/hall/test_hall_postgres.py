"""A district on PostgreSQL: two hub processes on one database. Counters on both race call-next and no ticket
is called twice; the hall-wide priority streak is shared; a change made through one process reaches a page
streaming from the other (LISTEN/NOTIFY)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.services import take_ticket
from kiosk.session import Mode, Session
from kiosk.store import open_store
from sync.worker import SyncWorker
from tests.hall.conftest import HallHub, start_hall, stop_hall
from tests.sync.conftest import fresh_pg_database, kiosk_config

pytestmark = pytest.mark.postgres


@pytest.fixture
def district(pg_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[HallHub]:
    monkeypatch.setenv("KIOSK_HUB_DATA_KEY_FILE", str(tmp_path / "hub-data.keys"))
    h = start_hall(fresh_pg_database(pg_server), n_procs=2)
    yield h
    stop_hall(h)


def deliver_tickets(h: HallHub, tmp_path: Path, lanes: list[str]) -> list[dict]:
    store = open_store(tmp_path / "kiosk")
    cfg = kiosk_config(tmp_path / "kiosk", h.url, kiosk_id="kiosk-a")
    worker = SyncWorker(cfg.data_dir, cfg, token=h.tokens["kiosk-a"])
    try:
        tickets = [take_ticket(store, Session(mode=Mode.PRIORITY) if lane == "priority" else None, "kiosk-a")
                   for lane in lanes]
        assert worker.drain_until_empty(30)
    finally:
        worker.close()
        store.close()
    return tickets


def test_counters_on_two_processes_never_call_a_ticket_twice(district: HallHub, tmp_path: Path) -> None:
    lanes = ["priority" if i % 3 == 0 else "normal" for i in range(80)]
    deliver_tickets(district, tmp_path, lanes)
    people = [district.person("s1", proc=i % 2) for i in range(10)]
    got: list[tuple[str, str]] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(10)

    def counter(i: int) -> None:
        p = people[i]
        start.wait(10)
        while True:
            r = p.act(f"/v1/counters/c{i}/call-next")
            if r.status_code == 204:
                return
            if r.status_code != 200:
                errors.append(r.text)
                return
            with lock:
                got.append((r.json()["ticket_id"], f"c{i}"))
            if p.act(f"/v1/counters/c{i}/served").status_code != 200:
                errors.append("served failed")
                return

    threads = [threading.Thread(target=counter, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    ids = [g[0] for g in got]
    assert len(ids) == 80 and len(set(ids)) == 80
    rows = district.admin.db.query("SELECT state, COUNT(*) FROM hall_tickets GROUP BY state")
    assert dict(rows) == {"served": 80}
    assert len({g[1] for g in got}) >= 5  # the calls really were spread over the counters


def test_the_priority_streak_is_shared_by_both_processes(district: HallHub, tmp_path: Path) -> None:
    tickets = deliver_tickets(district, tmp_path, ["normal", "normal", "priority", "priority", "priority", "priority"])
    a, b = district.person("s1", proc=0), district.person("s2", proc=1)
    order = []
    for i in range(6):
        p, cid = (a, "1") if i % 2 == 0 else (b, "2")
        t = p.act(f"/v1/counters/{cid}/call-next").json()
        order.append(t["ticket_id"])
        assert p.act(f"/v1/counters/{cid}/served").status_code == 200
    by_id = {t["ticket_id"]: t["lane"] for t in tickets}
    assert [by_id[i] for i in order] == ["priority", "priority", "normal", "priority", "priority", "normal"]


def test_an_update_through_one_process_reaches_a_page_on_the_other(district: HallHub, tmp_path: Path) -> None:
    watcher = district.person("s2", proc=1)
    r = watcher.get(district.procs[1].url + "/hall/events?page=counter&counter=5", stream=True, timeout=15)
    lines = r.iter_lines(decode_unicode=True)

    def next_event(want: str) -> dict:
        name = None
        for line in lines:
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: ") and name == want:
                return json.loads(line[6:])
        raise AssertionError("stream ended")

    assert next_event("snapshot")["waiting"] == []
    (t,) = deliver_tickets(district, tmp_path, ["normal"])  # the kiosk talks to process 0
    assert next_event("ticket")["item"]["ticket_id"] == t["ticket_id"]
    caller = district.person("s1", proc=0)
    assert caller.act("/v1/counters/5/call-next").json()["ticket_id"] == t["ticket_id"]
    called = next_event("ticket")["item"]
    assert (called["ticket_id"], called["state"], called["counter_id"]) == (t["ticket_id"], "called", "5")
    r.close()
