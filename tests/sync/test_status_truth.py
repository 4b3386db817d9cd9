"""The status strip tells the truth: with nothing queued, a kiosk whose heartbeats reach a real hub process is
online; the hub going down (or answering 5xx) makes it offline, and coming back makes it online again."""

from __future__ import annotations

import threading
from pathlib import Path

from kiosk.store import open_store
from sync.hub.server import open_hub
from sync.status import SyncStatus
from sync.worker import SyncWorker
from tests.sync.conftest import HubProcess, kiosk_config, wait_for
from tests.sync.faultproxy import FaultProxy


class Statuses:
    def __init__(self) -> None:
        self.items: list[SyncStatus] = []
        self.lock = threading.Lock()

    def __call__(self, status: SyncStatus) -> None:
        with self.lock:
            self.items.append(status)

    def last(self) -> SyncStatus | None:
        with self.lock:
            return self.items[-1] if self.items else None

    def online(self) -> bool:
        last = self.last()
        return last is not None and last.online

    def offline(self) -> bool:
        last = self.last()
        return last is not None and not last.online


def test_heartbeats_alone_make_the_kiosk_online_and_a_dead_hub_offline(tmp_path: Path) -> None:
    db = str(tmp_path / "hub.db")
    admin = open_hub(db)
    token = admin.kiosks.add("kiosk-a")
    admin.db.close()
    hp = HubProcess(db).start()
    open_store(tmp_path / "kiosk").close()
    cfg = kiosk_config(tmp_path / "kiosk", hp.url, heartbeat_seconds=0.3, pull_seconds=600.0)
    statuses = Statuses()
    worker = SyncWorker(cfg.data_dir, cfg, token=token, on_status=statuses)
    worker.start()
    try:
        wait_for(statuses.online, 10, "online from heartbeats alone")
        last = statuses.last()
        assert last is not None and last.pending == 0 and last.last_success_at is None  # nothing was delivered
        hp.kill()
        wait_for(statuses.offline, 10, "offline once the hub is gone")
        hp.start()  # same port
        wait_for(statuses.online, 10, "online again when the hub is back")
    finally:
        worker.stop()
        hp.stop()


def test_a_5xx_answer_means_offline(tmp_path: Path) -> None:
    db = str(tmp_path / "hub.db")
    admin = open_hub(db)
    token = admin.kiosks.add("kiosk-a")
    admin.db.close()
    hp = HubProcess(db).start()
    proxy = FaultProxy(hp.port, faults=("http_503_retry_after",)).start()
    open_store(tmp_path / "kiosk").close()
    cfg = kiosk_config(tmp_path / "kiosk", proxy.url, heartbeat_seconds=0.3, pull_seconds=600.0)
    statuses = Statuses()
    worker = SyncWorker(cfg.data_dir, cfg, token=token, on_status=statuses)
    worker.start()
    try:
        wait_for(statuses.online, 10, "online through the proxy")
        proxy.fault_rate = 1.0  # every request now gets 503 from the proxy
        wait_for(statuses.offline, 10, "offline on 503")
        proxy.fault_rate = 0.0
        wait_for(statuses.online, 10, "online again")
    finally:
        worker.stop()
        proxy.stop()
        hp.stop()


def test_an_idle_kiosk_notices_the_hub_going_away_between_heartbeats(tmp_path: Path) -> None:
    db = str(tmp_path / "hub.db")
    admin = open_hub(db)
    token = admin.kiosks.add("kiosk-a")
    admin.db.close()
    hp = HubProcess(db).start()
    open_store(tmp_path / "kiosk").close()
    cfg = kiosk_config(tmp_path / "kiosk", hp.url, heartbeat_seconds=600.0, pull_seconds=600.0)
    statuses = Statuses()
    worker = SyncWorker(cfg.data_dir, cfg, token=token, on_status=statuses)
    worker.contact_every_s = 0.5  # 30 s in service
    worker.start()
    try:
        wait_for(statuses.online, 10, "online from the first heartbeat")
        hp.kill()  # the next heartbeat is 10 minutes away: only the idle health check can see this
        wait_for(statuses.offline, 10, "offline from the idle health check")
        hp.start()
        wait_for(statuses.online, 10, "online again from the idle health check")
    finally:
        worker.stop()
        hp.stop()
