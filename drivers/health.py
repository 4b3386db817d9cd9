"""The running kiosk's device states (card reader, scanner, printer, hub): fed by driver events from any thread,
read by the heartbeat and forwarded to a listener (the screen) on every change. Qt-free."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from drivers.events import ReaderEvent, ReaderEventKind
from kiosk.locale import phrase
from kiosk.messages import KioskError, Message

DEVICES = ("card_reader", "scanner", "printer", "hub")
# Reader errors that say the reader itself is unusable (not that a card was placed badly).
READER_FAULTS = frozenset({"no_reader", "no_service", "port_unavailable", "no_reply", "reader_busy",
                           "sam_self_test_failed", "sam_not_authorized", "pcsc_error", "unknown_error"})
SCANNER_FAULTS = frozenset({"camera_unavailable", "camera_lost", "scanner_unavailable", "scanner_lost",
                            "scanner_failed"})

READER_DOWN = phrase("drivers.health.reader_down")
SCANNER_DOWN = phrase("drivers.health.scanner_down")
PRINTER_DOWN = phrase("drivers.health.printer_down")
# Said when the config names no device (`driver = "none"`, the default outside `kiosk demo`): plainly, so a
# forgotten config is not mistaken for a broken reader.
READER_NOT_CONFIGURED = phrase("drivers.health.reader_not_configured")
SCANNER_NOT_CONFIGURED = phrase("drivers.health.scanner_not_configured")
HUB_DOWN = phrase("drivers.health.hub_down")

Listener = Callable[[str, bool, Any], None]  # (device, usable, message or None): absent and fault are not usable


@dataclass(frozen=True)
class DeviceState:
    state: str  # ok | fault | absent
    message: Message | None = None
    detail: str = ""  # technician's words (error kind), never personal data

    def as_dict(self) -> dict[str, Any]:
        text = self.message.en if self.message is not None else ""
        if self.detail:
            text = f"{text} ({self.detail})" if text else self.detail
        return {"state": self.state, "message": text}


class DeviceHealth:
    """Thread-safe map device → `DeviceState`; `listener(device, ok, message)` is called on each change."""

    def __init__(self, listener: Listener | None = None) -> None:
        self._lock = threading.Lock()
        self._states: dict[str, DeviceState] = {}
        self._doctor: list[tuple[str, str, str]] = []  # (name, level, message) of failing doctor checks
        self.listener = listener

    def set_doctor(self, failing: list[tuple[str, str, str]]) -> None:
        """The failing lines of the kiosk's own periodic doctor run (checks that do not open the devices)."""
        with self._lock:
            self._doctor = list(failing)

    def set(self, device: str, state: str, message: Message | None = None, detail: str = "") -> None:
        new = DeviceState(state, message if state != "ok" else None, detail if state != "ok" else "")
        with self._lock:
            old = self._states.get(device)
            self._states[device] = new
        if old != new and self.listener is not None:
            self.listener(device, state == "ok", new.message)

    def get(self, device: str) -> DeviceState | None:
        with self._lock:
            return self._states.get(device)

    def ok(self, device: str) -> None:
        self.set(device, "ok")

    def fault(self, device: str, message: Message, detail: str = "") -> None:
        self.set(device, "fault", message, detail)

    def absent(self, device: str, detail: str = "not configured", message: Message | None = None) -> None:
        self.set(device, "absent", message, detail)

    # --- feeds from drivers ---------------------------------------------------------------------------------
    def on_reader_event(self, event: ReaderEvent) -> None:
        if event.kind in (ReaderEventKind.READER_CONNECTED, ReaderEventKind.IDENTITY):
            self.ok("card_reader")
        elif event.kind == ReaderEventKind.READER_DISCONNECTED:
            self.fault("card_reader", READER_DOWN, "reader disconnected")
        elif event.kind == ReaderEventKind.ERROR and event.error is not None and event.error.kind in READER_FAULTS:
            self.fault("card_reader", READER_DOWN, event.error.kind)

    def on_scanner_error(self, error: KioskError) -> None:
        if error.kind in SCANNER_FAULTS:
            self.fault("scanner", SCANNER_DOWN, error.kind)

    def on_scanner_working(self, *_: Any) -> None:
        state = self.get("scanner")
        if state is None or state.state != "ok":
            self.ok("scanner")

    # --- readers ---------------------------------------------------------------------------------------------
    def devices(self) -> dict[str, dict[str, Any]]:
        """Heartbeat form: {NAME: {"state", "message"}}."""
        with self._lock:
            return {name: s.as_dict() for name, s in self._states.items()}

    def report(self) -> dict[str, Any]:
        """What `SyncWorker(health=...)` wants: devices, and the doctor summary (device faults, then the failing
        lines of the periodic doctor run; warnings do not make it not ok, as in `kiosk doctor`)."""
        devices = self.devices()
        with self._lock:
            doctor = list(self._doctor)
        faults = [f"{name}: {d['message']}" for name, d in devices.items() if d["state"] == "fault"]
        errors = [f"{name}: {message}" for name, level, message in doctor if level == "error"]
        warnings = [f"warning {name}: {message}" for name, level, message in doctor if level != "error"]
        summary = faults + errors + warnings
        return {"devices": devices, "doctor": {"ok": not faults and not errors, "summary": summary or ["all ok"]}}
