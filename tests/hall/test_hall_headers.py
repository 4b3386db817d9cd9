"""Hygiene: every page and API answer carries the security headers (HSTS only under TLS, `no-store` on the JSON
APIs), and a freshly created hub's database files are readable by their owner only."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from sync.hub.hall.headers import CSP
from sync.hub.server import open_hub
from tests.hall.conftest import HallHub, start_hall, stop_hall
from tests.sync.test_https import tls_hub  # noqa: F401  (the TLS hub process fixture)

PAGES = ("/hall/login", "/hall/help", "/hall/counter/1", "/hall/board", "/hall/cases", "/hall/fleet")
APIS = ("/v1/auth/me", "/v1/queue", "/v1/board", "/v1/cases", "/v1/fleet", "/v1/alerts", "/v1/counters/1")


@pytest.fixture
def sqlite_hall(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[HallHub]:
    monkeypatch.setenv("KIOSK_HUB_AUDIO_CACHE", str(tmp_path / "audio"))
    h = start_hall(f"sqlite:///{tmp_path / 'hub.db'}")
    yield h
    stop_hall(h)


def _check(r: requests.Response, *, api: bool) -> None:
    h = r.headers
    assert h["Content-Security-Policy"] == CSP, r.url
    assert "script-src 'self'" in CSP and "frame-ancestors 'none'" in CSP
    assert h["X-Content-Type-Options"] == "nosniff" and h["Referrer-Policy"] == "no-referrer", r.url
    assert h["X-Frame-Options"] == "DENY", r.url
    assert "Strict-Transport-Security" not in h, r.url  # plain HTTP: HSTS would mean nothing (RFC 6797 §7.2)
    if api:
        assert h["Cache-Control"] == "no-store", r.url


def test_every_page_and_api_sends_the_headers(sqlite_hall: HallHub) -> None:
    anonymous = requests.Session()
    staff, volunteer = sqlite_hall.person("s1"), sqlite_hall.person("v1")
    for who in (anonymous, staff, volunteer):
        for path in PAGES:
            r = who.get(sqlite_hall.url + path, timeout=10)
            assert r.status_code in (200, 403), (path, r.status_code)
            _check(r, api=False)
        for path in APIS:
            _check(who.get(sqlite_hall.url + path, timeout=10), api=True)
    _check(requests.get(sqlite_hall.url + "/hall/static/hall.js", timeout=10), api=False)
    r = requests.post(sqlite_hall.url + "/v1/auth/login", json={"member_id": "s1", "pin": "000000"}, timeout=10)
    _check(r, api=True)
    r = requests.get(sqlite_hall.url + "/v1/roster", headers=sqlite_hall.kiosk_headers("kiosk-a"), timeout=10)
    _check(r, api=True)


def test_hsts_under_tls(tls_hub: tuple[str, Path, str]) -> None:  # noqa: F811
    url, ca, _token = tls_hub
    for path in ("/hall/login", "/v1/health"):
        r = requests.get(url + path, verify=str(ca), timeout=10)
        assert r.headers["Strict-Transport-Security"] == "max-age=31536000"
        assert r.headers["Content-Security-Policy"] == CSP


def test_a_fresh_hub_database_is_private(tmp_path: Path) -> None:
    old = os.umask(0o022)  # the usual umask, which would make new files 0644
    try:
        hub = open_hub(str(tmp_path / "hub.db"))
        hub.kiosks.add("kiosk-a")  # something written: the WAL and shared-memory files exist
        files = sorted(tmp_path.glob("hub.db*"))
        assert {p.name for p in files} >= {"hub.db", "hub.db-wal", "hub.db-shm", "hub.db.keys"}
        for p in files:
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, (p.name, oct(p.stat().st_mode))
        hub.db.close()
    finally:
        os.umask(old)
