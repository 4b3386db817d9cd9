"""Append-only audit log, each entry hash-chained (SHA-256) to the one before; `verify` finds tampering.

Entries say who, what and when for sign-ins, mode switches, proxy authorizations, overrides and exports.
Details must not carry personal data: pass lookup hashes or masked values, never names or ID numbers.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiosk.store.db import Store, utcnow_iso

if TYPE_CHECKING:
    from kiosk.session import Helper

GENESIS = "0" * 64


def actor_for(helper: Helper | None, default: str = "citizen") -> str:
    """The actor of an entry: `role:roster id` when a volunteer or staff member is signed in."""
    return f"{helper.role.value}:{helper.helper_id}" if helper is not None else default


def _entry_hash(ts: str, actor: str, action: str, detail: str, prev_hash: str) -> str:
    # The sequence number is left out on purpose: order is protected by the chain of prev_hash links,
    # which lets `verify` tell a reordering (links broken, hashes intact) from an edit.
    canonical = json.dumps([ts, actor, action, detail, prev_hash], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append(store: Store, actor: str, action: str, detail: dict[str, Any] | None = None) -> int:
    """Append one entry; joins the caller's transaction if there is one. Returns its sequence number."""
    detail_text = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    with store.transaction() as c:
        last = c.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        seq = (last["seq"] + 1) if last else 1
        prev = last["hash"] if last else GENESIS
        ts = utcnow_iso()
        digest = _entry_hash(ts, actor, action, detail_text, prev)
        c.execute("INSERT INTO audit_log(seq, ts, actor, action, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?)",
                  (seq, ts, actor, action, detail_text, prev, digest))
    return seq


@dataclass(frozen=True)
class AuditProblem:
    seq: int
    kind: str  # edited | deleted | reordered | broken_link
    explanation: str


def verify(store: Store) -> list[AuditProblem]:
    """Walk the chain; an empty list means intact. Detects edited, deleted and reordered entries."""
    problems: list[AuditProblem] = []
    prev_hash = GENESIS
    expected_seq = 1
    for row in store.conn.execute("SELECT * FROM audit_log ORDER BY seq"):
        seq = row["seq"]
        if seq != expected_seq:
            problems.append(AuditProblem(seq, "deleted", f"entries {expected_seq}..{seq - 1} are missing"))
        recomputed = _entry_hash(row["ts"], row["actor"], row["action"], row["detail"], row["prev_hash"])
        if recomputed != row["hash"]:
            problems.append(AuditProblem(seq, "edited", f"entry {seq} does not match its hash"))
        elif row["prev_hash"] != prev_hash:
            kind = "reordered" if seq == expected_seq else "broken_link"
            problems.append(AuditProblem(seq, kind, f"entry {seq} does not follow the entry before it"))
        prev_hash = row["hash"]
        expected_seq = seq + 1
    return problems


def head(store: Store) -> tuple[int, str]:
    """(last seq, last hash): the digest a kiosk sends to the hub so truncation at the end is visible too."""
    row = store.conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return (row["seq"], row["hash"]) if row else (0, GENESIS)
