"""The status strip tells the truth: with nothing queued, a kiosk whose heartbeats reach a real hub process is
online; the hub going down (or answering 5xx) makes it offline, and coming back makes it online again."""

from __future__ import annotations

import threading
from pathlib import Path

from kiosk.store import open_store
from sync.hub.server import open_hub
from sync.status import SteadyNetwork, SyncStatus
from sync.worker import SyncWorker
from tests.sync.conftest import HubProcess, fill_outbox, kiosk_config, wait_for
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


def _shown_online(statuses: Statuses, since: int) -> bool:
    """Whether the strip (hall defaults: two checks agree) shows online, fed every status from index `since`."""
    steady = SteadyNetwork()
    steady.observe(False, 0.0)  # it was showing offline
    with statuses.lock:
        items = statuses.items[since:]
    for status in items:
        steady.observe(status.online, 100.0)
    return steady.shown is True


def _pending_is(statuses: Statuses, n: int) -> bool:
    last = statuses.last()
    return last is not None and last.pending == n


def test_a_hub_back_is_shown_after_a_wake_not_after_the_back_off(tmp_path: Path) -> None:
    """The hub is down while a submission waits, with service-scale timers: back-off up to an hour, heartbeat,
    pull and idle check an hour away. When it comes back, the submission's `wake()` probes at once (not after
    the back-off) and a confirming check follows within seconds, so two checks agree and the strip shows
    online. Before, the first took up to the back-off and the second up to the idle check (30 s in service)."""
    db = str(tmp_path / "hub.db")
    admin = open_hub(db)
    token = admin.kiosks.add("kiosk-a")
    admin.db.close()
    hp = HubProcess(db).start()
    port = hp.port
    hp.kill()
    store = open_store(tmp_path / "kiosk")
    cfg = kiosk_config(tmp_path / "kiosk", f"http://127.0.0.1:{port}", backoff_base_seconds=3600.0,
                       backoff_cap_seconds=3600.0, heartbeat_seconds=3600.0, pull_seconds=3600.0)
    statuses = Statuses()
    worker = SyncWorker(cfg.data_dir, cfg, token=token, on_status=statuses)
    worker.contact_every_s = 3600.0
    worker.start()
    try:
        fill_outbox(store, 1)
        worker.wake()  # a submission while the hub is down: one probe, refused, then the back-off
        wait_for(lambda: statuses.offline() and _pending_is(statuses, 1), 30, "offline with one pending")
        hp = HubProcess(db, port=port).start()
        since = len(statuses.items)
        worker.wake()  # the next submission (or a technician's nudge)
        wait_for(lambda: _shown_online(statuses, since), 60, "the strip shows online (two checks agree)")
        wait_for(lambda: _pending_is(statuses, 0), 30, "the waiting entry delivered")
    finally:
        worker.stop()
        hp.stop()
        store.close()
