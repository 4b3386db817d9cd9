"""Queue tickets: numbers unique in the hall for the day across every kiosk, even offline; one ticket per tap.

Numbering: a lane letter and four digits, e.g. `A2017`. Letters are chosen to be told apart when called
aloud in Mandarin, Cantonese or English: A (普通 normal), Y (优先 priority), N (疑难 difficult); no I/O (they
look like 1/0), none of the rhyming B C D E G P T V Z. The four digits are split into `slots` blocks, one per
kiosk of the hall (given by the hub at `kiosk-hub kiosk add --hall`, or config `[tickets] slot`, `slots`, which
wins where set): kiosk `slot` numbers from `slot * (10000 // slots) + 1`.
So two kiosks can never issue the same number, without talking to each other or to the hub, which keeps
working when the network is down. With the default `slots = 10` the first digit names the kiosk and each
kiosk has 999 numbers per lane per day; a block used up is refused plainly, never reused.
A ticket's identity is its UUID; a screen passes a `request_id` per tap, so a double tap returns the first ticket
(UNIQUE in the database, so two racing threads or processes cannot both insert).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

from kiosk import audit
from kiosk.clock import CHINA_TZ, Clock, system_clock
from kiosk.config import KioskConfig
from kiosk.locale import phrase
from kiosk.messages import KioskError
from kiosk.session import Helper, Mode, Session
from kiosk.store.db import Store
from kiosk.store.outbox import enqueue, new_id

LANES = ("normal", "priority", "difficult")
LANE_LETTERS = {"normal": "A", "priority": "Y", "difficult": "N"}
NUMBER_SPACE = 10_000  # four digits per lane and day
# The lane's words, on the screen and on the paper ticket alike.
LANE_NAMES = {
    "normal": phrase("tickets.lane.normal"),
    "priority": phrase("tickets.lane.priority"),
    "difficult": phrase("tickets.lane.difficult"),
}


@dataclass(frozen=True)
class TicketNumbering:
    """This kiosk's block of numbers in the hall (from config `[tickets]`)."""

    slot: int = 0
    slots: int = 10

    def __post_init__(self) -> None:
        if not (1 <= self.slots <= 100 and 0 <= self.slot < self.slots):
            raise ValueError(f"ticket slot {self.slot} of {self.slots}")

    @classmethod
    def from_config(cls, cfg: KioskConfig) -> TicketNumbering:
        return cls(cfg.tickets.slot, cfg.tickets.slots)

    @classmethod
    def for_kiosk(cls, cfg: KioskConfig, store: Store) -> TicketNumbering:
        """The slot set in the config wins; else the one the hub gave (`kiosk-hub kiosk add --hall`, kept in the
        store by the sync pull, so it holds offline); else the config's default."""
        if "slot" not in cfg.tickets.model_fields_set and (given := hub_placement(store)) is not None:
            return cls(given["slot"], given["slots"])
        return cls.from_config(cfg)

    @property
    def block(self) -> int:
        return NUMBER_SPACE // self.slots

    @property
    def capacity(self) -> int:
        """Numbers per lane and day; 0000 is never issued, so each block loses its first number."""
        return self.block - 1

    def number(self, lane: str, seq: int) -> str:
        if not 1 <= seq <= self.capacity:
            raise ValueError(seq)
        return f"{LANE_LETTERS[lane]}{self.slot * self.block + seq:04d}"


PLACEMENT_CACHE = "placement"  # `hub_cache` row written by the sync pull (sync/pull.py)


def hub_placement(store: Store) -> dict[str, Any] | None:
    """The hub's placement of this kiosk ({hall, slot, slots, location}) as last pulled, or None."""
    import json

    row = store.cache_get(PLACEMENT_CACHE)
    if row is None:
        return None
    try:
        data = json.loads(bytes(row["body"]))
        slot, slots = data["slot"], data["slots"]
    except (ValueError, KeyError, TypeError):
        return None
    if not (isinstance(slot, int) and isinstance(slots, int) and 1 <= slots <= 100 and 0 <= slot < slots):
        return None
    return dict(data)


@dataclass(frozen=True)
class Ticket:
    ticket_id: str
    number: str
    lane: str
    kiosk_id: str
    created_at: str
    day: str  # the hall's date, YYYY-MM-DD
    elderly: bool = False
    service_code: str | None = None
    helper_id: str | None = None
    request_id: str | None = None

    @property
    def large(self) -> bool:
        """Priority tickets print and show with very large digits."""
        return self.lane == "priority"

    def body(self) -> dict[str, Any]:
        """What goes to the hub (record kind "ticket"); no personal data."""
        d = asdict(self)
        d.pop("request_id")
        return d

    def cli_json(self) -> dict[str, Any]:
        """`kiosk ticket take --json`."""
        return {k: getattr(self, k) for k in ("ticket_id", "number", "lane", "kiosk_id", "created_at")}


def default_lane(session: Session | None) -> str:
    """Green channel and people over the elderly age (from the card) wait in the priority lane."""
    if session is not None and (session.mode is Mode.PRIORITY or session.is_elderly):
        return "priority"
    return "normal"


def _row_to_ticket(row: sqlite3.Row) -> Ticket:
    return Ticket(row["id"], row["number"], row["lane"], row["kiosk_id"], row["created_at"], row["day"],
                  bool(row["elderly"]), row["service_code"], row["helper_id"], row["request_id"])


def _by_request(store: Store, request_id: str) -> Ticket | None:
    row = store.conn.execute("SELECT * FROM tickets WHERE request_id=?", (request_id,)).fetchone()
    return _row_to_ticket(row) if row is not None else None


def take_ticket(store: Store, *, kiosk_id: str, lane: str | None = None, session: Session | None = None,
                request_id: str | None = None, service_code: str | None = None,
                numbering: TicketNumbering | None = None, helper: Helper | None = None,
                clock: Clock = system_clock) -> Ticket:
    """Issue (or, for a repeated `request_id`, return again) a ticket and queue it for the hub."""
    lane = lane or default_lane(session)
    if lane not in LANES:
        raise KioskError("lane_unknown", phrase("tickets.lane_unknown"), detail=lane)
    numbering = numbering or TicketNumbering()
    helper = helper or (session.helper if session is not None else None)
    if request_id is not None and (earlier := _by_request(store, request_id)) is not None:
        return _same_request(earlier, lane)
    now = clock().astimezone(dt.UTC)
    day = now.astimezone(CHINA_TZ).date().isoformat()
    created = now.isoformat(timespec="milliseconds")
    try:
        with store.transaction() as c:
            if request_id is not None and (earlier := _by_request(store, request_id)) is not None:
                return _same_request(earlier, lane)
            last = c.execute("SELECT MAX(seq) FROM tickets WHERE day=? AND lane=?", (day, lane)).fetchone()[0]
            seq = int(last or 0) + 1
            if seq > numbering.capacity:
                raise KioskError("tickets_exhausted",
                                 phrase("tickets.tickets_exhausted"))
            ticket = Ticket(new_id(), numbering.number(lane, seq), lane, kiosk_id, created, day,
                            bool(session and session.is_elderly), service_code,
                            helper.helper_id if helper else None, request_id)
            c.execute(
                "INSERT INTO tickets(id, number, created_at, service_code, priority, session_id, lane, day, seq, "
                "request_id, kiosk_id, helper_id, elderly) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (ticket.ticket_id, ticket.number, created, service_code, int(lane == "priority"),
                 session.id if session else None, lane, day, seq, request_id, kiosk_id, ticket.helper_id,
                 int(ticket.elderly)))
            enqueue(store, "ticket", ticket.ticket_id, ticket.body())
            audit.append(store, audit.actor_for(helper), "ticket",
                         {"ticket": ticket.ticket_id, "number": ticket.number, "lane": lane})
    except sqlite3.IntegrityError:
        # Another connection inserted the same request_id between our look-up and our insert.
        if request_id is not None and (earlier := _by_request(store, request_id)) is not None:
            return _same_request(earlier, lane)
        raise
    return ticket


def _same_request(earlier: Ticket, lane: str) -> Ticket:
    if earlier.lane != lane:
        raise KioskError("ticket_request_conflict",
                         phrase("tickets.ticket_request_conflict"),
                         detail=f"request_id reused for lane {lane}")
    return earlier


def ticket_for_request(store: Store, request_id: str) -> Ticket | None:
    """The ticket issued earlier for this request id, if any."""
    return _by_request(store, request_id)


def tickets_of_day(store: Store, day: str) -> list[Ticket]:
    rows = store.conn.execute("SELECT * FROM tickets WHERE day=? ORDER BY created_at", (day,)).fetchall()
    return [_row_to_ticket(r) for r in rows]
