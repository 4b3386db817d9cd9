"""The delivery side of the outbox: claim due entries, then mark them delivered, retried or rejected.

Entries are marked `sending` (with a lease) and committed BEFORE they are posted, and `delivered` only after
the hub answered 2xx or replayed; a crash in between leaves `sending`, and when the lease runs out the entry
is simply sent again under the same key (the hub dedupes). Rejected entries are dead letters for staff.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from kiosk import audit
from kiosk.locale import phrase
from kiosk.messages import KioskError
from kiosk.store.db import Store, utcnow_iso

EXPORT_FORMAT = "kiosk-outbox-export/1"


def iso_in(seconds: float, now: dt.datetime | None = None) -> str:
    """An ISO time `seconds` from now, in the same format as `utcnow_iso` (so strings compare in order)."""
    base = now or dt.datetime.now(dt.UTC)
    return (base + dt.timedelta(seconds=seconds)).isoformat(timespec="milliseconds")


def parse_iso(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str
    record_id: str
    created_at: str
    state: str
    attempts: int
    next_attempt_at: str
    last_error: str | None
    receipt: dict[str, Any] | None
    delivered_at: str | None

    @classmethod
    def from_row(cls, row: Any) -> Entry:
        receipt = json.loads(row["receipt"]) if row["receipt"] else None
        return cls(row["id"], row["kind"], row["record_id"], row["created_at"], row["state"], int(row["attempts"]),
                   row["next_attempt_at"], row["last_error"], receipt, row["delivered_at"])

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Claimed:
    id: str
    kind: str
    record_id: str
    attempts: int  # including this one
    body: dict[str, Any]


_COLS = "id, kind, record_id, created_at, state, attempts, next_attempt_at, last_error, receipt, delivered_at"


def claim_due(store: Store, limit: int, *, lease_seconds: float,
              settle: dict[str, dict[str, Any]] | None = None) -> list[Claimed]:
    """Take up to `limit` due entries (pending, or sending whose lease ran out), mark them sending, commit.

    `settle`: receipts of the previous batch, marked delivered in the same transaction (one commit, one
    fsync per batch instead of two). Until then those entries stay `sending`, so a crash means a replay.
    """
    now = utcnow_iso()
    with store.transaction() as c:
        if settle:
            _mark_delivered(c, settle)
        # Two index-ordered queries rather than `state IN (...) ORDER BY`, which would sort every due row
        # (all of them, in a long offline queue) for each batch.
        rows = c.execute("SELECT id, kind, record_id, attempts, body_enc FROM outbox WHERE state='pending' "
                         "AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?", (now, limit)).fetchall()
        if len(rows) < limit:
            rows += c.execute("SELECT id, kind, record_id, attempts, body_enc FROM outbox WHERE state='sending' "
                              "AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?",
                              (now, limit - len(rows))).fetchall()
        if not rows:
            return []
        lease_until = iso_in(lease_seconds)
        c.executemany("UPDATE outbox SET state='sending', attempts=attempts+1, next_attempt_at=? WHERE id=?",
                      [(lease_until, r["id"]) for r in rows])
    return [Claimed(r["id"], r["kind"], r["record_id"], int(r["attempts"]) + 1, store.unseal("outbox", r["id"],
                                                                                               r["body_enc"]))
            for r in rows]


def unclaim(store: Store, ids: list[str]) -> None:
    """Entries claimed ahead but never posted (the batch before them failed, or the drainer stops): pending
    again and due now, and the attempt they were charged is given back."""
    if not ids:
        return
    now = utcnow_iso()
    with store.transaction() as c:
        c.executemany("UPDATE outbox SET state='pending', attempts=MAX(attempts-1, 0), next_attempt_at=? "
                      "WHERE id=? AND state='sending'", [(now, i) for i in ids])


def release_sending(store: Store) -> int:
    """At drainer start: entries a killed process left `sending` are due again now (the hub dedupes by key)."""
    with store.transaction() as c:
        return c.execute("UPDATE outbox SET state='pending', next_attempt_at=? WHERE state='sending'",
                         (utcnow_iso(),)).rowcount


def _mark_delivered(c: Any, receipts: dict[str, dict[str, Any]]) -> None:
    now = utcnow_iso()
    c.executemany("UPDATE outbox SET state='delivered', receipt=?, delivered_at=?, last_error=NULL "
                  "WHERE id=? AND state != 'delivered'",
                  [(json.dumps(rc, ensure_ascii=False), now, oid) for oid, rc in receipts.items()])


def mark_delivered(store: Store, receipts: dict[str, dict[str, Any]]) -> None:
    if receipts:
        with store.transaction() as c:
            _mark_delivered(c, receipts)


def schedule_retry(store: Store, delays: dict[str, float], error: str) -> None:
    """Back to pending, due after each entry's delay; `error` is technical (never personal data)."""
    now = dt.datetime.now(dt.UTC)
    with store.transaction() as c:
        c.executemany("UPDATE outbox SET state='pending', next_attempt_at=?, last_error=? "
                      "WHERE id=? AND state='sending'",
                      [(iso_in(d, now), error[:300], oid) for oid, d in delays.items()])


def mark_rejected(store: Store, reasons: dict[str, str]) -> None:
    with store.transaction() as c:
        c.executemany("UPDATE outbox SET state='rejected', last_error=? WHERE id=? AND state='sending'",
                      [(reason[:500], oid) for oid, reason in reasons.items()])


def retry(store: Store, outbox_id: str, actor: str = "staff") -> bool:
    """Staff action on a dead letter (or a waiting entry): send it again now, under the same key."""
    with store.transaction() as c:
        cur = c.execute("UPDATE outbox SET state='pending', next_attempt_at=? WHERE id=? AND state IN "
                        "('rejected','pending','sending')", (utcnow_iso(), outbox_id))
        if cur.rowcount:
            audit.append(store, actor, "outbox_retry", {"id": outbox_id})
        return bool(cur.rowcount)


def forget(store: Store, outbox_id: str, actor: str = "staff") -> bool:
    """Staff action: drop a dead letter for good (the business record stays in its own table)."""
    with store.transaction() as c:
        cur = c.execute("DELETE FROM outbox WHERE id=? AND state='rejected'", (outbox_id,))
        if cur.rowcount:
            audit.append(store, actor, "outbox_forget", {"id": outbox_id})
        return bool(cur.rowcount)


@dataclass(frozen=True)
class Counts:
    pending: int  # pending + sending
    rejected: int
    delivered: int
    oldest_pending_created_at: str | None
    next_due_at: str | None


def counts(store: Store) -> Counts:
    row = store.conn.execute(
        "SELECT SUM(state IN ('pending','sending')), SUM(state='rejected'), SUM(state='delivered'), "
        "MIN(CASE WHEN state IN ('pending','sending') THEN created_at END), "
        "MIN(CASE WHEN state IN ('pending','sending') THEN next_attempt_at END) FROM outbox").fetchone()
    return Counts(int(row[0] or 0), int(row[1] or 0), int(row[2] or 0), row[3], row[4])


def oldest_pending_age(c: Counts) -> float | None:
    if c.oldest_pending_created_at is None:
        return None
    return max(0.0, (dt.datetime.now(dt.UTC) - parse_iso(c.oldest_pending_created_at)).total_seconds())


def list_entries(store: Store, state: str | None = None, limit: int = 100) -> list[Entry]:
    if state:
        rows = store.conn.execute(f"SELECT {_COLS} FROM outbox WHERE state=? ORDER BY id LIMIT ?", (state, limit))
    else:
        rows = store.conn.execute(f"SELECT {_COLS} FROM outbox ORDER BY id LIMIT ?", (limit,))
    return [Entry.from_row(r) for r in rows.fetchall()]


def get_entry(store: Store, outbox_id: str) -> Entry | None:
    row = store.conn.execute(f"SELECT {_COLS} FROM outbox WHERE id=?", (outbox_id,)).fetchone()
    return Entry.from_row(row) if row else None


# --- export / import for a technician rescuing a broken kiosk's queue ---------------------------------------
# Bodies hold personal data, so the file seals them with a key derived from a passphrase (scrypt + AES-GCM).

def _derive(passphrase: str, salt: bytes) -> AESGCM:
    return AESGCM(Scrypt(salt=salt, length=32, n=2**14, r=8, p=1).derive(passphrase.encode("utf-8")))


def new_passphrase() -> str:
    return secrets.token_urlsafe(18)


def export_jsonl(store: Store, path: Path, passphrase: str, *, include_delivered: bool = False) -> int:
    """Write entries (keys kept) as JSON lines, created 0600; returns how many entries were written."""
    salt = os.urandom(16)
    aead = _derive(passphrase, salt)
    states = ("pending", "sending", "rejected", "delivered") if include_delivered else ("pending", "sending",
                                                                                        "rejected")
    rows = store.conn.execute(f"SELECT {_COLS}, body_enc FROM outbox WHERE state IN ({','.join('?' * len(states))}) "
                              "ORDER BY id", states).fetchall()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"format": EXPORT_FORMAT, "kdf": "scrypt", "salt": base64.b64encode(salt).decode()})
                 + "\n")
        for r in rows:
            entry = Entry.from_row(r).as_dict()
            plain = json.dumps(store.unseal("outbox", r["id"], r["body_enc"]), ensure_ascii=False).encode("utf-8")
            nonce = os.urandom(12)
            entry["body_sealed"] = base64.b64encode(nonce + aead.encrypt(nonce, plain, r["id"].encode())).decode()
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return len(rows)


def _read_export(path: Path, passphrase: str) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    with path.open(encoding="utf-8") as fh:
        header = json.loads(fh.readline() or "{}")
        if header.get("format") != EXPORT_FORMAT:
            raise KioskError("outbox_import_invalid", phrase("sync.outbox.outbox_import_invalid"))
        aead = _derive(passphrase, base64.b64decode(header["salt"]))
        for line in fh:
            if not line.strip():
                continue
            entry = json.loads(line)
            blob = base64.b64decode(entry.pop("body_sealed"))
            try:
                plain = aead.decrypt(blob[:12], blob[12:], entry["id"].encode())
            except Exception:
                raise KioskError("outbox_import_passphrase", phrase("sync.outbox.outbox_import_passphrase")) from None
            yield entry, json.loads(plain)


def import_jsonl(store: Store, path: Path, passphrase: str) -> tuple[int, int]:
    """Add exported entries under their original keys; returns (imported, skipped because already here).

    Undelivered entries come in as pending and due now; delivered ones keep their receipt. Because the key is
    kept, an entry the old kiosk had in fact delivered is answered by the hub as a replay, never a duplicate.
    """
    imported = skipped = 0
    now = utcnow_iso()
    with store.transaction() as c:
        for entry, body in _read_export(path, passphrase):
            delivered = entry["state"] == "delivered"
            cur = c.execute(
                "INSERT INTO outbox(id, kind, record_id, created_at, state, attempts, next_attempt_at, last_error, "
                "receipt, delivered_at, body_enc) VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO NOTHING",
                (entry["id"], entry["kind"], entry["record_id"], entry["created_at"],
                 "delivered" if delivered else "pending", int(entry["attempts"]), now,
                 entry.get("last_error"), json.dumps(entry["receipt"]) if entry.get("receipt") else None,
                 entry.get("delivered_at"), store.seal("outbox", entry["id"], body)))
            if cur.rowcount:
                imported += 1
            else:
                skipped += 1
        audit.append(store, "technician", "outbox_import", {"imported": imported, "skipped": skipped})
    return imported, skipped
