"""Bridges from worker threads to the GUI thread: device and sync callbacks become queued Qt signals, and
blocking work (database writes, printing) runs on worker threads with its result delivered by signal.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent

from drivers.events import ReaderEvent, ScanEvent
from sync.status import SyncStatus

log = logging.getLogger(__name__)


class DeviceBridge(QObject):
    """Plain callbacks for drivers and the sync worker (any thread) → signals on the GUI thread.

    The QObject lives on the GUI thread; emitting from another thread makes Qt queue the call.
    """

    reader_event = Signal(object)
    scan_event = Signal(object)
    sync_status = Signal(object)
    # (device, ok, message): device is "card_reader" | "scanner" | "printer" | "hub"; message is a plain
    # zh/en `Message` (or str) when not ok, else None. The window renders what still works from it.
    device_status = Signal(str, bool, object)

    def on_reader(self, event: ReaderEvent) -> None:
        self.reader_event.emit(event)

    def on_scan(self, event: ScanEvent) -> None:
        self.scan_event.emit(event)

    def on_sync_status(self, status: SyncStatus) -> None:
        self.sync_status.emit(status)

    def on_device_status(self, device: str, ok: bool, message: Any = None) -> None:
        self.device_status.emit(device, ok, message)


class TaskRunner(QObject):
    """One worker thread with its own `Store` (SQLite connections are per thread); results come back by signal."""

    _finished = Signal(object, object, object)  # callback, result, error

    def __init__(self, data_dir: Path, name: str = "kiosk-db", *, with_store: bool = True) -> None:
        super().__init__()
        self._data_dir = data_dir
        self._with_store = with_store  # False: jobs get None (the paper worker renders and spools, no database)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._local = threading.local()
        self._stores: list[Any] = []
        self._finished.connect(self._deliver)
        self.pending = 0

    def _store(self) -> Any:
        store = getattr(self._local, "store", None)
        if store is None:
            from kiosk.store import open_store

            store = open_store(self._data_dir)
            self._local.store = store
            self._stores.append(store)
        return store

    def submit(self, fn: Callable[[Any], Any], on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> None:
        """Run `fn(store)` on the worker; `on_done(result)` or `on_error(exc)` later on the GUI thread."""
        self.pending += 1

        def job() -> None:
            try:
                result = fn(self._store() if self._with_store else None)
            except BaseException as exc:  # delivered to the GUI thread, which shows a plain message
                self._finished.emit(on_error, None, exc)
            else:
                self._finished.emit(on_done, result, None)

        self._pool.submit(job)

    def _deliver(self, callback: Callable[..., None] | None, result: Any, error: BaseException | None) -> None:
        self.pending -= 1
        if error is not None:
            if callback is None:
                log.error("background task failed: %s", type(error).__name__)
                return
            callback(error)
        elif callback is not None:
            callback(result)

    def shutdown(self) -> None:
        def close_all() -> None:
            for s in self._stores:
                s.close()
            self._stores.clear()

        self._pool.submit(close_all)
        self._pool.shutdown(wait=True)


class WedgeKeyFilter(QObject):
    """Feeds every key press to a keyboard-wedge scanner's burst detector (`drivers.scanner.wedge`) and swallows
    the keys of a scan, so a scanned code never lands in the field that has the focus."""

    def __init__(self, detector: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.detector = detector

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Each key reaches the QWindow first, then widgets (and parents): feed the detector once, at the window.
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent) or not watched.isWindowType():
            return False
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return bool(self.detector.feed_enter())
        text = event.text()
        if text and text.isprintable():
            fast = self.detector.in_burst()  # asked before this key: did it follow the last one at scanner speed?
            self.detector.feed_text(text)
            return bool(fast)  # only the first key of a scan reaches the field; a person's keys all do
        return False
