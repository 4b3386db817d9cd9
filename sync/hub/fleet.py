"""The kiosks a hub serves and the last heartbeat of each (what the fleet page and `kiosk doctor` read)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from sync.hub.db import HubDB, utcnow_iso

HeartbeatListener = Callable[[str, dict[str, Any], float], None]


class Fleet:
    def __init__(self, db: HubDB) -> None:
        self.db = db
        self._listeners: list[HeartbeatListener] = []

    def add_listener(self, fn: HeartbeatListener) -> None:
        """Call `fn(kiosk_id, body, received epoch seconds)` after each heartbeat is stored."""
        self._listeners.append(fn)

    def heartbeat(self, kiosk_id: str, body: dict[str, Any]) -> str:
        """Keep the kiosk's last heartbeat (the whole body) with the time it was received; returns that time."""
        now = utcnow_iso()
        with self.db.transaction():
            self.db.execute("INSERT INTO heartbeats(kiosk_id, received_at, body) VALUES (?,?,?) "
                            "ON CONFLICT(kiosk_id) DO UPDATE SET received_at=excluded.received_at, body=excluded.body",
                            (kiosk_id, now, json.dumps(body, ensure_ascii=False)))
        received = dt.datetime.fromisoformat(now).timestamp()
        for fn in self._listeners:
            fn(kiosk_id, body, received)
        return now

    def kiosks(self) -> list[dict[str, Any]]:
        """Every registered (not revoked) kiosk with its last heartbeat, by name.

        Each item: `{"kiosk_id": name, "last_seen": ISO-8601 UTC received time or None, "body": the last
        heartbeat body as sent (dict) or None}`. The body from `sync.worker.SyncWorker.heartbeat` carries
        `version`, `uptime_s`, `outbox {pending, oldest_age_s}`, `devices {NAME: {state, message}}`, `doctor`.
        """
        rows = self.db.query("SELECT k.name, h.received_at, h.body FROM kiosks k LEFT JOIN heartbeats h "
                             "ON h.kiosk_id = k.name WHERE k.revoked_at IS NULL ORDER BY k.name")
        return [{"kiosk_id": r[0], "last_seen": r[1], "body": json.loads(r[2]) if r[2] is not None else None}
                for r in rows]
