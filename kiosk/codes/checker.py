"""`CodeChecker`: what a screen or worker uses to check a scanned payload — trust material from the store
(re-read only when the sync worker has stored a new copy), the configured clock skew, the hub for online codes.

One checker per thread (it uses that thread's `Store`).
"""

from __future__ import annotations

import datetime as dt

from kiosk.clock import Clock, system_clock
from kiosk.codes.trust import TrustMaterial
from kiosk.codes.trust_store import HUB_KEYS, TRUST_LIST, load_trust_material
from kiosk.codes.verdict import Verdict
from kiosk.codes.verify import OnlineVerifier, verify_payload
from kiosk.config import KioskConfig
from kiosk.store.db import Store


class CodeChecker:
    def __init__(self, store: Store, cfg: KioskConfig, *, online: OnlineVerifier | None = None,
                 clock: Clock = system_clock) -> None:
        self.store = store
        self.cfg = cfg
        self.online = online
        self.clock = clock
        self.skew = dt.timedelta(seconds=cfg.codes.clock_skew_seconds)
        self._trust: TrustMaterial | None = None
        self._stamp: tuple[tuple[object, ...], ...] | None = None

    def _fetch_stamp(self) -> tuple[tuple[object, ...], ...]:
        # Fetch time, etag and size identify a stored copy without reading a multi-megabyte body.
        return tuple(tuple(row) for row in self.store.conn.execute(
            "SELECT name, fetched_at, etag, length(body) FROM hub_cache WHERE name IN (?, ?) ORDER BY name",
            (TRUST_LIST, HUB_KEYS)))

    def trust(self) -> TrustMaterial:
        """Current trust material; parsed again only when a newer copy was stored."""
        stamp = self._fetch_stamp()
        if self._trust is None or stamp != self._stamp:
            self._trust = load_trust_material(self.store, self.cfg, self.clock())
            self._stamp = self._fetch_stamp()  # seeding on first start writes the rows
        return self._trust

    def check(self, payload: str) -> Verdict:
        return verify_payload(payload, trust=self.trust(), now=self.clock(), online=self.online, skew=self.skew)
