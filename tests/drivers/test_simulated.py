"""The simulated reader: demo cards load, inserts/removals arrive as events on the worker thread."""

from __future__ import annotations

import datetime as dt
import queue
import threading

from drivers.events import ReaderEvent, ReaderEventKind
from drivers.simulated import SimulatedReader, load_cards
from kiosk.identity.record import CardType


def _next(q: queue.Queue[ReaderEvent]) -> ReaderEvent:
    return q.get(timeout=5)


def test_demo_cards_cover_every_kind_with_valid_numbers() -> None:
    cards = load_cards()
    types = [c.record.card_type for c in cards]
    assert set(types) == {CardType.RESIDENT, CardType.HK_MACAO_TAIWAN_PERMIT,
                          CardType.FOREIGN_PERMANENT_RESIDENT, CardType.BADGE}
    day = dt.date(2026, 11, 27)
    ages = sorted(c.record.age(day) for c in cards if c.record.card_type == CardType.RESIDENT)
    assert ages == [35, 72]
    for c in cards:
        if c.record.id_number is not None:
            assert c.record.id_number_valid, c.label.en
    assert all(c.label.zh and c.label.en for c in cards)


def test_insert_remove_events_on_worker_thread() -> None:
    q: queue.Queue[ReaderEvent] = queue.Queue()
    threads: set[str] = set()

    def cb(ev: ReaderEvent) -> None:
        threads.add(threading.current_thread().name)
        q.put(ev)

    reader = SimulatedReader(cb)
    reader.start()
    try:
        assert _next(q).kind == ReaderEventKind.READER_CONNECTED
        reader.insert(0)
        assert _next(q).kind == ReaderEventKind.CARD_PRESENT
        ev = _next(q)
        assert ev.kind == ReaderEventKind.IDENTITY and ev.record is not None
        assert ev.record.name == reader.cards[0].record.name
        ev.record.wipe()  # the session wipes its copy; the next insert must not be spoiled
        reader.insert(0)
        assert _next(q).kind == ReaderEventKind.CARD_REMOVED
        assert _next(q).kind == ReaderEventKind.CARD_PRESENT
        again = _next(q)
        assert again.record is not None and again.record.name == reader.cards[0].record.name
        reader.remove()
        assert _next(q).kind == ReaderEventKind.CARD_REMOVED
        reader.fail("read_failed")
        err = _next(q)
        assert err.kind == ReaderEventKind.ERROR and err.error is not None and err.error.kind == "read_failed"
        reader.unplug()
        assert _next(q).kind == ReaderEventKind.READER_DISCONNECTED
        reader.insert(1)
        err = _next(q)
        assert err.error is not None and err.error.kind == "no_reader"
        reader.plug()
        assert _next(q).kind == ReaderEventKind.READER_CONNECTED
    finally:
        reader.stop()
    assert not reader.running
    assert threads == {"reader-simulated"}
