"""The write side of the outbox: enqueue a business record for delivery, inside the caller's transaction.

Delivery (claiming, marking delivered or rejected, retries) lives in `sync/outbox.py`; both share the
`outbox` table. The outbox id is a UUIDv7 and doubles as the hub's Idempotency-Key.
"""

from __future__ import annotations

from typing import Any

from uuid6 import uuid7

from kiosk.store.db import Store, utcnow_iso

OUTBOX_KINDS = frozenset(
    {"transaction", "ticket", "help_request", "difficult_case", "authorization_use", "audit_digest"}
)


def new_id() -> str:
    """Time-ordered UUIDv7 as a string: sortable, unique across kiosks, usable as an idempotency key."""
    return str(uuid7())


def enqueue(store: Store, kind: str, record_id: str, body: dict[str, Any], *, outbox_id: str | None = None) -> str:
    """Add a pending outbox entry. Must run inside `store.transaction()` together with the record itself."""
    if kind not in OUTBOX_KINDS:
        raise ValueError(f"unknown outbox kind {kind!r}")
    if not store._tx_depth:
        raise RuntimeError("enqueue() must be called inside store.transaction() with the record it sends")
    oid = outbox_id or new_id()
    now = utcnow_iso()
    store.conn.execute(
        "INSERT INTO outbox(id, kind, record_id, created_at, state, attempts, next_attempt_at, body_enc) "
        "VALUES (?,?,?,?, 'pending', 0, ?, ?)",
        (oid, kind, record_id, now, now, store.seal("outbox", oid, body)),
    )
    return oid
