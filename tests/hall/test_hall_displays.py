"""Displays are devices: `kiosk-hub display add` prints a one-time pairing address (10 min); the paired TV gets
a `display` session that opens the board and its clips and is refused at every acting API; revoking it ends it;
the announcements switch survives a reload."""

from __future__ import annotations

import io
import time
import uuid
from contextlib import redirect_stdout

import pytest
import requests

from sync.hub.cli import main as hub_main
from tests.hall.conftest import HallHub
from tests.hall.test_hall_browser import browser, hall, shot  # noqa: F401  (fixtures shared with the pages)

ACTING = [("POST", "/v1/counters/1/call-next"), ("POST", "/v1/counters/1/recall"), ("POST", "/v1/counters/1/served"),
          ("POST", "/v1/counters/1/no-show"), ("POST", "/v1/counters/1/transfer"),
          ("POST", f"/v1/help-requests/{uuid.uuid4()}/claim"), ("POST", f"/v1/help-requests/{uuid.uuid4()}/resolve"),
          ("POST", f"/v1/cases/{uuid.uuid4()}/assign"), ("POST", f"/v1/cases/{uuid.uuid4()}/note"),
          ("POST", f"/v1/cases/{uuid.uuid4()}/close"), ("GET", "/v1/counters/1"), ("GET", "/v1/queue"),
          ("GET", "/v1/cases"), ("GET", "/v1/fleet"), ("GET", "/v1/alerts"), ("GET", "/v1/help-requests"),
          ("GET", f"/v1/help-requests/{uuid.uuid4()}"), ("GET", "/v1/auth/me"), ("POST", "/v1/auth/logout")]


def _add(h: HallHub, name: str, *extra: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert hub_main(["display", "add", name, "--db", h.db_url, *extra]) == 0
    path = out.getvalue().strip()
    assert path.startswith("/hall/pair/")
    return path


def _paired(h: HallHub, path: str) -> requests.Session:
    tv = requests.Session()
    r = tv.get(h.url + path, timeout=10)
    assert r.status_code == 200 and r.url.endswith("/hall/board"), (r.status_code, r.url)
    cookie = next(c for c in tv.cookies if c.name == "hall_session")
    assert cookie.expires is not None and cookie.expires - time.time() > 300 * 24 * 3600  # long-lived
    return tv


def test_a_paired_display_sees_the_board_and_nothing_else(hall: HallHub) -> None:  # noqa: F811
    path = _add(hall, "hall-tv-1")
    tv = _paired(hall, path)
    assert requests.get(hall.url + path, timeout=10, allow_redirects=False).status_code == 404  # one time only
    assert tv.get(hall.url + "/v1/board", timeout=10).status_code == 200
    for page in ("/hall/help", "/hall/counter/1", "/hall/cases", "/hall/fleet"):
        assert tv.get(hall.url + page, timeout=10).status_code == 403, page
    for method, api in ACTING:
        r = tv.request(method, hall.url + api, json={"lane": "normal", "text": "x"}, timeout=10,
                       headers={"X-CSRF-Token": "anything"})
        assert r.status_code in (401, 403), (method, api, r.status_code)
    r = tv.get(hall.url + "/hall/events?page=counter", timeout=10)
    assert r.status_code == 403
    assert hub_main(["display", "revoke", "hall-tv-1", "--db", hall.db_url]) == 0
    assert tv.get(hall.url + "/v1/board", timeout=10).status_code == 401
    assert [a["action"] for a in hall.admin.audit.recent()][:2] == ["display_revoke", "display_add"]


def test_a_pairing_address_lapses_after_10_minutes(hall: HallHub) -> None:  # noqa: F811
    path = _add(hall, "tablet-3", "--counter", "3")
    with hall.admin.db.transaction() as db:
        db.execute("UPDATE hall_displays SET pair_expires=? WHERE name='tablet-3'", (time.time() - 1,))
    r = requests.get(hall.url + path, timeout=10)
    assert r.status_code == 404 and "已失效" in r.text and "hall_session" not in r.cookies


@pytest.mark.usefixtures("hall")
def test_the_tv_pairs_in_chromium_and_keeps_its_announcements_switch(browser, hall: HallHub) -> None:  # noqa: F811
    path = _add(hall, "hall-tv-2")
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = ctx.new_page()
    page.goto(hall.url + path)
    page.wait_for_url("**/hall/board")
    page.wait_for_selector(".board-idle")
    assert page.get_attribute("#sound", "aria-pressed") == "false"
    page.click("#sound")
    assert page.get_attribute("#sound", "aria-pressed") == "true"
    page.reload()
    page.wait_for_selector(".board-idle")
    assert page.get_attribute("#sound", "aria-pressed") == "true"  # still on after the reload
    assert "已开启" in page.inner_text("#sound")
    staff = hall.person("s1")
    assert staff.act("/v1/counters/1/call-next").status_code == 204  # nobody waits; the board stays idle
    shot(page, "board-paired")
    hall.procs[0].stop()  # the hub goes away: within ~10 s the board says the connection is lost
    page.wait_for_selector(".board-main.stale", timeout=20000)
    assert "连接中断" in page.inner_text(".board-main")
    shot(page, "board-connection-lost")
    ctx.close()
    hall.procs[0].start()
