"""The worker-thread lifecycle every device driver shares: start, stop with a bounded join, context manager.

Card readers and code scanners subclass it and implement `_guarded_run` (their loop) and, where they block,
`_wake` (to interrupt the wait so `stop()` returns quickly).
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from typing import Self

log = logging.getLogger(__name__)


class DeviceWorker(ABC):
    """One daemon thread per device; `_stop` is the event the loop watches."""

    name: str = "device"
    thread_prefix: str = "device"

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._guarded_run, name=f"{self.thread_prefix}-{self.name}",
                                        daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> None:
        """Ask the worker to finish and wait for it (each driver bounds its blocking calls to keep this quick)."""
        self._stop.set()
        self._wake()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
            if thread.is_alive():  # kept, so `running` tells the truth
                log.warning("%s %s did not stop within %.1f s", self.thread_prefix, self.name, timeout)
                return
        self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _wake(self) -> None:  # noqa: B027 - optional hook, most drivers poll with short timeouts
        """Interrupt a blocking wait in the loop (override where a driver can)."""

    @abstractmethod
    def _guarded_run(self) -> None:
        """The loop, with the driver's own fault handling; returns when `self._stop` is set."""
