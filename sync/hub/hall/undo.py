"""Undo for no-show, transfer and closing a case: the action keeps its row as it was before and after; for 10 s the
person who acted can put it back exactly, unless anyone has changed that row (or the counter) since.

The hub keeps the window, not the page: a late, repeated or foreign undo is refused with plain zh_CN / en text.
Both the action and its undo are rows in `hub_audit`, written in the action's own transaction.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from sync.hub.db import HubDB, utcnow_iso
from sync.hub.hall.basics import HallError, Person

UNDO_SECONDS = 10.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS hall_undo (
    undo_id TEXT PRIMARY KEY, action TEXT NOT NULL, target TEXT NOT NULL, member_id TEXT NOT NULL,
    at DOUBLE PRECISION NOT NULL, before_row TEXT NOT NULL, after_row TEXT NOT NULL, undone_at DOUBLE PRECISION
)
"""

# What each undoable action changed, so its undo writes back exactly those columns (and compares them first).
TICKET_FIELDS = ("lane", "state", "counter_id", "called_at", "announced_at", "recalls", "finished_at", "transfers",
                 "waiting_since")
CASE_FIELDS = ("state", "assigned_to", "assigned_name", "closed_at")
ACTIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # action: (table, key column, restored columns)
    "no_show": ("hall_tickets", "ticket_id", TICKET_FIELDS),
    "transfer": ("hall_tickets", "ticket_id", TICKET_FIELDS),
    "close_case": ("hall_cases", "case_id", CASE_FIELDS),
}
AUDIT_NAMES = {"no_show": "ticket_no_show", "transfer": "ticket_transfer", "close_case": "case_close"}


@dataclass(frozen=True)
class Undoable:
    undo_id: str
    action: str
    target: str
    member_id: str
    at: float
    before: dict[str, Any]
    after: dict[str, Any]
    undone_at: float | None


def _fields(action: str) -> tuple[str, ...]:
    return ACTIONS[action][2]


def refusal(entry: Undoable | None, current: dict[str, Any] | None, who: Person, now: float,
            busy_number: str | None = None) -> HallError | None:
    """Why this undo may not happen now (None: it may). Pure: the hub's rules without the database.

    `current` is the row as it is now; `busy_number` the ticket now being served at the counter the undo would put
    a ticket back to (None when that counter is free or the undo is not a ticket's)."""
    if entry is None:
        return HallError(404, "没有可以撤销的操作", "Nothing to undo")
    if entry.member_id != who.member_id:
        return HallError(403, "只有做这个操作的人可以撤销", "Only the person who did this can undo it")
    if entry.undone_at is not None:
        return HallError(409, "这个操作已经撤销过了", "This was already undone")
    if now - entry.at > UNDO_SECONDS:
        return HallError(410, f"已超过 {int(UNDO_SECONDS)} 秒，不能撤销了",
                         f"More than {int(UNDO_SECONDS)} s have passed; this can no longer be undone")
    what_zh = "这个疑难件" if entry.action == "close_case" else "这个号码"
    what_en = "this case" if entry.action == "close_case" else "this ticket"
    if current is None or any(current.get(f) != entry.after.get(f) for f in _fields(entry.action)):
        return HallError(409, f"{what_zh}在此期间已被别人改动，不能撤销",
                         f"Someone has changed {what_en} since; it cannot be undone")
    if busy_number is not None:
        return HallError(409, f"窗口已在办理 {busy_number} 号，不能撤销",
                         f"The counter is already serving {busy_number}; this cannot be undone")
    return None


def remember(db: HubDB, action: str, target: str, who: Person, before: dict[str, Any], after: dict[str, Any],
             now: float, detail: dict[str, Any]) -> dict[str, Any]:
    """Keep what an undo needs and audit the action (inside the action's transaction); the page's undo handle."""
    undo_id = secrets.token_hex(16)
    fields = _fields(action)
    db.execute("INSERT INTO hall_undo(undo_id, action, target, member_id, at, before_row, after_row) "
               "VALUES (?,?,?,?,?,?,?)",
               (undo_id, action, target, who.member_id, now, json.dumps({f: before[f] for f in fields}),
                json.dumps({f: after[f] for f in fields})))
    db.execute("DELETE FROM hall_undo WHERE at < ?", (now - 3600,))  # an hour-old handle can only be refused
    audit(db, who, AUDIT_NAMES[action], {**detail, "undo_id": undo_id})
    return {"undo_id": undo_id, "expires_at": now + UNDO_SECONDS, "seconds": UNDO_SECONDS}


def load(db: HubDB, undo_id: str) -> Undoable | None:
    row = db.one("SELECT undo_id, action, target, member_id, at, before_row, after_row, undone_at FROM hall_undo "
                 "WHERE undo_id=?" + db.dialect.for_update, (undo_id,))
    if row is None or row[1] not in ACTIONS:
        return None
    return Undoable(str(row[0]), str(row[1]), str(row[2]), str(row[3]), float(row[4]), json.loads(row[5]),
                    json.loads(row[6]), None if row[7] is None else float(row[7]))


def restore(db: HubDB, entry: Undoable, who: Person, now: float) -> None:
    """Write the row back as it was, mark the handle used and audit the undo (the caller has checked `refusal`)."""
    table, key, fields = ACTIONS[entry.action]
    db.execute(f"UPDATE {table} SET " + ", ".join(f"{f}=?" for f in fields) + f" WHERE {key}=?",
               (*(entry.before[f] for f in fields), entry.target))
    db.execute("UPDATE hall_undo SET undone_at=? WHERE undo_id=?", (now, entry.undo_id))
    audit(db, who, "undo", {"undo_of": AUDIT_NAMES[entry.action], "target": entry.target, "undo_id": entry.undo_id})


def audit(db: HubDB, who: Person, action: str, detail: dict[str, Any]) -> None:
    """A `hub_audit` row in the caller's transaction (ids and numbers only: no personal data)."""
    db.execute("INSERT INTO hub_audit(at, actor, action, detail) VALUES (?,?,?,?)",
               (utcnow_iso(), f"member:{who.member_id}", action, json.dumps(detail, ensure_ascii=False,
                                                                           sort_keys=True)))
