"""The hub remembers the phone given with a transaction (sealed, under a keyed hash of the ID number) and a second
kiosk gets it back for one-tap confirmation: kiosks, sync worker and the hub's app (`create_app`, which mounts
`sync.hub.people`) over real HTTP on 127.0.0.1, served by an in-process uvicorn.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import uvicorn

from kiosk.catalog import load_bundled_catalog
from kiosk.config import KioskConfig, SyncConfig
from kiosk.identity import CardType, IdentityRecord
from kiosk.known_phone import KnownPhone, known_phone
from kiosk.services import submit_items
from kiosk.session import Session
from kiosk.store import open_store
from sync import people as people_client
from sync.client import HubClient
from sync.hub import people
from sync.hub.app import create_app
from sync.hub.server import bind, open_hub, run_blocking
from sync.hub.service import Hub
from sync.worker import SyncWorker

ID = "11010519491231002X"
PHONE = "13800138000"


class _Hub:
    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.sock = bind("127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        app = create_app(hub)
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
        self.thread = threading.Thread(target=run_blocking, args=(self.server, self.sock), daemon=True)
        self.thread.start()
        ev = threading.Event()
        for _ in range(500):
            if self.server.started:
                break
            ev.wait(0.02)
        assert self.server.started


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[_Hub]:
    h = _Hub(open_hub(f"sqlite:///{tmp_path / 'hub.db'}"))
    yield h
    h.server.should_exit = True
    h.thread.join(10)
    h.sock.close()
    h.hub.db.close()


def _submit(data_dir: Path, phone: str) -> None:
    store = open_store(data_dir)
    s = Session()
    s.identify(IdentityRecord(CardType.RESIDENT, name="王老太", id_number=ID, birth_date=dt.date(1949, 12, 31)))
    s.select_items(["pension_qualification"])
    submit_items(store, s, load_bundled_catalog(), "kiosk-a", {"phone": phone})
    store.close()


def test_phone_given_at_one_kiosk_is_offered_at_another(hub: _Hub, tmp_path: Path) -> None:
    _submit(tmp_path / "a", "13900139000")
    _submit(tmp_path / "a", PHONE)  # the newer number wins
    cfg = KioskConfig(kiosk_id="kiosk-a", hub_url=hub.url, data_dir=tmp_path / "a",
                      sync=SyncConfig(backoff_base_seconds=0.01, backoff_cap_seconds=0.2))
    worker = SyncWorker(cfg.data_dir, cfg, token=hub.hub.kiosks.add("kiosk-a"))
    try:
        assert worker.drain_until_empty(timeout=30)
    finally:
        worker.close()

    client = HubClient(hub.url, hub.hub.kiosks.add("kiosk-b"))
    other = open_store(tmp_path / "b")  # kiosk B has never seen this person
    try:
        found = known_phone(other, ID, remote=lambda n: people_client.fetch_known_phone(client, n))
        assert found == KnownPhone(PHONE, "hub") and found.masked == "138****8000"
        assert people_client.fetch_known_phone(client, "440106199001010014") is None
        # Bad requests: no token, a malformed ID number.
        r = requests.post(hub.url + "/v1/people/known-phone", json={"id_number": ID}, timeout=5)
        assert r.status_code == 401
        assert client._post_json("/v1/people/known-phone", {"id_number": "123"}).status_code == 422
    finally:
        other.close()
        client.close()
    # Stored sealed, under a keyed hash: neither the phone nor the ID number is in the table.
    conn = sqlite3.connect(tmp_path / "hub.db")
    rows = conn.execute("SELECT id_hash, phone_enc FROM known_phones").fetchall()
    conn.close()
    assert len(rows) == 1 and PHONE not in str(rows) and ID not in str(rows)
    # A data key rotation re-seals the phones with everything else.
    assert hub.hub.data_keys.rotate() >= 1
    assert people.latest_phone(hub.hub, ID) == PHONE


def test_offline_hub_means_the_kiosk_asks_itself(tmp_path: Path) -> None:
    _submit(tmp_path / "a", PHONE)
    store = open_store(tmp_path / "a")
    client = HubClient("http://127.0.0.1:9", "token", timeout=0.5)  # nothing listens on port 9
    try:
        assert people_client.fetch_known_phone(client, ID) is None
        assert known_phone(store, ID, remote=lambda n: people_client.fetch_known_phone(client, n)) == \
            KnownPhone(PHONE, "kiosk")
    finally:
        client.close()
        store.close()
