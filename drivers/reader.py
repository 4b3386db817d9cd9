"""The card-reader interface every reader driver implements: start/stop a worker thread, deliver `ReaderEvent`s.

Callbacks run on the reader's own thread (never the GUI thread); an exception in a callback is logged and
swallowed so a faulty listener cannot kill the reader loop.
"""

from __future__ import annotations

import logging
from abc import abstractmethod

from drivers.events import ReaderCallback, ReaderEvent, ReaderEventKind
from drivers.worker import DeviceWorker
from kiosk.identity.record import IdentityRecord
from kiosk.locale import phrase
from kiosk.messages import KioskError

log = logging.getLogger(__name__)

_RESTARTED = phrase("drivers.reader._restarted")


class CardReader(DeviceWorker):
    """Base of all card readers: `start()` launches the worker thread, `stop()` ends it and joins it quickly."""

    name: str = "reader"

    thread_prefix = "reader"

    def __init__(self, callback: ReaderCallback) -> None:
        super().__init__()
        self._callback = callback

    @abstractmethod
    def _run(self) -> None:
        """The worker loop; returns when `self._stop` is set."""

    def _guarded_run(self) -> None:
        while not self._stop.is_set():
            try:
                self._run()
                return
            except Exception:  # a bug must not leave the kiosk without a reader: report, pause, start again
                log.exception("reader %s worker failed; restarting it", self.name)
                self._emit_error(KioskError("unknown_error", _RESTARTED, detail="worker restarted"))
                self._stop.wait(1.0)

    # -- event helpers -------------------------------------------------------------------------------------
    def _emit(self, kind: ReaderEventKind, *, reader: str = "", record: IdentityRecord | None = None,
              error: KioskError | None = None) -> None:
        try:
            self._callback(ReaderEvent(kind, reader=reader or self.name, record=record, error=error))
        except Exception:
            log.exception("reader callback failed for %s", kind.value)

    def _emit_error(self, error: KioskError, reader: str = "") -> None:
        # Only kind and detail are logged: detail never carries personal data (see KioskError).
        log.info("reader %s error %s (%s)", reader or self.name, error.kind, error.detail or "")
        self._emit(ReaderEventKind.ERROR, reader=reader, error=error)
