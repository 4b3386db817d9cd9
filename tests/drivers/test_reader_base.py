"""The reader base class: a worker loop that fails is reported and started again, stop() joins it."""

from __future__ import annotations

import queue

from drivers.events import ReaderEvent, ReaderEventKind
from drivers.reader import CardReader


class _FlakyReader(CardReader):
    """Fails on its first run (a bug in a driver), then behaves."""

    name = "flaky"

    def __init__(self, callback: queue.Queue[ReaderEvent]) -> None:
        super().__init__(callback.put)
        self.runs = 0

    def _run(self) -> None:
        self.runs += 1
        if self.runs == 1:
            raise RuntimeError("driver bug")
        self._emit(ReaderEventKind.READER_CONNECTED)
        self._stop.wait()


def test_failed_worker_is_reported_and_restarted() -> None:
    events: queue.Queue[ReaderEvent] = queue.Queue()
    reader = _FlakyReader(events)
    reader.start()
    try:
        first = events.get(timeout=5)
        assert first.kind == ReaderEventKind.ERROR and first.error is not None
        assert first.error.kind == "unknown_error" and first.error.message.zh
        assert events.get(timeout=5).kind == ReaderEventKind.READER_CONNECTED
    finally:
        reader.stop(timeout=5)
    assert not reader.running and reader.runs == 2
