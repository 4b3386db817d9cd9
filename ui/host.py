"""What the screens and the effect runner use of the window: `Deps` (everything it works with, built by `ui.app`
or by tests) and `Host`, the window as they see it, so that none of them imports `ui.window` back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from drivers.printer import ReceiptPrinter
from kiosk.catalog.model import Catalog
from kiosk.config import KioskConfig
from kiosk.journey import Event, Journey
from ui.adapters import DeviceBridge, TaskRunner
from ui.voice import Voice


@dataclass
class Deps:
    """Everything the window works with; built by `ui.app` (demo, kiosk) or by tests."""

    config: KioskConfig
    catalog: Catalog
    runner: TaskRunner
    printer: ReceiptPrinter
    voice: Voice
    bridge: DeviceBridge
    reader: Any = None  # a driver with insert()/remove() in the demo (simulated reader), else None
    verify_code: Any = None  # callable(payload, store) -> kiosk.codes Verdict (run on the worker), or None
    badge_pin: Any = None  # kiosk.badge.BadgeVerifier: the badge on the PC/SC reader checks a PIN, or None
    wake_sync: Any = None  # callable() asking the sync worker to deliver now (after a submission)
    help_status: Any = None  # callable(help_request_id) -> sync.help_status.HelpStatus | None (network), or None
    known_phone_remote: Any = None  # callable(id_number) -> str | None: the hub's known phone (network), or None
    paper: TaskRunner | None = None  # the printing worker (made on first use): paper never waits behind the store


class Host(Protocol):
    """The window (`ui.window.KioskWindow`) as a screen or the effect runner sees it."""

    deps: Deps
    journey: Journey
    scale: float
    done_seconds: float

    @property
    def lang(self) -> str: ...

    @property
    def current(self) -> str: ...

    @property
    def portrait(self) -> bool: ...

    def width(self) -> int: ...

    def height(self) -> int: ...

    def send(self, event: Event) -> None: ...
