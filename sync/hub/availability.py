"""Whether the hub's database answers: the error a request gets when it does not, and one log line per change.

Requests that meet an unreachable database raise `DatabaseUnavailableError`; the app answers 503 with `Retry-After`
and no traceback. `Availability` writes one line when the database goes (with the cause) and one when it is back.
"""

from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger("sync.hub.db")
RETRY_AFTER_S = 5


class DatabaseUnavailableError(Exception):
    """The database refused, did not answer in time, or no connection was free in time."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


def first_line(exc: BaseException) -> str:
    """A short cause for the log: the exception's type and first line (never a URL, so never a password)."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


class Availability:
    """The database as this process last saw it. `failed()` and `ok()` are called by every statement.

    Back means a success with no failure for `SETTLE_S`: while a server shuts down its connections end a few
    milliseconds apart, and a statement that slipped through on one of them does not mean it is back.
    """

    SETTLE_S = 1.0

    def __init__(self) -> None:
        self._down_since: float | None = None
        self._last_failure = 0.0
        self._lock = threading.Lock()
        self.cause = ""

    @property
    def available(self) -> bool:
        return self._down_since is None

    def failed(self, cause: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._last_failure = now
            if self._down_since is not None:
                return
            self._down_since = now
            self.cause = cause
        log.warning("database unavailable: %s", cause)

    def ok(self) -> None:
        if self._down_since is None:  # the common case, without the lock
            return
        now = time.monotonic()
        with self._lock:
            if self._down_since is None or now - self._last_failure < self.SETTLE_S:
                return
            down_for = now - self._down_since
            self._down_since = None
            self.cause = ""
        log.warning("database reachable again after %.1f s", down_for)
