"""The hub owns the clock: a back-dated ticket queues at its receipt time (and the fleet page flags the kiosk),
an offline kiosk's tickets keep their real order, and a kiosk clock that runs ahead is corrected by its offset."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid

import requests

from sync.wire import content_digest
from tests.hall.conftest import HallHub


def _post(h: HallHub, kiosk: str, path: str, body: dict, key: str | None = None) -> requests.Response:
    payload = body if path == "/v1/heartbeat" else {"record_id": key, "body": body}
    raw = json.dumps(payload).encode()
    headers = {**h.kiosk_headers(kiosk), "Content-Type": "application/json", "Content-Digest": content_digest(raw)}
    if key:
        headers["Idempotency-Key"] = key
    return requests.post(h.url + path, data=raw, headers=headers, timeout=10)


def _iso(t: float) -> str:
    return dt.datetime.fromtimestamp(t, dt.UTC).isoformat(timespec="milliseconds")


def _ticket(h: HallHub, kiosk: str, number: str, created: float) -> str:
    tid = str(uuid.uuid4())
    r = _post(h, kiosk, "/v1/tickets", {"ticket_id": tid, "number": number, "lane": "normal", "kiosk_id": kiosk,
                                        "created_at": _iso(created)}, key=tid)
    assert r.status_code == 201, r.text
    return tid


def _heartbeat(h: HallHub, kiosk: str, kiosk_now: float) -> None:
    assert _post(h, kiosk, "/v1/heartbeat", {"version": "t", "sent_at": _iso(kiosk_now)}).status_code == 200


def _calls(h: HallHub, n: int) -> list[str]:
    s = h.person("s1")
    out = []
    for _ in range(n):
        t = s.act("/v1/counters/1/call-next").json()
        out.append(t["ticket_id"])
        assert s.act("/v1/counters/1/served").status_code == 200
    return out


def test_a_back_dated_ticket_queues_at_receipt_and_is_flagged(hall: HallHub) -> None:
    _heartbeat(hall, "kiosk-a", time.time())
    honest = _ticket(hall, "kiosk-a", "A0001", time.time())
    jumper = _ticket(hall, "kiosk-b", "A1001", dt.datetime(2000, 1, 1, tzinfo=dt.UTC).timestamp())
    row = hall.admin.db.one("SELECT waiting_since, arrived_at FROM hall_tickets WHERE ticket_id=?", (jumper,))
    assert row is not None and row[0] == row[1]  # its queue time is the hub's receipt time
    assert _calls(hall, 2) == [honest, jumper]
    fleet = {k["kiosk_id"]: k for k in hall.person("s2").get_json("/v1/fleet").json()["kiosks"]}
    assert fleet["kiosk-b"]["clock"]["flagged"] == 1 and fleet["kiosk-a"]["clock"]["flagged"] == 0


def test_an_offline_kiosks_tickets_keep_their_real_order(hall: HallHub) -> None:
    now = time.time()
    _heartbeat(hall, "kiosk-b", now)
    with hall.admin.db.transaction() as db:  # kiosk-b fell silent 20 minutes ago (3 heartbeats = 9 min)
        db.execute("UPDATE hall_kiosk_clock SET last_contact=?, streak_start=? WHERE kiosk_id='kiosk-b'",
                   (now - 1200, now - 1200))
    _heartbeat(hall, "kiosk-a", now)
    online = _ticket(hall, "kiosk-a", "A0001", now - 60)  # a minute ago, delivered at once
    first = _ticket(hall, "kiosk-b", "A1001", now - 900)  # taken offline 15 and 10 minutes ago,
    second = _ticket(hall, "kiosk-b", "A1002", now - 600)  # delivered when kiosk-b came back
    assert _calls(hall, 3) == [first, second, online]
    fleet = {k["kiosk_id"]: k for k in hall.person("s2").get_json("/v1/fleet").json()["kiosks"]}
    assert fleet["kiosk-b"]["clock"]["flagged"] == 0


def test_a_kiosk_clock_ahead_is_corrected_by_its_measured_offset(hall: HallHub) -> None:
    now = time.time()
    _heartbeat(hall, "kiosk-a", now + 7200)  # its clock is two hours fast
    tid = _ticket(hall, "kiosk-a", "A0001", now + 7200 - 30)  # made 30 s ago by its clock
    row = hall.admin.db.one("SELECT waiting_since FROM hall_tickets WHERE ticket_id=?", (tid,))
    assert row is not None and abs(row[0] - (now - 30)) < 5
    fleet = {k["kiosk_id"]: k for k in hall.person("s1").get_json("/v1/fleet").json()["kiosks"]}
    assert abs(fleet["kiosk-a"]["clock"]["offset_s"] - 7200) < 5 and fleet["kiosk-a"]["clock"]["flagged"] == 0
