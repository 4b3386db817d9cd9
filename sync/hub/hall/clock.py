"""The hub owns the hall's clock: a record's queue time is the hub's receipt time, unless the kiosk's own time
(corrected by its measured clock offset) falls inside the window its contacts make plausible.

- While a kiosk is in touch, what it makes reaches the hub within `LAG_S`: a time older than that is refused.
- After a silence longer than the gap (3 heartbeats), records made during the silence carry times between the
  last contact before it and the contact that ended it: those are kept, so an offline kiosk's tickets keep
  their real order.
- Anything else is taken at receipt and counted against the kiosk (shown on the fleet page).
The offset is measured on every heartbeat (`sent_at`, the kiosk's clock, against the hub's receipt time).
"""

from __future__ import annotations

from typing import Any

from sync.hub.db import HubDB

LAG_S = 300.0
MARGIN_S = 60.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS hall_kiosk_clock (
    kiosk_id TEXT PRIMARY KEY, offset_s DOUBLE PRECISION NOT NULL DEFAULT 0, last_contact DOUBLE PRECISION NOT NULL,
    streak_start DOUBLE PRECISION NOT NULL, offline_from DOUBLE PRECISION, flagged INTEGER NOT NULL DEFAULT 0,
    flagged_last DOUBLE PRECISION
)"""


def contact(db: HubDB, kiosk_id: str, now: float, gap: float) -> tuple[float, float, float | None]:
    """Note a contact from the kiosk; returns (offset, start of this contact streak, last contact before it)."""
    row = db.one("SELECT offset_s, last_contact, streak_start, offline_from FROM hall_kiosk_clock WHERE kiosk_id=?"
                 + db.dialect.for_update, (kiosk_id,))
    if row is None:
        db.execute("INSERT INTO hall_kiosk_clock(kiosk_id, offset_s, last_contact, streak_start, offline_from) "
                   "VALUES (?,0,?,?,NULL) ON CONFLICT(kiosk_id) DO NOTHING", (kiosk_id, now, now))
        return 0.0, now, None
    offset, last, streak, offline_from = float(row[0]), float(row[1]), float(row[2]), row[3]
    if now - last > gap:  # it was silent: a new streak begins, and the silence began at `last`
        streak, offline_from = now, last
    db.execute("UPDATE hall_kiosk_clock SET last_contact=?, streak_start=?, offline_from=? WHERE kiosk_id=?",
               (max(now, last), streak, offline_from, kiosk_id))
    return offset, streak, (float(offline_from) if offline_from is not None else None)


def measured(db: HubDB, kiosk_id: str, sent_at: float | None, now: float, gap: float) -> None:
    """A heartbeat: a contact, and (with `sent_at`) the kiosk's clock offset."""
    contact(db, kiosk_id, now, gap)
    if sent_at is not None:
        db.execute("UPDATE hall_kiosk_clock SET offset_s=? WHERE kiosk_id=?", (sent_at - now, kiosk_id))


def queue_time(db: HubDB, kiosk_id: str, reported: float, now: float, gap: float) -> tuple[float, bool]:
    """(the time this record queues by, whether the kiosk's time was refused and the receipt time taken)."""
    offset, streak, offline_from = contact(db, kiosk_id, now, gap)
    t = reported - offset
    in_touch = now - LAG_S <= t <= now + MARGIN_S
    offline = offline_from is not None and offline_from - MARGIN_S <= t <= streak + MARGIN_S
    if in_touch or offline:
        return min(t, now), False
    db.execute("UPDATE hall_kiosk_clock SET flagged=flagged+1, flagged_last=? WHERE kiosk_id=?", (now, kiosk_id))
    return now, True


def clock_of(db: HubDB) -> dict[str, dict[str, Any]]:
    """Per kiosk: measured offset (s) and how many record times were refused (for the fleet page)."""
    return {str(r[0]): {"offset_s": float(r[1]), "flagged": int(r[2]), "flagged_last": r[3]}
            for r in db.query("SELECT kiosk_id, offset_s, flagged, flagged_last FROM hall_kiosk_clock")}
