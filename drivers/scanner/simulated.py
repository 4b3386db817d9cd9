"""Simulated scanner for the demo and tests: emits payloads from a list or a file (one per line, `#` comments)
when asked, on its own worker thread like a real scanner.
"""

from __future__ import annotations

import queue
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from drivers.events import ScanCallback
from drivers.scanner.base import CodeScanner, ErrorCallback
from kiosk.locale import phrase
from kiosk.messages import KioskError


def load_payloads(path: Path | None = None) -> list[str]:
    """Payload lines of `path` (default: the demo codes bundled with kiosk.codes)."""
    try:
        text = path.read_text(encoding="utf-8") if path is not None else \
            resources.files("kiosk.codes").joinpath("data", "demo_codes.txt").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KioskError("simulated_codes_invalid",
                         phrase("drivers.scanner.simulated.simulated_codes_invalid", path=path),
                         detail=type(exc).__name__) from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


class SimulatedScanner(CodeScanner):
    name = "simulated"

    def __init__(self, callback: ScanCallback, payloads: Sequence[str] | None = None, *, path: Path | None = None,
                 on_error: ErrorCallback | None = None) -> None:
        super().__init__(callback, on_error=on_error, repeat_seconds=0.0)
        self.payloads = list(payloads) if payloads is not None else load_payloads(path)
        self._queue: queue.Queue[str | None] = queue.Queue()

    def present(self, which: int | str) -> None:
        """Show code number `which` (index into `payloads`) or the given payload text to the scanner."""
        payload = self.payloads[which] if isinstance(which, int) else which
        self._queue.put(payload)

    def _wake(self) -> None:
        self._queue.put(None)

    def _run(self) -> None:
        while not self._stop.is_set():
            item = self._queue.get()
            if item is None:
                continue
            self._emit(item, dedupe=False)  # each request is a deliberate presentation
