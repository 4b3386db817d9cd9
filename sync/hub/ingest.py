"""Kiosk records on the hub: idempotent ingest with receipts, and reading them back (sealed at rest).

Ingest is idempotent per key: the same key and body gives the same receipt again (replayed); the same key
with another body is a conflict; a key another request is storing right now is "in progress" (retry soon).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kiosk.clock import CHINA_TZ
from kiosk.records import RecordError, validate_body
from sync.hub.crypto import Sealer
from sync.hub.db import HubDB, utcnow_iso
from sync.wire import canonical_json

KINDS = frozenset({"transaction", "ticket", "help_request", "difficult_case", "authorization_use", "audit_digest"})
IngestListener = Callable[[HubDB, str, str, str, dict[str, Any]], None]


@dataclass(frozen=True)
class ItemResult:
    key: str
    status: str  # created | replayed | conflict | in_progress | invalid
    http_status: int
    receipt: dict[str, Any] | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "status": self.status, "http_status": self.http_status, "receipt": self.receipt,
                "error": self.error}


def acceptance_number(seq: int, received_at: str) -> str:
    """受理编号: `SL` + the hall's date of receipt (China Standard Time) + the hub's sequence, unique per hub."""
    day = dt.datetime.fromisoformat(received_at).astimezone(CHINA_TZ).strftime("%Y%m%d")
    return f"SL{day}{seq:010d}"


class Records:
    """The `records` table: bodies sealed per row, compared by keyed hash, listed per kiosk and kind."""

    _ROW = "SELECT idem_key, kiosk_id, body_hmac, receipt_no, received_at FROM records WHERE idem_key"

    def __init__(self, db: HubDB, keys: Sealer) -> None:
        self.db, self.keys = db, keys
        self._in_flight: set[str] = set()
        self._flight_lock = threading.Lock()
        self._listeners: list[IngestListener] = []

    def add_listener(self, fn: IngestListener) -> None:
        """Call `fn(db, kiosk_id, kind, key, body)` once for every record this hub NEWLY stores.

        - Called inside the same database transaction as the record's INSERT, on the thread doing the ingest;
          write through the `db` argument (`db.execute`/`db.one`) and your rows commit or roll back with the
          record. An exception from `fn` rolls back the whole batch and the kiosk retries it later.
        - `body` is the plaintext record body as the kiosk sent it (a dict), before the hub seals it at rest;
          do not store personal data from it in plain text.
        - Not called for an idempotent replay (same key and body again), a conflict, an invalid item, or a key
          in progress elsewhere. With two hub processes on one PostgreSQL, only the one that stored it calls.
        """
        self._listeners.append(fn)

    def _claim_keys(self, keys: Iterable[str]) -> tuple[set[str], set[str]]:
        """Mark keys as being stored by this request; returns (claimed, busy elsewhere)."""
        claimed: set[str] = set()
        busy: set[str] = set()
        with self._flight_lock:
            for k in keys:
                if k in self._in_flight or k in claimed:
                    busy.add(k)
                else:
                    claimed.add(k)
            self._in_flight |= claimed
        return claimed, busy

    def _release_keys(self, keys: set[str]) -> None:
        with self._flight_lock:
            self._in_flight -= keys

    def ingest(self, kiosk_id: str, items: list[dict[str, Any]]) -> list[ItemResult]:
        """Store each item once. Items: {key, kind, record_id, body, sha256?}. One transaction per call."""
        claimed, _busy = self._claim_keys(str(i.get("key", "")) for i in items)
        taken = set(claimed)
        try:
            results: list[ItemResult] = []
            with self.db.transaction():
                known = self._existing(sorted(claimed))  # one query for the batch, not one per record
                for item in items:
                    key = str(item.get("key", ""))
                    if key not in claimed:
                        results.append(ItemResult(key, "in_progress", 409, error="same key is being stored"))
                        continue
                    claimed.discard(key)  # a key repeated inside the batch waits for the next try
                    results.append(self._ingest_one(kiosk_id, item, known.get(key)))
            return results
        finally:
            self._release_keys(taken)

    def _existing(self, keys: list[str]) -> dict[str, tuple[Any, ...]]:
        if not keys:
            return {}
        rows = self.db.query(f"{self._ROW} IN ({','.join('?' * len(keys))})", keys)
        return {str(r[0]): tuple(r[1:]) for r in rows}

    def _ingest_one(self, kiosk_id: str, item: dict[str, Any], row: tuple[Any, ...] | None) -> ItemResult:
        key = str(item.get("key", ""))
        kind = item.get("kind")
        body = item.get("body")
        if not (8 <= len(key) <= 64) or kind not in KINDS or not isinstance(body, dict) \
                or not isinstance(item.get("record_id"), str):
            return ItemResult(key, "invalid", 400, error="malformed record (key, kind, record_id, body)")
        try:
            validate_body(str(kind), body)
        except RecordError as exc:  # nothing stored: the kiosk keeps it as rejected, the field named
            return ItemResult(key, "invalid", 422, error=f"{exc.field}: {exc.problem}")
        canon = canonical_json(body)
        digest = hashlib.sha256(canon).hexdigest()
        if item.get("sha256") not in (None, digest):
            return ItemResult(key, "invalid", 400, error="body digest mismatch")
        mac = self.keys.body_mac(canon)  # stored and compared: a keyed hash, never the body's plain digest
        if row is None:
            now = utcnow_iso()
            inserted = self.db.one(
                "INSERT INTO records(idem_key, kiosk_id, kind, record_id, body_hmac, body_enc, received_at) "
                "VALUES (?,?,?,?,?,?,?) ON CONFLICT(idem_key) DO NOTHING RETURNING seq",
                (key, kiosk_id, kind, item["record_id"], mac, self.keys.seal("records", "body_enc", key, canon), now))
            if inserted is not None:
                receipt_no = acceptance_number(int(inserted[0]), now)
                self.db.execute("UPDATE records SET receipt_no=? WHERE seq=?", (receipt_no, int(inserted[0])))
                for listener in self._listeners:
                    listener(self.db, kiosk_id, str(kind), key, body)
                return ItemResult(key, "created", 201, receipt={"key": key, "receipt_no": receipt_no,
                                                                "received_at": now})
            # Another hub process committed the same key meanwhile (PostgreSQL waits for it): read it back.
            again = self.db.one(f"{self._ROW}=?", (key,))
            assert again is not None
            row = tuple(again[1:])
        owner, stored_mac, receipt_no, received_at = row
        if owner != kiosk_id or stored_mac != mac:
            return ItemResult(key, "conflict", 422, error="key already used with a different body")
        return ItemResult(key, "replayed", 200, receipt={"key": key, "receipt_no": receipt_no,
                                                         "received_at": received_at})

    def get(self, kiosk_id: str, key: str) -> dict[str, Any] | None:
        """One of this kiosk's records (never another kiosk's) with the digest of the body it sent."""
        row = self.db.one("SELECT idem_key, kind, record_id, receipt_no, received_at, body_enc FROM records "
                          "WHERE idem_key=? AND kiosk_id=?", (key, kiosk_id))
        if row is None:
            return None
        body = self.keys.unseal("records", "body_enc", key, row[5])
        return {"key": row[0], "kind": row[1], "record_id": row[2], "receipt_no": row[3], "received_at": row[4],
                "sha256": hashlib.sha256(body).hexdigest()}  # what the kiosk computes over the body it sent

    def listing(self, kiosk_id: str, kind: str, limit: int = 100) -> list[dict[str, Any]]:
        rows = self.db.query("SELECT idem_key, record_id, receipt_no, received_at, body_enc FROM records "
                             "WHERE kiosk_id=? AND kind=? ORDER BY seq DESC LIMIT ?", (kiosk_id, kind, limit))
        return [{"key": r[0], "record_id": r[1], "receipt_no": r[2], "received_at": r[3],
                 "body": self.keys.unseal_json("records", "body_enc", r[0], r[4])} for r in rows]

    def body(self, key: str) -> dict[str, Any] | None:
        """The plaintext body of a stored record (any kiosk's), for the hub's own pages; None if unknown."""
        row = self.db.one("SELECT body_enc FROM records WHERE idem_key=?", (key,))
        if row is None:
            return None
        found: dict[str, Any] = self.keys.unseal_json("records", "body_enc", key, row[0])
        return found

    def count(self) -> int:
        row = self.db.one("SELECT COUNT(*) FROM records")
        return int(row[0]) if row else 0

    def export(self, since: str | None = None) -> Iterable[dict[str, Any]]:
        rows = self.db.query("SELECT idem_key, kiosk_id, kind, record_id, receipt_no, received_at, body_enc "
                             "FROM records WHERE received_at >= ? ORDER BY seq", (since or "",))
        for r in rows:
            body = self.keys.unseal("records", "body_enc", r[0], r[6])
            yield {"key": r[0], "kiosk_id": r[1], "kind": r[2], "record_id": r[3], "receipt_no": r[4],
                   "received_at": r[5], "sha256": hashlib.sha256(body).hexdigest(), "body": json.loads(body)}
