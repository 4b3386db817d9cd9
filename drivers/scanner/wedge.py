"""Keyboard-wedge USB scanners type the code as keystrokes ending in Enter. This Qt-free detector tells such a
burst from a person typing by inter-key timing; the Qt key capture in `ui/` feeds it keys and timestamps.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from drivers.events import ScanCallback, ScanEvent
from drivers.scanner.base import RepeatFilter

log = logging.getLogger(__name__)

# Scanners type a key every 1–15 ms; even fast typists leave 60 ms or more between most keys. A short burst of
# fast keys can happen by rolling over two keys, so a scan also needs a minimum length.
DEFAULT_MAX_GAP = 0.035
DEFAULT_MIN_LENGTH = 6


class WedgeBurstDetector:
    """Feed every printable key with `feed_text(text, t)` and Enter with `feed_enter(t)` (t in seconds, one clock).

    `feed_enter` returns True when the keys before it were a scan (the UI then drops them and the Enter); the
    scan goes to `callback` as a `ScanEvent` with source "wedge". Text typed by a person is never reported.
    """

    name = "wedge"

    def __init__(self, callback: ScanCallback, *, max_gap: float = DEFAULT_MAX_GAP,
                 min_length: int = DEFAULT_MIN_LENGTH, repeat_seconds: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._callback = callback
        self.max_gap = max_gap
        self.min_length = min_length
        self._clock = clock
        self.repeats = RepeatFilter(repeat_seconds, clock)
        self._run: list[str] = []  # the current run of fast keys
        self._last: float | None = None

    # Same start/stop surface as the threaded scanners (nothing to run: the UI thread feeds it).
    def start(self) -> None:
        self.reset()

    def stop(self, timeout: float = 0.0) -> None:
        self.reset()

    def reset(self) -> None:
        self._run = []
        self._last = None

    def _gap_ok(self, t: float) -> bool:
        return self._last is not None and 0 <= t - self._last <= self.max_gap

    def feed_text(self, text: str, t: float | None = None) -> None:
        t = self._clock() if t is None else t
        if not text:
            return
        if not self._gap_ok(t):
            self._run = []  # a slow gap: whatever came before was typed by a person
        self._run.append(text)
        self._last = t

    def in_burst(self, t: float | None = None) -> bool:
        """True while keys are arriving at scanner speed (the UI may hold them back from the focused field)."""
        t = self._clock() if t is None else t
        return bool(self._run) and self._gap_ok(t)

    def feed_enter(self, t: float | None = None) -> bool:
        t = self._clock() if t is None else t
        payload = "".join(self._run)
        is_scan = len(payload) >= self.min_length and self._gap_ok(t)
        self.reset()
        if not is_scan:
            return False
        if self.repeats.accept(payload, t):
            try:
                self._callback(ScanEvent(payload=payload, source=self.name))
            except Exception:
                log.exception("scan callback failed")
        return True
