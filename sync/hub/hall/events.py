"""Live updates: hall changes become events that reach every open page of every hub process.

An event is written inside the transaction that made the change, so it exists exactly when the change does:
on PostgreSQL as `pg_notify` (delivered at commit to every process LISTENing, no broker); on SQLite as a row
of `hall_events`, which each process's dispatcher reads in commit order (woken at once in-process, polled
otherwise). One dispatcher thread per process fans events out to the asyncio queues of its open SSE streams.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sync.hub.availability import DatabaseUnavailableError
from sync.hub.db import HubDB

log = logging.getLogger(__name__)
CHANNEL = "hall_events"
POLL_S = 0.2  # SQLite: how often other processes' events are looked for
TICK_S = 5.0  # time-driven views (help alerts, kiosks going offline) are recomputed this often
KEEP_S = 3600.0  # SQLite event rows older than this are pruned


def emit(db: HubDB, topic: str, item: dict[str, Any]) -> None:
    """Record an event inside the caller's transaction (it is published only if that transaction commits)."""
    data = json.dumps({"topic": topic, "item": item}, ensure_ascii=False, separators=(",", ":"))
    db.dialect.publish(db, CHANNEL, topic, data)


@dataclass(eq=False)
class Subscriber:
    topics: frozenset[str]
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[dict[str, Any]] = field(default_factory=lambda: asyncio.Queue(maxsize=1000))

    overflowed: bool = False  # events were dropped (a stalled page): it gets a fresh snapshot instead

    def put(self, event: dict[str, Any]) -> None:
        """On the page's event loop."""
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.overflowed = True


def _deliver(items: list[tuple[Subscriber, dict[str, Any]]]) -> None:
    for sub, event in items:
        sub.put(event)


class EventBus:
    """The per-process dispatcher. `ticker()` (optional) returns time-driven events every TICK_S."""

    def __init__(self, db: HubDB, ticker: Callable[[set[str]], list[dict[str, Any]]] | None = None) -> None:
        self.db = db
        self.ticker = ticker
        self._subs: set[Subscriber] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_seq = 0
        self._listen_conn: Any = None
        self._ready = threading.Event()  # the dispatcher is reading events

    # --- subscribers ------------------------------------------------------------------------------------
    async def subscribe(self, topics: set[str], wait_s: float = 5.0) -> Subscriber:
        """A page's subscription. Waits (off the loop) until the dispatcher reads events, so the page's snapshot,
        taken next, misses nothing; if it does not within `wait_s` (the database is away), the page gets
        `reload` once it does."""
        self._ensure_started()
        if not self._ready.is_set():
            await asyncio.get_running_loop().run_in_executor(None, self._ready.wait, wait_s)
        sub = Subscriber(frozenset(topics), asyncio.get_running_loop())
        with self._lock:
            self._subs.add(sub)
        return sub

    def unsubscribe(self, sub: Subscriber) -> None:
        with self._lock:
            self._subs.discard(sub)

    def subscriber_count(self) -> int:
        with self._lock:
            return len(self._subs)

    def wake(self) -> None:
        """A change was just committed in this process (SQLite): look now rather than at the next poll."""
        self._wake.set()

    def _fan_out_many(self, events: list[dict[str, Any]]) -> None:
        """One hand-over per event loop for the whole batch, not one per event and page: each hand-over wakes the
        loop (a write to its self-pipe, which gives up the GIL), and under a hall's load (30 pages, 20 tickets/s,
        three events a ticket) those wake-ups alone kept the loop seconds behind."""
        with self._lock:
            subs = list(self._subs)
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[Subscriber, dict[str, Any]]]] = {}
        for event in events:
            topic = event.get("topic")
            for s in subs:
                if topic in s.topics or topic == "reload":
                    by_loop.setdefault(s.loop, []).append((s, event))
        for loop, items in by_loop.items():
            with contextlib.suppress(RuntimeError):  # the pages' loop has closed
                loop.call_soon_threadsafe(_deliver, items)

    # --- the dispatcher thread -------------------------------------------------------------------------------
    def _ensure_started(self) -> None:
        """Start the dispatcher; no database work here, as this runs on the event loop. The dispatcher sends
        `reload` to every page once it is listening, so a page that subscribed before then fetches again."""
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run, name="hall-events", daemon=True)
            self._thread.start()

    def _pg_listen(self) -> Any:
        conn = self.db.connect_direct(statement_timeout=False)
        try:
            conn.execute(f"LISTEN {CHANNEL}")
        except Exception as exc:
            with contextlib.suppress(Exception):
                conn.close()
            raise self.db.lost(exc) from exc
        return conn

    def _begin(self) -> None:
        """(Re)start reading events: PostgreSQL LISTENs on a connection of its own; SQLite reads from the end."""
        if self.db.dialect.notifies:
            self._listen_conn = self._pg_listen()
        else:
            row = self.db.one("SELECT COALESCE(MAX(seq), 0) FROM hall_events")
            self._last_seq = int(row[0]) if row else 0
        # Pages that subscribed before the dispatcher was listening (they waited in vain) may have missed events:
        # they fetch again. Said before `ready`, so a page waiting for it subscribes after the word and takes its
        # snapshot from a dispatcher already reading: no needless reload (a fresh page once got one right after
        # its snapshot, when its wake-up raced this line).
        self._fan_out_all({"topic": "reload", "item": {}})
        self._ready.set()

    def _run(self) -> None:
        next_tick = time.monotonic()
        next_prune = time.monotonic() + 60
        started = down = False
        while not self._stop.is_set():
            try:
                if down and not self.db.ping():
                    self._stop.wait(1.0)
                    continue
                if not started or down:
                    self._close_listen()
                    self._begin()
                    started, down = True, False
                if self.db.dialect.notifies:
                    self._pg_once()
                else:
                    self._sqlite_once()
                now = time.monotonic()
                if self.ticker is not None and now >= next_tick:
                    next_tick = now + TICK_S
                    with self._lock:
                        wanted = set().union(*(s.topics for s in self._subs)) if self._subs else set()
                    if wanted:
                        self._fan_out_many(self.ticker(wanted))
                if not self.db.dialect.notifies and now >= next_prune:
                    next_prune = now + 300
                    with self.db.transaction():
                        self.db.execute("DELETE FROM hall_events WHERE at < ?", (time.time() - KEEP_S,))
            except DatabaseUnavailableError:
                # Logged once by the database's availability; pages hear it and fetch again when it is back.
                if not self.db.availability.available and not down:
                    down = True
                    self._ready.clear()
                    self._fan_out_all({"topic": "unavailable", "item": {}})
                self._stop.wait(1.0)
            except Exception:  # the dispatcher must outlive anything else too; pages reload on reconnect
                log.exception("hall event dispatcher")
                down = True
                self._ready.clear()
                self._stop.wait(1.0)

    def _close_listen(self) -> None:
        if self._listen_conn is not None:
            with contextlib.suppress(Exception):
                self._listen_conn.close()
            self._listen_conn = None

    def _pg_once(self) -> None:
        import psycopg

        try:
            for note in self._listen_conn.notifies(timeout=0.5, stop_after=200):
                try:  # each as it arrives: the generator returns only after its timeout or 200 notes
                    self._fan_out_many([json.loads(note.payload)])
                except ValueError:
                    continue
        except psycopg.Error as exc:
            raise self.db.lost(exc) from exc

    def _fan_out_all(self, event: dict[str, Any]) -> None:
        self._fan_out_many([event])  # topic "reload": every page

    def _sqlite_once(self) -> None:
        woken = self._wake.wait(POLL_S)
        self._wake.clear()
        rows = self._sqlite_read()
        # Woken by an ingest listener, which runs before its transaction commits: look again shortly.
        for _ in range(10 if woken and not rows else 0):
            if self._stop.wait(0.01):
                return
            rows = self._sqlite_read()
            if rows:
                break
        self._sqlite_dispatch(rows)

    def _sqlite_read(self) -> list[tuple[Any, ...]]:
        return self.db.query("SELECT seq, data FROM hall_events WHERE seq > ? ORDER BY seq LIMIT 1000",
                             (self._last_seq,))

    def _sqlite_dispatch(self, rows: list[tuple[Any, ...]]) -> None:
        events = []
        for seq, data in rows:
            self._last_seq = int(seq)
            with contextlib.suppress(ValueError):
                events.append(json.loads(data))
        self._fan_out_many(events)

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(3)
        self._close_listen()
