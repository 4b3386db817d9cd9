"""Where each kiosk stands: its hall, its block of queue numbers in that hall (the ticket slot), its place in the hall.

`kiosk-hub kiosk add NAME --hall HALL [--slot N] [--location TEXT]` assigns the next free slot of the hall (or the
one asked for); a kiosk takes it from `GET /v1/placement` on its first pull and keeps it offline. Two kiosks whose
tickets carry the same (day, number) are a clash, shown on the fleet page and answered to the kiosk for its doctor.
Mounted by `mount(app, hub)`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request

from sync.hub.auth import Kiosk
from sync.hub.db import HubDB
from sync.hub.service import Hub

TABLE = "kiosk_places"
SLOTS = 10  # blocks of numbers per hall, as the kiosk's `[tickets] slots` default (kiosk/tickets.py)
CLASH_DAYS = 2  # today and yesterday (hall time): older clashes are history, not something to fix now

router = APIRouter()


class PlacementError(ValueError):
    """A placement the hub refuses, in plain words for the person at the command line."""


@dataclass(frozen=True)
class Placement:
    kiosk_id: str
    hall: str
    slot: int
    slots: int
    location: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def init_schema(db: HubDB) -> None:
    with db.transaction():
        db.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (name TEXT PRIMARY KEY, hall TEXT NOT NULL, "
                   "slot INTEGER NOT NULL, slots INTEGER NOT NULL, location TEXT NOT NULL DEFAULT '')")


def _row(r: tuple[Any, ...]) -> Placement:
    return Placement(str(r[0]), str(r[1]), int(r[2]), int(r[3]), str(r[4] or ""))


def placement_of(db: HubDB, name: str) -> Placement | None:
    r = db.one(f"SELECT name, hall, slot, slots, location FROM {TABLE} WHERE name=?", (name,))
    return _row(r) if r is not None else None


def placements(db: HubDB) -> dict[str, Placement]:
    """Every registered (not revoked) kiosk's placement, by name."""
    rows = db.query(f"SELECT p.name, p.hall, p.slot, p.slots, p.location FROM {TABLE} p JOIN kiosks k "
                    "ON k.name = p.name WHERE k.revoked_at IS NULL")
    return {str(r[0]): _row(r) for r in rows}


def place(db: HubDB, name: str, hall: str, *, slot: int | None = None, location: str | None = None) -> Placement:
    """Give kiosk `name` (already registered) a slot of `hall`: the one asked for, its current one when it stays in
    the hall, else the lowest free one. A revoked kiosk's slot is free. Raises PlacementError in plain words."""
    hall = hall.strip()
    if not hall:
        raise PlacementError("--hall must name the hall (e.g. --hall gz-tianhe)")
    if slot is not None and not 0 <= slot < SLOTS:
        raise PlacementError(f"slot {slot} does not exist: a hall has slots 0 to {SLOTS - 1}")
    with db.transaction():
        db.dialect.schema_lock(db, 4251)  # two `kiosk add` at once must not take one slot
        current = placement_of(db, name)
        taken = {int(r[1]): str(r[0]) for r in db.query(
            f"SELECT p.name, p.slot FROM {TABLE} p JOIN kiosks k ON k.name = p.name "
            "WHERE p.hall=? AND p.name<>? AND k.revoked_at IS NULL", (hall, name))}
        if slot is None and current is not None and current.hall == hall and current.slot not in taken:
            slot = current.slot
        if slot is None:
            free = [s for s in range(SLOTS) if s not in taken]
            if not free:
                holders = ", ".join(sorted(taken.values()))
                raise PlacementError(
                    f"hall {hall} has no free ticket slot: its {SLOTS} slots are taken by {holders}. Each kiosk of "
                    "a hall needs its own block of queue numbers; revoke a kiosk that is gone "
                    "(kiosk-hub kiosk revoke NAME) to free its slot.")
            slot = free[0]
        elif slot in taken:
            free_list = ", ".join(str(s) for s in range(SLOTS) if s not in taken) or "none"
            raise PlacementError(f"slot {slot} of hall {hall} is taken by kiosk {taken[slot]}: choose another "
                                 f"--slot (free: {free_list})")
        where = location.strip() if location is not None else (current.location if current is not None else "")
        db.execute(f"INSERT INTO {TABLE}(name, hall, slot, slots, location) VALUES (?,?,?,?,?) ON CONFLICT(name) "
                   "DO UPDATE SET hall=excluded.hall, slot=excluded.slot, slots=excluded.slots, "
                   "location=excluded.location", (name, hall, slot, SLOTS, where))
    return Placement(name, hall, slot, SLOTS, where)


def clashes(db: HubDB, days: int = CLASH_DAYS) -> list[dict[str, Any]]:
    """(day, number) pairs that more than one kiosk issued in the last `days` hall days, each with the kiosks
    involved. Read from the hall's ticket table (`sync/hub/hall/schema.py`; the day is the hall's date of the
    ticket's time); none when the hall is not mounted."""
    from kiosk.clock import CHINA_TZ

    today = dt.datetime.now(CHINA_TZ).date()
    start = dt.datetime.combine(today - dt.timedelta(days=days - 1), dt.time(), CHINA_TZ).timestamp()
    try:
        rows = db.query("SELECT number, kiosk_id, created_at FROM hall_tickets WHERE created_at >= ?", (start,))
    except Exception:  # no hall tables on this hub
        return []
    grouped: dict[tuple[str, str], set[str]] = {}
    for number, kiosk, created in rows:
        day = dt.datetime.fromtimestamp(float(created), CHINA_TZ).date().isoformat()
        grouped.setdefault((day, str(number)), set()).add(str(kiosk))
    return [{"day": d, "number": n, "kiosks": sorted(k)} for (d, n), k in sorted(grouped.items()) if len(k) > 1]


def clashes_by_kiosk(db: HubDB) -> dict[str, list[dict[str, Any]]]:
    """For each kiosk in a clash: the clashes it is part of."""
    out: dict[str, list[dict[str, Any]]] = {}
    for c in clashes(db):
        for k in c["kiosks"]:
            out.setdefault(k, []).append(c)
    return out


@router.get("/v1/placement")
def get_placement(request: Request, kiosk_id: Kiosk) -> dict[str, Any]:
    """This kiosk's hall, slot and place, and the recent numbers it shares with another kiosk (`clashes`)."""
    hub: Hub = request.app.state.hub
    p = placement_of(hub.db, kiosk_id)
    if p is None:
        raise HTTPException(404, "no placement: this kiosk was added without --hall")
    return {**p.as_dict(), "clashes": clashes_by_kiosk(hub.db).get(kiosk_id, [])}


def mount(app: FastAPI, hub: Hub) -> None:
    init_schema(hub.db)
    app.include_router(router)
