"""`SyncWorker`: the one drainer thread — delivers the outbox, pulls hub data, sends heartbeats, publishes status.

It opens its own `Store` (one connection per thread). `wake()` asks for a drain now (after a submission),
probing an unreachable hub at once rather than after its back-off; `stop()` ends the loop and joins. Status
goes to `on_status` as a `SyncStatus` (plain callback; the UI turns it into a queued Qt signal). `online` is
the truth of the last contact: any answer from the hub (heartbeat, pull, health probe, batch) below 500 means
online; a connection error, timeout or 5xx means offline.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.config import KioskConfig
from kiosk.disk import disk_fault
from kiosk.store.db import Store, open_store
from sync import outbox
from sync.backoff import backoff_seconds
from sync.client import HubClient, load_token
from sync.delivery import lease_seconds, post, records_of, settle_answer
from sync.pull import pull_all
from sync.status import StatusCallback, SyncStatus

log = logging.getLogger(__name__)
HealthCallback = Callable[[], dict[str, Any]]
IDLE_WAIT_S = 30.0  # longest sleep when nothing is due (heartbeats and pulls have their own schedule)
CONTACT_EVERY_S = 30.0  # when nothing else spoke to the hub for this long, ask its health: the strip stays true
STATUS_EVERY_S = 0.5
# After the hub's reachability changes, check again this soon: the strip shows a change only when two checks
# agree (`sync.status.SteadyNetwork`), and the next idle check would be `CONTACT_EVERY_S` away.
CONFIRM_AFTER_S = 2.0


@dataclass
class DrainResult:
    delivered: int = 0
    retried: int = 0
    rejected: int = 0
    batches: int = 0
    reached_hub: bool = False
    stopped_by_failure: bool = False


class SyncWorker:
    """The drainer. `health`, optional, is called on the drainer thread before each heartbeat and returns
    `{"devices": {NAME: {"state": "ok"|"fault"|"absent", "message": str}}, "doctor": {"ok": bool,
    "summary": [str, ...]}}` (either key may be left out); it must be quick and thread-safe. Its answer goes
    into the heartbeat body (see `heartbeat_body`)."""

    def __init__(self, data_dir: Path, config: KioskConfig, token: str | None = None,
                 on_status: StatusCallback | None = None,
                 health: HealthCallback | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.config = config
        self._token = token
        self._on_status = on_status
        self._health = health
        self._started = time.monotonic()  # the kiosk composition creates the worker at start: its uptime
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._local = threading.local()
        self._online = False
        self._last_success: dt.datetime | None = None
        self._last_error: str | None = None
        self._last_status_at = 0.0
        self._next_pull = 0.0
        self._next_heartbeat = 0.0
        self.contact_every_s = CONTACT_EVERY_S
        self._last_contact_try = time.monotonic()
        self._released = False
        self._next_probe = 0.0
        self._probe_failures = 0
        self._probe_now = False  # set by `wake()`: the next drain probes even inside the back-off
        self.confirm_after_s = CONFIRM_AFTER_S
        self._confirm_at: float | None = None  # when to check again after a change of reachability
        self._contacts = 0  # tries to reach the hub: the strip counts checks by it, not by statuses published

    # --- lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sync-drainer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wake(self) -> None:
        """Drain now. A submission or a technician's nudge should not wait out a back-off of up to
        `backoff_cap_seconds` while the hub may already be back; the timer alone keeps backing off."""
        self._probe_now = True
        self._wake.set()

    # --- per-thread resources --------------------------------------------------------------------------
    def _store(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = open_store(self.data_dir, check=False)
            if not self._released:
                # A previous drainer process may have died mid-request; its entries need not wait the lease.
                outbox.release_sending(store)
                self._released = True
        return store

    def _client(self) -> HubClient | None:
        if self.config.hub_url is None:
            return None
        client = getattr(self._local, "client", None)
        if client is None:
            token = self._token
            if token is None:
                if self.config.token_file is None:
                    self._last_error = "no token_file configured"
                    return None
                token = load_token(self.config.token_file)
            client = self._local.client = HubClient(self.config.hub_url, token, ca_bundle=self.config.ca_bundle,
                                                    timeout=self.config.sync.request_timeout_seconds)
            client.on_contact = self._contact
        return client

    def _contact(self, reachable: bool) -> None:
        # Any thread (the poster thread too): only the flags change here; the drainer thread publishes.
        if reachable != self._online:
            self._confirm_at = time.monotonic() + self.confirm_after_s
        self._online = reachable
        self._contacts += 1
        self._last_contact_try = time.monotonic()
        if reachable:
            self._probe_failures = 0

    def close(self) -> None:
        """Close the calling thread's store and client (after `drain_once` etc. used outside `start()`)."""
        self._close_thread_resources()

    def _close_thread_resources(self) -> None:
        pool = getattr(self._local, "poster", None)
        if pool is not None:
            pool.shutdown(wait=True)
            self._local.poster = None
        for name in ("client", "store"):
            res = getattr(self._local, name, None)
            if res is not None:
                res.close()
                setattr(self._local, name, None)

    # --- work ------------------------------------------------------------------------------------------
    def drain_once(self) -> DrainResult:
        """Post due entries batch by batch until none is due or a batch could not be delivered."""
        result = DrainResult()
        probe_now, self._probe_now = self._probe_now, False
        store = self._store()
        client = self._client()
        if client is None:
            self._online = False
            self._publish(force=True)
            return result
        if not self._online and outbox.counts(store).next_due_at is not None:
            # Offline: probe the hub first (cheap), backing off between probes, before claiming anything.
            if probe_now:
                self._next_probe = 0.0
            if time.monotonic() < self._next_probe or not client.health():
                if time.monotonic() >= self._next_probe:
                    self._probe_failures += 1
                    self._next_probe = time.monotonic() + backoff_seconds(
                        self._probe_failures, self.config.sync.backoff_base_seconds,
                        self.config.sync.backoff_cap_seconds)
                self._last_error = "hub unreachable"
                self._publish(force=True)
                result.stopped_by_failure = True
                return result
            self._probe_failures = 0
        unsettled: dict[str, dict[str, Any]] = {}
        try:
            self._drain_batches(store, client, result, unsettled)
        finally:
            outbox.mark_delivered(store, unsettled)  # receipts of the last batch
        self._publish(force=True)
        return result

    def _drain_batches(self, store: Store, client: HubClient, result: DrainResult,
                       unsettled: dict[str, dict[str, Any]]) -> None:
        """Pipelined: while batch k is on the wire (poster thread), batch k+1 is claimed and committed here, and
        batch k-1's receipts are settled in that same commit. Every batch is still marked `sending` before
        its own POST; a batch claimed ahead of a failure is handed back unposted (`outbox.unclaim`)."""
        cfg = self.config.sync
        lease = lease_seconds(cfg)
        poster = self._poster()
        current = outbox.claim_due(store, cfg.batch_size, lease_seconds=lease, settle=dict(unsettled))
        unsettled.clear()
        ahead: list[outbox.Claimed] = []
        try:
            while current and not self._stop.is_set():
                future = poster.submit(post, client, self.config.kiosk_id, records_of(current))
                try:
                    ahead = outbox.claim_due(store, cfg.batch_size, lease_seconds=lease, settle=dict(unsettled))
                    unsettled.clear()
                finally:
                    answer = future.result()  # never leave a POST running unobserved
                out = settle_answer(store, client, self.config.kiosk_id, cfg, current, answer,
                                    defer_delivered=True)
                unsettled.update(out.receipts)
                result.batches += 1
                result.delivered += out.delivered
                result.retried += out.retried
                result.rejected += out.rejected
                result.reached_hub |= out.reached_hub
                if out.delivered:
                    self._last_success = dt.datetime.now(dt.UTC)
                self._last_error = out.error
                self._publish()
                if out.retried:
                    result.stopped_by_failure = True
                    break
                current, ahead = ahead, []
        finally:
            outbox.unclaim(store, [c.id for c in ahead])

    def _poster(self) -> ThreadPoolExecutor:
        pool = getattr(self._local, "poster", None)
        if pool is None:
            pool = self._local.poster = ThreadPoolExecutor(1, thread_name_prefix="sync-post")
        return pool

    def drain_until_empty(self, timeout: float) -> bool:
        """Drain, waiting out retry delays, until nothing is pending or `timeout` passes. True when empty."""
        deadline = time.monotonic() + timeout
        store = self._store()
        while time.monotonic() < deadline and not self._stop.is_set():
            self.drain_once()
            c = outbox.counts(store)
            if c.pending == 0:
                return True
            self._stop.wait(min(self._next_wake(c.next_due_at), max(0.0, deadline - time.monotonic())))
        return outbox.counts(store).pending == 0

    def pull(self) -> list[Any]:
        client = self._client()
        results = pull_all(self._store(), client) if client is not None else []
        self._publish(force=True)
        return results

    def check_hub(self) -> bool:
        """Ask the hub's health endpoint now (when nothing else has spoken to it): sets `online` either way."""
        self._last_contact_try = time.monotonic()
        client = self._client()
        if client is None:
            return False
        return client.health()

    def heartbeat_body(self) -> dict[str, Any]:
        """`version`, `uptime_s`, `heartbeat_every_s` (so the hub can count missed heartbeats), `outbox {pending,
        oldest_age_s, rejected}`, `devices` (with `disk` while the disk is full), `faults` (["disk"] then), `doctor`
        (None when no health callback says), and the older flat
        fields `pending`, `rejected`, `oldest_pending_age_s`, `device_health` (= devices)."""
        c = outbox.counts(self._store())
        oldest = outbox.oldest_pending_age(c)
        devices: dict[str, Any] = {}
        doctor: dict[str, Any] | None = None
        if self._health is not None:
            try:
                report = self._health() or {}
                devices = dict(report.get("devices") or {})
                doctor = report.get("doctor")
            except Exception:  # a broken health source must not stop heartbeats
                log.exception("health callback failed")
        faults: list[str] = []
        fault = disk_fault(self.data_dir)
        if fault is not None:  # "storage full": shown on the fleet page with the devices
            devices["disk"] = fault
            faults.append("disk")
        return {"version": __version__, "sent_at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
                "uptime_s": round(time.monotonic() - self._started, 1),
                "faults": faults,
                "heartbeat_every_s": self.config.sync.heartbeat_seconds,
                "outbox": {"pending": c.pending, "oldest_age_s": oldest, "rejected": c.rejected},
                "devices": devices, "doctor": doctor,
                "pending": c.pending, "rejected": c.rejected, "oldest_pending_age_s": oldest,
                "device_health": devices}

    def heartbeat(self) -> bool:
        client = self._client()
        if client is None:
            return False
        body = self.heartbeat_body()
        try:
            client.heartbeat(body)
            if self._last_error == "hub unreachable" or (self._last_error or "").startswith("heartbeat:"):
                self._last_error = None  # the hub answered: that old failure is no longer true
            return True
        except Exception as exc:  # heartbeat failure is only a status, never fatal
            self._last_error = f"heartbeat: {type(exc).__name__}"
            return False
        finally:
            self._publish(force=True)

    def status(self) -> SyncStatus:
        c = outbox.counts(self._store())
        return SyncStatus(online=self._online, pending=c.pending, rejected=c.rejected,
                          oldest_pending_age_s=outbox.oldest_pending_age(c), last_success_at=self._last_success,
                          last_error=self._last_error, contacts=self._contacts)

    def _publish(self, force: bool = False) -> None:
        if self._on_status is None:
            return
        now = time.monotonic()
        if not force and now - self._last_status_at < STATUS_EVERY_S:
            return
        self._last_status_at = now
        try:
            self._on_status(self.status())
        except Exception:  # a broken listener must not stop delivery
            log.exception("sync status listener failed")

    def _next_wake(self, next_due_iso: str | None) -> float:
        """Seconds until something is due: the next entry, or (offline) the next connectivity probe."""
        wait = self._seconds_until(next_due_iso)
        if not self._online and next_due_iso is not None:
            wait = max(wait, self._next_probe - time.monotonic())
        return max(0.0, wait)

    @staticmethod
    def _seconds_until(iso: str | None) -> float:
        if iso is None:
            return IDLE_WAIT_S
        delta = (outbox.parse_iso(iso) - dt.datetime.now(dt.UTC)).total_seconds()
        return min(IDLE_WAIT_S, max(0.0, delta))

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                now = time.monotonic()
                try:
                    if now >= self._next_pull:
                        self.pull()
                        self._next_pull = now + self.config.sync.pull_seconds
                    if now >= self._next_heartbeat:
                        self.heartbeat()
                        self._next_heartbeat = now + self.config.sync.heartbeat_seconds
                    confirm = self._confirm_at is not None and time.monotonic() >= self._confirm_at
                    if confirm or time.monotonic() - self._last_contact_try >= self.contact_every_s:
                        self._confirm_at = None
                        self.check_hub()  # idle: heartbeats are minutes apart, the status strip must not lag
                    self.drain_once()
                    wait = self._next_wake(outbox.counts(self._store()).next_due_at)
                except Exception as exc:  # keep the drainer alive; the status shows the problem
                    log.warning("sync round failed", extra={"error": type(exc).__name__})
                    self._last_error = f"{type(exc).__name__}"
                    self._online = False
                    self._publish(force=True)
                    wait = self.config.sync.backoff_cap_seconds
                wait = min(wait, max(0.0, self._next_pull - time.monotonic()),
                           max(0.0, self._next_heartbeat - time.monotonic()),
                           max(0.0, self._last_contact_try + self.contact_every_s - time.monotonic()),
                           max(0.0, (self._confirm_at or float("inf")) - time.monotonic()))
                self._wake.wait(wait)
                self._wake.clear()
        finally:
            self._close_thread_resources()
