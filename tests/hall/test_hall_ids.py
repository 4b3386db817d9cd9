"""Ids are data, never paths: the tester's payloads (`../counters/7/call-next#`, `../counters/7/served#`,
`../auth/logout#`) are refused at ingest (422, field named, nothing stored), and a row holding one anyway (a hub
upgraded from a version that stored them) is clicked in Debian's chromium: each click does only what it says."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
import requests

from kiosk.services import take_ticket
from sync.wire import content_digest
from tests.hall.conftest import HallHub
from tests.hall.test_hall_browser import LIVE_MS, browser, hall, sign_in  # noqa: F401  (fixtures shared with the pages)

PAYLOADS = ("../counters/7/call-next#", "../counters/7/served#", "../auth/logout#")


def _post(h: HallHub, path: str, body: dict[str, Any]) -> requests.Response:
    raw = json.dumps({"record_id": str(uuid.uuid4()), "body": body}).encode()
    return requests.post(h.url + path, data=raw, timeout=10, headers={
        **h.kiosk_headers("kiosk-a"), "Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json",
        "Content-Digest": content_digest(raw)})


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_path_as_an_id_is_refused_at_ingest_and_nothing_is_stored(hall: HallHub, payload: str) -> None:  # noqa: F811
    now = "2026-12-01T08:00:00+00:00"
    before = hall.admin.records.count()
    r = _post(hall, "/v1/help-requests",
              {"help_request_id": payload, "kiosk_id": "kiosk-a", "created_at": now})
    assert r.status_code == 422 and "body.help_request_id" in r.text, r.text
    r = _post(hall, "/v1/records", {"case_id": payload, "kiosk_id": "kiosk-a", "created_at": now})
    assert r.status_code == 400  # no kind: refused before the body is even read as a record
    raw = json.dumps({"record_id": str(uuid.uuid4()), "kind": "difficult_case",
                      "body": {"case_id": payload, "kiosk_id": "kiosk-a", "created_at": now}}).encode()
    r = requests.post(hall.url + "/v1/records", data=raw, timeout=10, headers={
        **hall.kiosk_headers("kiosk-a"), "Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json",
        "Content-Digest": content_digest(raw)})
    assert r.status_code == 422 and "body.case_id" in r.text, r.text
    r = _post(hall, "/v1/tickets", {"ticket_id": str(uuid.uuid4()), "number": payload,
                                                 "kiosk_id": "kiosk-a", "created_at": now})
    assert r.status_code == 422 and "body.number" in r.text, r.text
    r = _post(hall, "/v1/tickets", {"ticket_id": str(uuid.uuid4()), "number": "A0001\n",
                                                 "kiosk_id": "kiosk-a", "created_at": now})
    assert r.status_code == 422 and "body.number" in r.text, r.text  # `$` would have let the newline in
    assert hall.admin.records.count() == before
    assert hall.admin.db.one("SELECT COUNT(*) FROM hall_help")[0] == 0  # type: ignore[index]
    assert hall.admin.db.one("SELECT COUNT(*) FROM hall_cases")[0] == 0  # type: ignore[index]


def _plant(h: HallHub) -> None:
    """Rows holding the payloads as ids, as an older hub stored them (written straight into its tables)."""
    now = time.time()
    with h.admin.db.transaction() as db:
        for i, payload in enumerate(PAYLOADS):
            db.execute("INSERT INTO hall_help(help_request_id, kiosk_id, created_at, arrived_at, elderly, screen, "
                       "item_code, state) VALUES (?,?,?,?,0,NULL,NULL,'open')", (payload, "kiosk-a", now + i, now))
            db.execute("INSERT INTO hall_cases(case_id, kiosk_id, created_at, arrived_at, elderly, state) "
                       "VALUES (?,?,?,?,0,'open')", (payload, "kiosk-a", now + i, now))


def _ticket_state(h: HallHub, ticket_id: str) -> tuple[str, str | None]:
    row = h.admin.db.one("SELECT state, counter_id FROM hall_tickets WHERE ticket_id=?", (ticket_id,))
    assert row is not None
    return str(row[0]), row[1]


def test_each_click_does_only_what_its_label_says(browser, hall: HallHub, kiosk_factory) -> None:  # noqa: F811
    k = kiosk_factory("kiosk-a")
    served_bait = take_ticket(k.store, None, "kiosk-a")
    waiting_bait = take_ticket(k.store, None, "kiosk-a")
    k.deliver()
    desk = hall.person("s2")
    assert desk.act("/v1/counters/7/call-next").json()["ticket_id"] == served_bait["ticket_id"]
    _plant(hall)
    page = sign_in(browser, hall, "s1", "/hall/help", csp=True)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    requests_seen: list[str] = []
    page.on("request", lambda r: requests_seen.append(r.url) if r.method == "POST" else None)
    for payload in PAYLOADS:  # "Claim" (我来处理)
        page.click(f'li[data-id="{payload}"] button.primary')
        page.wait_for_selector("#status.bad", timeout=LIVE_MS)  # the hub says no such request, nothing else
        page.evaluate("document.getElementById('status').classList.remove('bad')")
    assert all("%2F" in u and "/claim" in u for u in requests_seen), requests_seen
    assert _ticket_state(hall, served_bait["ticket_id"]) == ("called", "7")  # served was not pressed
    assert _ticket_state(hall, waiting_bait["ticket_id"]) == ("waiting", None)  # nobody was called
    assert page.request.get(hall.url + "/v1/auth/me").status == 200  # still signed in
    page.goto(hall.url + "/hall/cases")
    requests_seen.clear()
    for payload in PAYLOADS:  # "Assign to me" (我来办), then "Close" (结案)
        for button in ("button.primary", "button.ok"):
            page.click(f'li[data-id="{payload}"] {button}')
            if button == "button.ok":  # closing asks first
                page.click("#confirm-yes")
            page.wait_for_selector("#status.bad", timeout=LIVE_MS)
            page.evaluate("document.getElementById('status').classList.remove('bad')")
    assert len(requests_seen) == 6 and all("%2F" in u for u in requests_seen), requests_seen
    assert _ticket_state(hall, served_bait["ticket_id"]) == ("called", "7")
    assert _ticket_state(hall, waiting_bait["ticket_id"]) == ("waiting", None)
    assert page.request.get(hall.url + "/v1/auth/me").status == 200
    assert desk.get_json("/v1/auth/me").status_code == 200
    assert violations == []  # the pages work under their CSP
    page.context.close()
