"""Hall business rules over the hub database: tickets and counters, help requests, difficult cases, fleet.

Kiosk records arrive through the hub's ingest listener (inside the insert transaction). Every change emits an
event in its own transaction. Calling is race-free across hub processes: SQLite takes the write lock
up front (BEGIN IMMEDIATE); PostgreSQL locks the counter's row and claims the chosen ticket with
`FOR UPDATE SKIP LOCKED`, choosing again if another process holds it.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

from kiosk.records import DifficultCaseRecord, HelpRequestRecord, TicketRecord, validate_body
from sync.hub.db import HubDB
from sync.hub.hall import undo
from sync.hub.hall.basics import HallError, Person
from sync.hub.hall.clock import clock_of, measured, queue_time
from sync.hub.hall.events import EventBus, emit
from sync.hub.hall.order import LANES, Waiting, choose_next
from sync.hub.hall.settings import HallSettings, load_settings
from sync.hub.service import Hub

COUNTER_ID = re.compile(r"\A[A-Za-z0-9_-]{1,16}\Z")
HALL_ROW = "*"  # hall_counters row holding the hall-wide priority streak (never a valid counter id)
# Notes are for the case, not the person: an ID number or a phone number is refused (they would sit unsealed).
_PERSONAL = re.compile(r"\d{17}[\dXx]|\d{15}|1[3-9]\d{9}")


def _epoch(value: Any, default: float) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            return default
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)
        return parsed.timestamp()
    return default


_TICKET_COLS = ("ticket_id, number, lane, kiosk_id, service_code, elderly, created_at, arrived_at, waiting_since, "
                "state, counter_id, called_at, announced_at, recalls, finished_at, transfers")
_HELP_COLS = ("help_request_id, kiosk_id, created_at, arrived_at, elderly, screen, item_code, state, claimed_by, "
              "claimed_name, claimed_at, resolved_at")
_CASE_COLS = ("case_id, kiosk_id, created_at, arrived_at, elderly, item_code, step, reason, reason_zh, reason_en, "
              "number, state, assigned_to, assigned_name, closed_at")


def _row(cols: str, row: tuple[Any, ...]) -> dict[str, Any]:
    out = dict(zip([c.strip() for c in cols.split(",")], row, strict=True))
    for k in ("elderly",):
        if k in out:
            out[k] = bool(out[k])
    return out


class Hall:
    """The hall's state on one hub: used by the HTTP routes and the ingest listener."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.db: HubDB = hub.db
        self.bus = EventBus(hub.db, ticker=self._tick)

    def settings(self) -> HallSettings:
        return load_settings(self.hub)

    # --- records from kiosks (the hub's ingest listener) -----------------------------------------------------
    def on_record(self, db: HubDB, kiosk_id: str, kind: str, key: str, body: dict[str, Any]) -> None:
        # The hub has validated `body` against its record type before storing it (kiosk.records).
        record = validate_body(kind, body)
        now = time.time()
        if not isinstance(record, (TicketRecord, DifficultCaseRecord, HelpRequestRecord)):
            return
        at, _flagged = queue_time(db, kiosk_id, record.created_at.timestamp(), now, self._gap())
        if isinstance(record, TicketRecord):
            self._ticket_in(db, kiosk_id, record, at, now)
        elif isinstance(record, DifficultCaseRecord):
            self._case_in(db, kiosk_id, record, at, now)
        elif isinstance(record, HelpRequestRecord):
            self._help_in(db, kiosk_id, record, at, now)
        else:
            return
        self.bus.wake()

    def _gap(self) -> float:
        return 3.0 * self.settings().heartbeat_seconds

    def on_heartbeat(self, kiosk_id: str, body: dict[str, Any], now: float) -> None:
        sent = body.get("sent_at")
        sent_at = _epoch(sent, now) if isinstance(sent, str) else None
        with self.db.transaction() as db:
            measured(db, kiosk_id, sent_at, now, self._gap())

    def _ticket_in(self, db: HubDB, kiosk_id: str, t: TicketRecord, created: float, now: float) -> None:
        # `created`: the hub's receipt time, or the kiosk's own time where its clock window allows (clock.py)
        row = db.one(f"INSERT INTO hall_tickets({_TICKET_COLS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                     f"ON CONFLICT(ticket_id) DO NOTHING RETURNING {_TICKET_COLS}",
                     (str(t.ticket_id), t.number, t.lane, kiosk_id, t.service_code, int(t.elderly),
                      created, now, created, "waiting", None, None, None, 0, None, 0))
        if row is not None:
            emit(db, "ticket", _row(_TICKET_COLS, row))

    def _help_in(self, db: HubDB, kiosk_id: str, h: HelpRequestRecord, at: float, now: float) -> None:
        row = db.one(f"INSERT INTO hall_help({_HELP_COLS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
                     f"ON CONFLICT(help_request_id) DO NOTHING RETURNING {_HELP_COLS}",
                     (str(h.help_request_id), kiosk_id, at, now,
                      int(h.elderly or h.priority), h.screen or None, h.item_code, "open", None, None, None, None))
        if row is not None:
            emit(db, "help", _row(_HELP_COLS, row))

    def _case_in(self, db: HubDB, kiosk_id: str, c: DifficultCaseRecord, at: float, now: float) -> None:
        # Only what the desk needs: item, step, reason (code and label), the case's ticket number. A phone
        # number the kiosk may send for a call-back stays in the sealed record, not here.
        label = c.reason_label
        row = db.one(f"INSERT INTO hall_cases({_CASE_COLS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                     f"ON CONFLICT(case_id) DO NOTHING RETURNING {_CASE_COLS}",
                     (str(c.id), kiosk_id, at, now, int(c.elderly or c.priority),
                      c.item_code, c.step, c.reason, label.zh if label else None, label.en if label else None,
                      c.number, "open", None, None, None))
        if row is not None:
            emit(db, "case", {**_row(_CASE_COLS, row), "notes": []})

    # --- counters ------------------------------------------------------------------------------------------
    def _ticket(self, ticket_id: str, *, lock: bool = False) -> dict[str, Any]:
        row = self.db.one(f"SELECT {_TICKET_COLS} FROM hall_tickets WHERE ticket_id=?"
                          + (self.db.dialect.for_update if lock else ""), (ticket_id,))
        if row is None:
            raise HallError(404, "没有这个号码", "No such ticket")
        return _row(_TICKET_COLS, row)

    def current(self, counter_id: str) -> dict[str, Any] | None:
        row = self.db.one(f"SELECT {_TICKET_COLS} FROM hall_tickets WHERE counter_id=? AND state='called' "
                          "ORDER BY called_at DESC", (counter_id,))
        return _row(_TICKET_COLS, row) if row else None

    def waiting(self) -> list[dict[str, Any]]:
        rows = self.db.query(f"SELECT {_TICKET_COLS} FROM hall_tickets WHERE state='waiting' "
                             "ORDER BY waiting_since, ticket_id LIMIT 500")
        return [_row(_TICKET_COLS, r) for r in rows]

    def call_order(self, counter_id: str, *, now: float | None = None) -> list[str]:
        """The waiting tickets this counter may call, in the order it would call them now (the order rule run
        forward from the hall's priority streak), so the list on the page is the real order."""
        s = self.settings()
        difficult_window = counter_id in s.difficult_counters
        row = self.db.one("SELECT priority_streak FROM hall_counters WHERE counter_id=?", (HALL_ROW,))
        streak = int(row[0]) if row else 0
        left = {t["ticket_id"]: Waiting(t["ticket_id"], t["lane"], float(t["waiting_since"])) for t in self.waiting()
                if t["lane"] != "difficult" or difficult_window}
        at = time.time() if now is None else now
        order: list[str] = []
        while left:
            choice = choose_next(left.values(), now=at, streak=streak, difficult_window=difficult_window,
                                 priority_ratio=s.priority_ratio, max_wait=s.max_wait_minutes * 60)
            if choice is None:
                break
            order.append(choice.ticket.ticket_id)
            streak = choice.streak
            del left[choice.ticket.ticket_id]
        return order

    def call_next(self, counter_id: str, *, now: float | None = None) -> dict[str, Any] | None:
        """Call the next ticket for this counter (the order rule), or None when nobody waits for it."""
        s = self.settings()
        difficult_window = counter_id in s.difficult_counters
        with self.db.transaction() as db:
            # The hall's one queue state row ("priority calls in a row" counts across all counters): locking it
            # orders call-next between counters and hub processes; a ticket is then claimed SKIP LOCKED.
            db.execute("INSERT INTO hall_counters(counter_id, priority_streak) VALUES (?,0) "
                       "ON CONFLICT(counter_id) DO NOTHING", (HALL_ROW,))
            streak_row = db.one("SELECT priority_streak FROM hall_counters WHERE counter_id=?"
                                + db.dialect.for_update, (HALL_ROW,))
            busy = db.one("SELECT number FROM hall_tickets WHERE counter_id=? AND state='called'", (counter_id,))
            if busy is not None:
                raise HallError(409, f"请先办结或过号当前的 {busy[0]} 号",
                                f"Finish ticket {busy[0]} first (served or no-show)")
            streak = int(streak_row[0]) if streak_row else 0
            rows = db.query("SELECT ticket_id, lane, waiting_since FROM hall_tickets WHERE state='waiting'"
                            + ("" if difficult_window else " AND lane <> 'difficult'"))
            candidates = {r[0]: Waiting(str(r[0]), str(r[1]), float(r[2])) for r in rows}
            at = time.time() if now is None else now
            while True:
                choice = choose_next(candidates.values(), now=at, streak=streak, difficult_window=difficult_window,
                                     priority_ratio=s.priority_ratio, max_wait=s.max_wait_minutes * 60)
                if choice is None:
                    return None
                tid = choice.ticket.ticket_id
                if not db.dialect.lock_if_free(db, "hall_tickets", "ticket_id", tid, "state='waiting'"):
                    del candidates[tid]  # another counter (maybe another hub process) is calling it right now
                    continue
                row = db.one(f"UPDATE hall_tickets SET state='called', counter_id=?, called_at=?, announced_at=?, "
                             f"recalls=0 WHERE ticket_id=? AND state='waiting' RETURNING {_TICKET_COLS}",
                             (counter_id, time.time(), time.time(), tid))
                if row is None:
                    del candidates[tid]
                    continue
                db.execute("UPDATE hall_counters SET priority_streak=? WHERE counter_id=?", (choice.streak, HALL_ROW))
                ticket = _row(_TICKET_COLS, row)
                emit(db, "ticket", ticket)
                emit(db, "call", ticket)
                break
        self.bus.wake()
        return ticket

    def _at_counter(self, db: HubDB, counter_id: str, ticket_id: str) -> dict[str, Any]:
        t = self._ticket(ticket_id, lock=True)
        if t["state"] != "called" or t["counter_id"] != counter_id:
            raise HallError(409, f"{t['number']} 号不在本窗口办理中", f"Ticket {t['number']} is not being served here")
        return t

    def _update(self, db: HubDB, sql: str, params: tuple[Any, ...], *topics: str) -> dict[str, Any]:
        row = db.one(f"UPDATE hall_tickets SET {sql} WHERE ticket_id=? RETURNING {_TICKET_COLS}", params)
        assert row is not None
        ticket = _row(_TICKET_COLS, row)
        for topic in topics:
            emit(db, topic, ticket)
        return ticket

    def recall(self, counter_id: str, ticket_id: str) -> dict[str, Any]:
        with self.db.transaction() as db:
            t = self._at_counter(db, counter_id, ticket_id)
            out = self._update(db, "recalls=?, announced_at=?", (t["recalls"] + 1, time.time(), ticket_id),
                               "ticket", "call")
        self.bus.wake()
        return out

    def served(self, counter_id: str, ticket_id: str) -> dict[str, Any]:
        with self.db.transaction() as db:
            self._at_counter(db, counter_id, ticket_id)
            out = self._update(db, "state='served', finished_at=?", (time.time(), ticket_id), "ticket")
        self.bus.wake()
        return out

    def no_show(self, counter_id: str, ticket_id: str, who: Person | None = None) -> dict[str, Any]:
        """The called person did not come (after two recalls); with `who`, undoable by them for 10 s."""
        with self.db.transaction() as db:
            t = self._at_counter(db, counter_id, ticket_id)
            if t["recalls"] < 2:
                raise HallError(409, f"请先重呼两次（已重呼 {t['recalls']} 次）再过号",
                                f"Recall twice before no-show (recalled {t['recalls']} times)")
            now = time.time()
            out = self._update(db, "state='no_show', finished_at=?", (now, ticket_id), "ticket")
            if who is not None:
                out = {**out, "undo": undo.remember(db, "no_show", ticket_id, who, t, out, now,
                                                    {"ticket": ticket_id, "number": t["number"],
                                                     "counter": counter_id})}
        self.bus.wake()
        return out

    def transfer(self, counter_id: str, ticket_id: str, lane: str, who: Person | None = None) -> dict[str, Any]:
        """Back to waiting in another lane (keeping the time waited); with `who`, undoable by them for 10 s."""
        if lane not in LANES:
            raise HallError(400, "没有这个队列", f"Unknown lane {lane!r}")
        with self.db.transaction() as db:
            t = self._at_counter(db, counter_id, ticket_id)
            out = self._update(db, "state='waiting', lane=?, counter_id=NULL, called_at=NULL, recalls=0, "
                                   "transfers=?", (lane, t["transfers"] + 1, ticket_id), "ticket")
            if who is not None:
                out = {**out, "undo": undo.remember(db, "transfer", ticket_id, who, t, out, time.time(),
                                                    {"ticket": ticket_id, "number": t["number"],
                                                     "counter": counter_id, "from": t["lane"], "to": lane})}
        self.bus.wake()
        return out

    def undo(self, undo_id: str, who: Person, *, now: float | None = None) -> dict[str, Any]:
        """Put back what a no-show, transfer or case close changed (undo.py holds the rules); the restored row."""
        with self.db.transaction() as db:
            entry = undo.load(db, undo_id)
            at = time.time() if now is None else now
            current: dict[str, Any] | None = None
            busy: str | None = None
            if entry is not None and entry.action in ("no_show", "transfer"):
                current = self._ticket(entry.target, lock=True)
                counter = entry.before.get("counter_id")
                if entry.before.get("state") == "called" and counter is not None:
                    # The ticket goes back to being served at its counter: that counter must not serve another.
                    row = db.one("SELECT number FROM hall_tickets WHERE counter_id=? AND state='called' "
                                 "AND ticket_id<>?", (counter, entry.target))
                    busy = str(row[0]) if row else None
            elif entry is not None:
                current = self._case(db, entry.target)
            refused = undo.refusal(entry, current, who, at, busy)
            if refused is not None:
                raise refused
            assert entry is not None
            undo.restore(db, entry, who, at)
            if entry.action == "close_case":
                out = self._case_changed(db, entry.target)
            else:
                out = self._ticket(entry.target)
                emit(db, "ticket", out)
        self.bus.wake()
        return {"undone": entry.action, "item": out}

    def recent_calls(self, limit: int = 6) -> list[dict[str, Any]]:
        rows = self.db.query(f"SELECT {_TICKET_COLS} FROM hall_tickets WHERE announced_at IS NOT NULL "
                             "AND state IN ('called','served') ORDER BY announced_at DESC LIMIT ?", (limit,))
        return [_row(_TICKET_COLS, r) for r in rows]

    # --- help requests -----------------------------------------------------------------------------------------
    def help_list(self, state: str | None = None) -> list[dict[str, Any]]:
        if state is not None and state not in ("open", "claimed", "resolved"):
            raise HallError(400, "状态只能是 open、claimed 或 resolved", "state must be open, claimed or resolved")
        where, params = ("WHERE state=?", (state,)) if state else ("WHERE state <> 'resolved'", ())
        rows = self.db.query(f"SELECT {_HELP_COLS} FROM hall_help {where} ORDER BY created_at, help_request_id "
                             "LIMIT 500", params)
        return [_row(_HELP_COLS, r) for r in rows]

    def help_get(self, help_id: str) -> dict[str, Any] | None:
        row = self.db.one(f"SELECT {_HELP_COLS} FROM hall_help WHERE help_request_id=?", (help_id,))
        return _row(_HELP_COLS, row) if row else None

    def claim(self, help_id: str, person: Person) -> dict[str, Any]:
        with self.db.transaction() as db:
            h = self._help_locked(db, help_id)
            if h["state"] == "resolved":
                raise HallError(409, "这个求助已经处理完毕", "This request is already resolved")
            if h["state"] == "claimed" and h["claimed_by"] != person.member_id:
                raise HallError(409, f"{h['claimed_name']} 已经接手", f"{h['claimed_name']} has already taken it")
            row = db.one(f"UPDATE hall_help SET state='claimed', claimed_by=?, claimed_name=?, claimed_at=? "
                         f"WHERE help_request_id=? RETURNING {_HELP_COLS}",
                         (person.member_id, person.display_name, time.time(), help_id))
            assert row is not None  # the help request is locked above: the UPDATE finds it
            out = _row(_HELP_COLS, row)
            emit(db, "help", out)
        self.bus.wake()
        return out

    def release(self, help_id: str, person: Person) -> dict[str, Any]:
        """A request claimed by mistake goes back to open (the one who claimed it, or staff)."""
        with self.db.transaction() as db:
            h = self._help_locked(db, help_id)
            if h["state"] != "claimed":
                raise HallError(409, "这个求助没有人接手", "Nobody has claimed this request")
            if h["claimed_by"] != person.member_id and person.role != "staff":
                raise HallError(403, f"这是 {h['claimed_name']} 接手的求助",
                                f"{h['claimed_name']} is handling this one")
            row = db.one(f"UPDATE hall_help SET state='open', claimed_by=NULL, claimed_name=NULL, claimed_at=NULL "
                         f"WHERE help_request_id=? RETURNING {_HELP_COLS}", (help_id,))
            assert row is not None  # the row was read above inside this transaction
            out = _row(_HELP_COLS, row)
            emit(db, "help", out)
        self.bus.wake()
        return out

    def resolve(self, help_id: str, person: Person) -> dict[str, Any]:
        with self.db.transaction() as db:
            h = self._help_locked(db, help_id)
            if h["state"] == "resolved":
                return h
            if h["state"] == "claimed" and h["claimed_by"] != person.member_id and person.role != "staff":
                raise HallError(403, f"这是 {h['claimed_name']} 接手的求助",
                                f"{h['claimed_name']} is handling this one")
            row = db.one(f"UPDATE hall_help SET state='resolved', resolved_at=?, claimed_by=COALESCE(claimed_by, ?), "
                         f"claimed_name=COALESCE(claimed_name, ?) WHERE help_request_id=? RETURNING {_HELP_COLS}",
                         (time.time(), person.member_id, person.display_name, help_id))
            assert row is not None  # the help request is locked above: the UPDATE finds it
            out = _row(_HELP_COLS, row)
            emit(db, "help", out)
        self.bus.wake()
        return out

    def _help_locked(self, db: HubDB, help_id: str) -> dict[str, Any]:
        row = db.one(f"SELECT {_HELP_COLS} FROM hall_help WHERE help_request_id=?"
                     + db.dialect.for_update, (help_id,))
        if row is None:
            raise HallError(404, "没有这个求助", "No such help request")
        return _row(_HELP_COLS, row)

    # --- difficult cases ----------------------------------------------------------------------------------------
    def cases(self, include_closed: bool = False) -> list[dict[str, Any]]:
        rows = self.db.query(f"SELECT {_CASE_COLS} FROM hall_cases "
                             + ("" if include_closed else "WHERE state <> 'closed' ") + "ORDER BY created_at LIMIT 500")
        items = [_row(_CASE_COLS, r) for r in rows]
        notes: dict[str, list[dict[str, Any]]] = {c["case_id"]: [] for c in items}
        if items:
            marks = ",".join("?" * len(items))
            for cid, at, author_name, text in self.db.query(
                    f"SELECT case_id, at, author_name, text FROM hall_case_notes WHERE case_id IN ({marks}) "
                    "ORDER BY id", list(notes)):
                notes[cid].append({"at": at, "author_name": author_name, "text": text})
        for c in items:
            c["notes"] = notes[c["case_id"]]
        return items

    def _case(self, db: HubDB, case_id: str) -> dict[str, Any]:
        row = db.one(f"SELECT {_CASE_COLS} FROM hall_cases WHERE case_id=?" + db.dialect.for_update,
                     (case_id,))
        if row is None:
            raise HallError(404, "没有这个疑难件", "No such case")
        return _row(_CASE_COLS, row)

    def _case_changed(self, db: HubDB, case_id: str) -> dict[str, Any]:
        case = self._case(db, case_id)
        case["notes"] = [{"at": r[0], "author_name": r[1], "text": r[2]} for r in db.query(
            "SELECT at, author_name, text FROM hall_case_notes WHERE case_id=? ORDER BY id", (case_id,))]
        emit(db, "case", case)
        return case

    def assign(self, case_id: str, person: Person, to: Person | None = None) -> dict[str, Any]:
        who = to or person
        with self.db.transaction() as db:
            if self._case(db, case_id)["state"] == "closed":
                raise HallError(409, "这个疑难件已经结案", "This case is closed")
            db.execute("UPDATE hall_cases SET state='assigned', assigned_to=?, assigned_name=? WHERE case_id=?",
                       (who.member_id, who.display_name, case_id))
            out = self._case_changed(db, case_id)
        self.bus.wake()
        return out

    def note(self, case_id: str, person: Person, text: str) -> dict[str, Any]:
        text = text.strip()
        if not text or len(text) > 500:
            raise HallError(400, "备注不能为空，最多500字", "A note needs 1 to 500 characters")
        if _PERSONAL.search(text.replace(" ", "")):
            raise HallError(400, "备注里不要写身份证号或手机号", "Do not put ID or phone numbers in a note")
        with self.db.transaction() as db:
            self._case(db, case_id)
            db.execute("INSERT INTO hall_case_notes(case_id, at, author, author_name, text) VALUES (?,?,?,?,?)",
                       (case_id, time.time(), person.member_id, person.display_name, text))
            out = self._case_changed(db, case_id)
        self.bus.wake()
        return out

    def close_case(self, case_id: str, person: Person, *, undoable: bool = False) -> dict[str, Any]:
        """Close a case (its assignee stays, or becomes the one closing it); `undoable`: for 10 s, by `person`."""
        with self.db.transaction() as db:
            before = self._case(db, case_id)
            now = time.time()
            db.execute("UPDATE hall_cases SET state='closed', closed_at=?, assigned_to=COALESCE(assigned_to, ?), "
                       "assigned_name=COALESCE(assigned_name, ?) WHERE case_id=?",
                       (now, person.member_id, person.display_name, case_id))
            out = self._case_changed(db, case_id)
            if undoable:
                out = {**out, "undo": undo.remember(db, "close_case", case_id, person, before, out, now,
                                                    {"case": case_id})}
        self.bus.wake()
        return out

    # --- fleet and time-driven views --------------------------------------------------------------------------
    def fleet(self, now: float | None = None) -> list[dict[str, Any]]:
        """Each kiosk: online unless 3 heartbeats in a row are missing; outbox, devices and version."""
        from sync.hub.placement import clashes_by_kiosk, placements

        now = time.time() if now is None else now
        limit = 3 * self.settings().heartbeat_seconds
        places, clashes = placements(self.db), clashes_by_kiosk(self.db)  # hall, slot, place; shared numbers
        out = []
        clocks = clock_of(self.db)
        for k in self.hub.fleet.kiosks():
            body = k.get("body") or {}
            seen = _epoch(k.get("last_seen"), 0.0) if k.get("last_seen") else None
            raw_outbox, raw_devices = body.get("outbox"), body.get("devices")
            outbox = raw_outbox if isinstance(raw_outbox, dict) else {}
            devices = raw_devices if isinstance(raw_devices, dict) else {}
            out.append({"kiosk_id": k["kiosk_id"], "last_seen": seen,
                        "online": seen is not None and now - seen <= limit,
                        "version": body.get("version"), "pending": outbox.get("pending"),
                        "oldest_age_s": outbox.get("oldest_age_s"),
                        "clock": clocks.get(k["kiosk_id"], {"offset_s": None, "flagged": 0, "flagged_last": None}),
                        "devices": {str(n): {"state": d.get("state"), "message": d.get("message")}
                                    for n, d in devices.items() if isinstance(d, dict)}})
            place = places.get(k["kiosk_id"])
            out[-1].update(hall=place.hall if place else None, slot=place.slot if place else None,
                           location=place.location if place else "", clashes=clashes.get(k["kiosk_id"], []))
        return out

    def alerts(self, now: float | None = None) -> dict[str, Any]:
        now = time.time() if now is None else now
        s = self.settings()
        cutoff = now - s.help_alert_minutes * 60
        rows = self.db.query("SELECT help_request_id, kiosk_id, created_at FROM hall_help WHERE state='open' "
                             "AND created_at < ? ORDER BY created_at", (cutoff,))
        return {"help_unclaimed": [{"help_request_id": r[0], "kiosk_id": r[1], "minutes": int((now - r[2]) // 60)}
                                   for r in rows], "alert_minutes": s.help_alert_minutes}

    def _tick(self, wanted: set[str]) -> list[dict[str, Any]]:
        events = []
        if "alerts" in wanted:
            events.append({"topic": "alerts", "item": self.alerts()})
        if "fleet" in wanted:
            events.append({"topic": "fleet", "item": {"kiosks": self.fleet()}})
        return events
