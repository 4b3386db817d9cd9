"""Hall fixtures: a real hub process (SQLite or a private PostgreSQL 15) with a published roster and settings,
registered kiosks, signed-in people (requests sessions) and kiosk-side posting through the real outbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from argon2 import PasswordHasher

from kiosk.store import open_store
from kiosk.store.db import Store
from sync.hub.server import open_hub
from sync.hub.service import Hub
from sync.worker import SyncWorker
from tests.sync.conftest import HubProcess, fresh_pg_database, kiosk_config, pg_server  # noqa: F401

PINS = {"s1": "258014", "s2": "139702", "v1": "482615"}
NAMES = {"s1": "王敏", "s2": "陈立", "v1": "张三"}
ROLES = {"s1": "staff", "s2": "staff", "v1": "volunteer"}
SETTINGS = {"queue": {"priority_ratio": 2, "max_wait_minutes": 20, "difficult_counters": ["9"]},
            "help": {"alert_minutes": 5, "desk": "一楼综合服务台"}, "fleet": {"heartbeat_seconds": 180}}


def roster_json() -> str:
    ph = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)  # test-speed argon2id, same format
    return json.dumps({"version": 1, "members": [
        {"id": mid, "role": ROLES[mid], "display_name": NAMES[mid], "badge_uid": None, "pin_hash": ph.hash(pin)}
        for mid, pin in PINS.items()]}, ensure_ascii=False)


class PersonClient(requests.Session):
    """A signed-in person: cookie session plus the CSRF token on every state-changing call."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.csrf: str | None = None

    def login(self, member_id: str, pin: str | None = None) -> requests.Response:
        r = self.post(self.base + "/v1/auth/login", json={"member_id": member_id, "pin": pin or PINS[member_id]},
                      timeout=10)
        if r.ok:
            self.csrf = r.json()["csrf_token"]
        return r

    def act(self, path: str, body: object = None) -> requests.Response:
        return self.post(self.base + path, json=body, headers={"X-CSRF-Token": self.csrf or ""}, timeout=10)

    def get_json(self, path: str) -> requests.Response:
        return self.get(self.base + path, timeout=10)


@dataclass
class HallHub:
    db_url: str
    admin: Hub
    procs: list[HubProcess]
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.procs[0].url

    def person(self, member_id: str, proc: int = 0) -> PersonClient:
        c = PersonClient(self.procs[proc].url)
        assert c.login(member_id).status_code == 200
        return c

    def kiosk_headers(self, kiosk_id: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[kiosk_id]}"}


def start_hall(db_url: str, n_procs: int = 1, kiosks: tuple[str, ...] = ("kiosk-a", "kiosk-b")) -> HallHub:
    admin = open_hub(db_url)
    admin.datasets.publish("roster", roster_json())
    admin.datasets.publish("settings", json.dumps({"version": 1, "settings": SETTINGS}))
    tokens = {k: admin.kiosks.add(k) for k in kiosks}
    procs = [HubProcess(db_url).start() for _ in range(n_procs)]
    return HallHub(db_url, admin, procs, tokens)


def stop_hall(h: HallHub) -> None:
    for p in h.procs:
        p.stop()
    h.admin.db.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def hall_db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("KIOSK_HUB_DATA_KEY_FILE", str(tmp_path / "hub-data.keys"))
    monkeypatch.setenv("KIOSK_HUB_AUDIO_CACHE", str(tmp_path / "audio"))
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.db'}"
    return fresh_pg_database(request.getfixturevalue("pg_server"))


@pytest.fixture
def hall(hall_db_url: str) -> Iterator[HallHub]:
    h = start_hall(hall_db_url)
    yield h
    stop_hall(h)


@dataclass
class Kiosk:
    """A kiosk's real store and sync worker: records go through the outbox to the hub."""

    kiosk_id: str
    store: Store
    worker: SyncWorker

    def deliver(self) -> None:
        assert self.worker.drain_until_empty(15), "outbox did not drain"


@pytest.fixture
def kiosk_factory(tmp_path: Path, hall: HallHub) -> Iterator[object]:
    made: list[Kiosk] = []

    def make(kiosk_id: str = "kiosk-a") -> Kiosk:
        data = tmp_path / f"kiosk-{kiosk_id}"
        store = open_store(data)
        cfg = kiosk_config(data, hall.url, kiosk_id=kiosk_id)
        k = Kiosk(kiosk_id, store, SyncWorker(cfg.data_dir, cfg, token=hall.tokens[kiosk_id]))
        made.append(k)
        return k

    yield make
    for k in made:
        k.worker.close()
        k.store.close()
