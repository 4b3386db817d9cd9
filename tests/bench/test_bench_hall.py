"""Hall under load: 50 simulated kiosks send heartbeats and tickets while 20 counters call, with 30 counter pages
open on live streams. Measured: from a ticket's arrival at the hub (its `arrived_at`, stamped inside the ingest
transaction) to its appearance on each open page's SSE stream; every page must see every ticket (fan-out).

SQLite: one hub process. PostgreSQL: two hub processes on one database, kiosks, counters and pages split over
both, so half of the deliveries cross processes through LISTEN/NOTIFY. Goal (`--benchmark-enable`): p95 ≤ 1 s;
as a plain test the bound is 3× that (a shared 2-core machine). The baseline is the same path with no load (one
page, tickets one at a time), measured first in the same test.

`test_sqlite_hub_saturation` raises the ticket rate step by step against one SQLite hub process with 30 pages
open and 20 counters calling, and reports where it stops keeping up (sent rate below the offered one, or p95
above the goal). A real hall's peak is a few tickets a minute per kiosk: 50 kiosks at 3 a minute are 2.5/s.

Kiosks post with `HubClient.post_record` (the kiosk's wire: bearer token, Content-Digest, Idempotency-Key), not
through 50 outbox databases; pages are SSE clients reading the stream the counter page opens (the browser tests
cover the page itself). Figures: `pytest tests/bench/test_bench_hall.py --benchmark-enable -s` (30 s of load);
as a plain test (`--benchmark-disable`, the default) the load runs for 6 s.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import statistics
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from sync.client import HubClient
from sync.wire import body_digest
from tests.hall.conftest import HallHub, PersonClient, start_hall, stop_hall
from tests.sync.conftest import fresh_pg_database, pg_server  # noqa: F401

KIOSKS, COUNTERS, PAGES = 50, 20, 30
GOAL_P95_S = 1.0
PLAIN_P95_S = 3 * GOAL_P95_S  # plain test on a shared machine: 3× the goal
HALL_PEAK_PER_S = KIOSKS * 3 / 60  # a busy hall: about 3 tickets a minute per kiosk


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def bench_hall(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[HallHub]:
    monkeypatch.setenv("KIOSK_HUB_DATA_KEY_FILE", str(tmp_path / "hub-data.keys"))
    kiosks = tuple(f"k{i:02d}" for i in range(KIOSKS))
    if request.param == "sqlite":
        h = start_hall(f"sqlite:///{tmp_path / 'hub.db'}", n_procs=1, kiosks=kiosks)
    else:
        h = start_hall(fresh_pg_database(request.getfixturevalue("pg_server")), n_procs=2, kiosks=kiosks)
    yield h
    stop_hall(h)


class Page(threading.Thread):
    """One open counter page: reads its SSE stream and notes when each new ticket appears. Plain http.client on
    a socket we can shut down from another thread (closing a requests stream mid-read blocks)."""

    def __init__(self, h: HallHub, proc: int, counter: str) -> None:
        super().__init__(daemon=True)
        session = PersonClient(h.procs[proc].url)
        assert session.login("s1").status_code == 200
        self.cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        self.port = h.procs[proc].port
        self.path = f"/hall/events?page=counter&counter={counter}"
        self.seen: dict[str, float] = {}  # ticket_id -> latency (s)
        self.hub_side: dict[str, float] = {}  # ticket_id -> arrival → the hub writing it to this stream (s)
        self.ready = threading.Event()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def run(self) -> None:
        try:
            self.conn.request("GET", self.path, headers={"Cookie": self.cookie, "Accept": "text/event-stream"})
            resp = self.conn.getresponse()
            assert resp.status == 200
            name = None
            while line := resp.readline():
                text = line.decode("utf-8").rstrip("\n")
                if text.startswith("event: "):
                    name = text[7:]
                elif text.startswith("data: "):
                    if name == "snapshot":
                        self.ready.set()
                    elif name == "ticket":
                        event = json.loads(text[6:])
                        item = event["item"]
                        if item["state"] == "waiting" and item["ticket_id"] not in self.seen:
                            self.seen[item["ticket_id"]] = time.time() - item["arrived_at"]
                            self.hub_side[item["ticket_id"]] = event["sent_at"] - item["arrived_at"]
        except (OSError, http.client.HTTPException, ValueError):
            return  # closed by close(), or the hub went away (then the test fails on missing deliveries)

    def close(self) -> None:
        if self.conn.sock is not None:
            with contextlib.suppress(OSError):
                self.conn.sock.shutdown(socket.SHUT_RDWR)
        self.join(5)
        self.conn.close()


def post_ticket(client: HubClient, kiosk_id: str, lane: str) -> str:
    tid = str(uuid.uuid4())
    body = {"ticket_id": tid, "number": f"A{int(time.time() * 1000) % 10000:04d}", "lane": lane,
            "kiosk_id": kiosk_id, "created_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
            "day": time.strftime("%Y-%m-%d"), "elderly": lane == "priority", "service_code": None, "helper_id": None}
    r = client.post_record(tid, {"kind": "ticket", "record_id": tid, "body": body, "sha256": body_digest(body)})
    assert r.status_code == 201, r.text
    return tid


def counter(h: HallHub, i: int, stop: threading.Event, errors: list[str]) -> None:
    """A counter calling the next ticket, serving it for 0.3 s, and calling again."""
    p = PersonClient(h.procs[i % len(h.procs)].url)
    r = p.login("s2")
    for _ in range(60):  # twenty counters sign in as one member at once: those past the five being checked retry
        if r.status_code != 429:
            break
        time.sleep(float(r.headers.get("Retry-After", "1")))
        r = p.login("s2")
    assert r.status_code == 200, r.text
    cid = f"c{i}"
    while not stop.is_set():
        try:
            r = p.act(f"/v1/counters/{cid}/call-next")
        except requests.RequestException as exc:  # a saturated hub: counted, and the counter tries again
            errors.append(f"call-next: {exc}")
            continue
        if r.status_code == 200:
            stop.wait(0.3)  # serving
            try:
                if p.act(f"/v1/counters/{cid}/served").status_code != 200:
                    errors.append("served")
            except requests.RequestException as exc:
                errors.append(f"served: {exc}")
        elif r.status_code == 204:
            stop.wait(0.2)
        else:
            errors.append(f"call-next {r.status_code}")
            stop.wait(0.2)


def open_pages(h: HallHub) -> list[Page]:
    pages = [Page(h, i % len(h.procs), str(i % COUNTERS + 1)) for i in range(PAGES)]
    for p in pages:
        p.start()
    for p in pages:
        assert p.ready.wait(20), "a page's stream did not open"
    return pages


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def test_ticket_reaches_open_counter_pages_within_a_second_under_hall_load(bench_hall: HallHub,
                                                                            request: pytest.FixtureRequest) -> None:
    h = bench_hall
    n_procs = len(h.procs)
    duration = 30.0 if request.config.getoption("benchmark_enable", False) else 6.0
    clients = {k: HubClient(h.procs[i % n_procs].url, tok, timeout=10) for i, (k, tok) in enumerate(h.tokens.items())}

    # Baseline: no load, one page, tickets one at a time.
    base_page = Page(h, n_procs - 1, "b")
    base_page.start()
    assert base_page.ready.wait(10)
    base_ids = []
    for _ in range(15):
        base_ids.append(post_ticket(clients["k00"], "k00", "normal"))
        time.sleep(0.1)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(t in base_page.seen for t in base_ids):
        time.sleep(0.05)
    base_page.close()
    baseline = statistics.median(base_page.seen[t] for t in base_ids)

    pages = open_pages(h)

    stop = threading.Event()
    sent: list[str] = []
    errors: list[str] = []
    lock = threading.Lock()

    def kiosk_group(names: list[str]) -> None:
        beat = time.monotonic()
        i = 0
        while not stop.is_set():
            for k in names:
                try:
                    tid = post_ticket(clients[k], k, "priority" if i % 4 == 0 else "normal")
                    with lock:
                        sent.append(tid)
                except Exception as exc:  # reported below: the bench must stop cleanly
                    errors.append(f"ticket {k}: {exc}")
                i += 1
            if time.monotonic() - beat > 2.0:  # heartbeats, sped up from the kiosks' 180 s
                beat = time.monotonic()
                for k in names:
                    try:
                        clients[k].heartbeat({"version": "bench", "uptime_s": 1, "outbox": {"pending": 0,
                                              "oldest_age_s": None}, "devices": {}, "doctor": {"ok": True}})
                    except Exception as exc:
                        errors.append(f"heartbeat {k}: {exc}")
            stop.wait(1.0)  # each kiosk: about one ticket a second (50 kiosks: ~50 tickets/s at the hub)

    names = list(h.tokens)
    workers = [threading.Thread(target=kiosk_group, args=(names[g::10],)) for g in range(10)]
    workers += [threading.Thread(target=counter, args=(h, i, stop, errors)) for i in range(COUNTERS)]
    t0 = time.monotonic()
    for w in workers:
        w.start()
    stop.wait(duration)
    stop.set()
    for w in workers:
        w.join(30)
    elapsed = time.monotonic() - t0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(all(t in p.seen for t in sent) for p in pages):
        time.sleep(0.1)
    for p in pages:
        p.close()

    latencies = [p.seen[t] for p in pages for t in sent if t in p.seen]
    hub_side = [p.hub_side[t] for p in pages for t in sent if t in p.hub_side]
    missing = sum(1 for p in pages for t in sent if t not in p.seen)
    row = h.admin.db.one("SELECT COUNT(*) FROM hall_tickets WHERE state='served'")
    served = int(row[0]) if row else 0
    p50, p95, worst = pct(latencies, 0.5), pct(latencies, 0.95), max(latencies)
    storage = "postgresql" if h.admin.db.is_pg else "sqlite"
    print(f"\n[hall bench {storage}, {n_procs} hub process(es)] {len(sent)} tickets from {KIOSKS} kiosks in "
          f"{elapsed:.1f} s ({len(sent) / elapsed:.1f}/s), {served} served by {COUNTERS} counters, "
          f"{PAGES} pages: {len(latencies)} deliveries, missing {missing}; arrival→page p50 {p50 * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms, max {worst * 1000:.0f} ms (of which in the hub, arrival → written to the "
          f"stream: p50 {pct(hub_side, 0.5) * 1000:.0f} ms, p95 {pct(hub_side, 0.95) * 1000:.0f} ms); idle baseline "
          f"median {baseline * 1000:.0f} ms (p95/baseline {p95 / baseline:.1f}x); goal p95 ≤ {GOAL_P95_S:.1f} s")
    assert not errors, errors[:5]
    assert len(sent) >= KIOSKS * duration * 0.3  # the load really ran
    assert served > 0
    assert missing == 0, "some page missed a ticket"
    assert p95 <= (GOAL_P95_S if request.config.getoption("benchmark_enable", False) else PLAIN_P95_S)
    for c in clients.values():
        c.close()


@pytest.fixture
def sqlite_hall(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[HallHub]:
    monkeypatch.setenv("KIOSK_HUB_DATA_KEY_FILE", str(tmp_path / "hub-data.keys"))
    h = start_hall(f"sqlite:///{tmp_path / 'hub.db'}", n_procs=1, kiosks=tuple(f"k{i:02d}" for i in range(KIOSKS)))
    yield h
    stop_hall(h)


def _offer(clients: dict[str, HubClient], rate: float, seconds: float,
           errors: list[str]) -> tuple[list[str], float, list[float]]:
    """Post tickets at `rate` per second for `seconds` (open loop: a sender that falls behind sends at once, so a
    hub that cannot keep up shows as a sent rate below the offered one). Returns the ids, the elapsed time and
    each post's round trip (s)."""
    senders = 32
    names = list(clients)
    sent: list[str] = []
    posts: list[float] = []
    lock = threading.Lock()
    t0 = time.monotonic()
    end = t0 + seconds

    def sender(i: int) -> None:
        k = 0
        while True:
            due = t0 + (i + k * senders) / rate
            if due >= end:
                return
            if (wait := due - time.monotonic()) > 0:
                time.sleep(wait)
            name = names[(i + k * senders) % len(names)]
            try:
                t = time.monotonic()
                tid = post_ticket(clients[name], name, "normal")
                with lock:
                    sent.append(tid)
                    posts.append(time.monotonic() - t)
            except Exception as exc:  # reported by the caller
                errors.append(f"ticket {name}: {exc}")
            k += 1

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    return sent, time.monotonic() - t0, posts


def test_sqlite_hub_saturation(sqlite_hall: HallHub, request: pytest.FixtureRequest) -> None:
    h = sqlite_hall
    enabled = request.config.getoption("benchmark_enable", False)
    rates, seconds = ((10, 20, 40, 80, 160), 8.0) if enabled else ((10, 20), 3.0)
    bound = GOAL_P95_S if enabled else PLAIN_P95_S
    clients = {k: HubClient(h.url, tok, timeout=30) for k, tok in h.tokens.items()}
    pages = open_pages(h)
    stop = threading.Event()
    errors: list[str] = []
    counters = [threading.Thread(target=counter, args=(h, i, stop, errors)) for i in range(COUNTERS)]
    for c in counters:
        c.start()
    rows = []
    try:
        for rate in rates:
            errors.clear()
            sent, elapsed, posts = _offer(clients, rate, seconds, errors)
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and not all(all(t in p.seen for t in sent) for p in pages):
                time.sleep(0.1)
            lat = [p.seen[t] for p in pages for t in sent if t in p.seen]
            missing = len(sent) * len(pages) - len(lat)
            rows.append((rate, len(sent) / elapsed, pct(lat, 0.5), pct(lat, 0.95), missing, pct(posts, 0.95),
                         len(errors), errors[:1]))
            if pct(lat, 0.95) > 3 * bound:
                break  # far past the knee: higher steps would only queue longer
    finally:
        stop.set()
        for c in counters:
            c.join(30)
        for p in pages:
            p.close()
        for c in clients.values():
            c.close()
    # A post's round trip is reported, not judged: the kiosk's outbox sends in the background (the ticket is
    # printed at once); what staff see is the delivery to their pages.
    keeping_up = [r for r in rows if r[1] >= 0.9 * r[0] and r[3] <= bound and r[4] == 0 and r[6] == 0]
    knee = max((r[1] for r in keeping_up), default=0.0)
    print(f"\n[hall saturation, SQLite, one hub process, {PAGES} pages open, {COUNTERS} counters calling]")
    print("  offered/s   sent/s   arrival→page p50/p95 ms   post p95 ms   missing   errors")
    for rate, got, p50, p95, missing, post95, n_err, first_err in rows:
        print(f"  {rate:9.0f} {got:8.1f} {p50 * 1000:14.0f} {p95 * 1000:6.0f} {post95 * 1000:13.0f} {missing:9d} "
              f"{n_err:8d} {first_err}")
    print(f"  keeps up (sent ≥ 90 % of offered, delivery p95 ≤ {bound:.0f} s, no error) to "
          f"{knee:.0f} tickets/s; a busy hall's peak "
          f"({KIOSKS} kiosks × 3 a minute) is {HALL_PEAK_PER_S:.1f}/s: {knee / HALL_PEAK_PER_S:.0f}× headroom")
    assert all(r[4] == 0 for r in rows), "some page missed a ticket"
    # Goal: one process carries 4× a busy hall's peak. A plain run on a shared 2-core machine keeps a 3× margin
    # on that goal (issue 15); the benchmark run (--benchmark-enable) holds the goal itself.
    assert knee >= (4 * HALL_PEAK_PER_S if enabled else 4 * HALL_PEAK_PER_S / 3), knee
