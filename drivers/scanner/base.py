"""What every code scanner shares: a worker thread with start/stop, the one-event-per-presented-code filter,
and callbacks that a faulty listener cannot break.
"""

from __future__ import annotations

import logging
import threading
import time
from abc import abstractmethod
from collections.abc import Callable

from drivers.events import ScanCallback, ScanEvent
from drivers.worker import DeviceWorker
from kiosk.locale import phrase
from kiosk.messages import KioskError

log = logging.getLogger(__name__)

ErrorCallback = Callable[[KioskError], None]


def scanner_error(kind: str, detail: str | None = None) -> KioskError:
    """A scanner fault; its words are the catalog's `drivers.scanner.<kind>`."""
    return KioskError(kind, phrase("drivers.scanner." + kind), detail=detail)


class RepeatFilter:
    """The same payload seen again within `window` seconds of its last sighting is the same presentation.

    A code held in front of the camera for ten seconds is one event; shown again after a pause, a new one.
    """

    def __init__(self, window: float = 3.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self._clock = clock
        self._last: dict[str, float] = {}

    def accept(self, payload: str, now: float | None = None) -> bool:
        t = self._clock() if now is None else now
        last = self._last.get(payload)
        self._last[payload] = t
        if len(self._last) > 64:  # forget codes not seen for a while
            self._last = {p: s for p, s in self._last.items() if t - s <= self.window}
        return last is None or t - last > self.window


class CodeScanner(DeviceWorker):
    """Base of all scanners: `start()` launches the worker thread, `stop()` ends and joins it."""

    name: str = "scanner"
    thread_prefix = "scanner"

    def __init__(self, callback: ScanCallback, *, on_error: ErrorCallback | None = None,
                 repeat_seconds: float = 3.0) -> None:
        super().__init__()
        self._callback = callback
        self._on_error = on_error
        self.repeats = RepeatFilter(repeat_seconds)
        self.finished = threading.Event()  # set when the worker loop has ended (e.g. end of a video file)

    def start(self) -> None:
        if not self.running:
            self.finished.clear()
        super().start()

    @abstractmethod
    def _run(self) -> None:
        """The worker loop; returns when `self._stop` is set (or the source has ended)."""

    def _guarded_run(self) -> None:
        try:
            self._run()
        except Exception:
            log.exception("scanner %s worker crashed", self.name)
            self._error(scanner_error("scanner_failed", detail="worker crashed"))
        finally:
            self.finished.set()

    def _emit(self, payload: str, *, dedupe: bool = True) -> bool:
        """Deliver one payload (unless it repeats a recent one). Returns whether an event went out."""
        if not payload or (dedupe and not self.repeats.accept(payload)):
            return False
        try:
            self._callback(ScanEvent(payload=payload, source=self.name))
        except Exception:  # a faulty listener must not stop the scanner; the payload is never logged
            log.exception("scan callback failed")
        return True

    def _error(self, error: KioskError) -> None:
        log.info("scanner %s error %s (%s)", self.name, error.kind, error.detail or "")
        if self._on_error is not None:
            try:
                self._on_error(error)
            except Exception:
                log.exception("scanner error callback failed")
