"""A hall page in a real browser (Debian's chromium) while the hub's PostgreSQL stops and comes back: the page says
"连接中断，正在重连", the fleet page shows the hub's database as unavailable, and once the database is back the
page is live again and catches up (a heartbeat sent after the outage shows up)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from sync.wire import content_digest
from tests.hall.conftest import HallHub, start_hall, stop_hall
from tests.hall.test_hall_browser import CHROMIUM, browser, shot, sign_in  # noqa: F401
from tests.sync.pgcluster import PgCluster

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed")]


@pytest.fixture
def district(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[HallHub, PgCluster]]:
    monkeypatch.setenv("KIOSK_HUB_DATA_KEY_FILE", str(tmp_path / "hub-data.keys"))
    cluster = PgCluster()
    try:
        h = start_hall(cluster.database())
        try:
            yield h, cluster
        finally:
            stop_hall(h)
    finally:
        cluster.close()


def test_page_says_connection_lost_while_the_database_is_stopped_and_catches_up(
        district: tuple[HallHub, PgCluster], browser) -> None:  # noqa: F811
    h, cluster = district
    page = sign_in(browser, h, "s1", "/hall/fleet")
    health = page.locator("#hub-health")
    status = page.locator("#status")
    health.filter(has_text="中心数据库：正常").wait_for(timeout=15000)

    cluster.stop()
    status.filter(has_text="连接中断，正在重连").wait_for(timeout=15000)
    health.filter(has_text="中心数据库不可用").wait_for(timeout=20000)
    shot(page, "fleet-database-unavailable")

    cluster.start()
    page.wait_for_function("document.getElementById('status').textContent === ''", timeout=30000)
    health.filter(has_text="中心数据库：正常").wait_for(timeout=20000)
    raw = json.dumps({"version": "1", "uptime_s": 1, "devices": {}}).encode()
    r = requests.post(h.url + "/v1/heartbeat", data=raw, timeout=10,
                      headers={**h.kiosk_headers("kiosk-b"), "Content-Type": "application/json",
                               "Content-Digest": content_digest(raw)})
    assert r.status_code == 200
    page.locator("tr[data-kiosk='kiosk-b']").wait_for(timeout=15000)  # the live stream carries it again
