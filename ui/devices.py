"""The kiosk's running parts and how `kiosk run` starts them: the configured card reader, scanner, printer watch
(with the quiet doctor for heartbeats) and sync worker, each reporting its health; `Devices` stops them all."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from drivers.health import (
    HUB_DOWN,
    PRINTER_DOWN,
    READER_DOWN,
    READER_NOT_CONFIGURED,
    SCANNER_DOWN,
    SCANNER_NOT_CONFIGURED,
    DeviceHealth,
)
from kiosk.config import KioskConfig
from kiosk.messages import KioskError
from ui.adapters import DeviceBridge

log = logging.getLogger(__name__)


@dataclass
class Devices:
    """The running parts: reader, scanner, printer watch, hub (embedded in the demo only), sync worker, health."""

    reader: Any = None
    scanner: Any = None
    hub: Any = None
    sync: Any = None
    printer_watch: Any = None
    health: DeviceHealth | None = None
    tmp: Any = None
    started: list[str] = field(default_factory=list)

    def stop(self) -> None:
        for part in (self.sync, self.printer_watch, self.scanner, self.reader, self.hub):
            if part is not None:
                try:
                    part.stop()
                except Exception as exc:  # stopping must go on for the other parts
                    log.warning("part failed to stop: %s", type(exc).__name__)
        if self.tmp is not None:
            self.tmp.cleanup()


def quiet_doctor(cfg: KioskConfig) -> list[tuple[str, str, str]]:
    """The `kiosk doctor` checks a running kiosk can make without taking its own devices away (no camera or
    reader port opened): data folder, key, database, disk, font, sound, the hub's clock and token. Failing lines
    only, as (name, level, message), for the heartbeat."""
    from kiosk.doctor import CORE_CHECKS
    from ui.checks import font_check, sound_check

    checks: list[Any] = [*CORE_CHECKS, font_check, sound_check]
    try:
        from sync.hub_checks import hub_checks

        checks.append(hub_checks)
    except ImportError:
        pass
    failing: list[tuple[str, str, str]] = []
    for check in checks:
        try:
            failing += [(r.name, r.level, r.message) for r in check(cfg) if not r.ok]
        except Exception as exc:  # one broken check must not hide the others
            failing.append((getattr(check, "__name__", "check"), "error", f"check failed: {type(exc).__name__}"))
    return failing


class PrinterWatch:
    """Asks the print service about the receipt printer now and every `every_s` seconds, off the GUI thread;
    every `doctor_every_s` it also runs the quiet doctor for the heartbeat's summary."""

    def __init__(self, cfg: KioskConfig, health: DeviceHealth, every_s: float = 60.0,
                 doctor_every_s: float = 600.0) -> None:
        self.cfg = cfg
        self.health = health
        self.every_s = every_s
        self.doctor_every_s = doctor_every_s
        self._next_doctor = 0.0
        self._next_printer = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="printer-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def check_once(self) -> None:
        from drivers.device_checks import printer_check

        result = printer_check(self.cfg)[0]
        if result.ok:
            self.health.ok("printer")
        else:
            self.health.fault("printer", PRINTER_DOWN, result.message)

    def _run(self) -> None:
        import time

        while not self._stop.is_set():
            now = time.monotonic()
            if now >= self._next_printer:
                self._next_printer = now + self.every_s
                try:
                    self.check_once()
                except Exception as exc:  # the watch must keep watching
                    self.health.fault("printer", PRINTER_DOWN, type(exc).__name__)
            if now >= self._next_doctor:
                self._next_doctor = now + self.doctor_every_s
                self.health.set_doctor(quiet_doctor(self.cfg))
            self._stop.wait(max(0.0, min(self._next_printer, self._next_doctor) - time.monotonic()))


def start_devices(cfg: KioskConfig, bridge: DeviceBridge, *, printer_every_s: float = 60.0) -> Devices:
    """`kiosk run`: the configured reader, scanner, printer watch and sync worker. Nothing here stops the kiosk
    from starting: a part that cannot start is reported (screen and heartbeat) and, where it can, retried."""
    health = DeviceHealth(bridge.on_device_status)
    devices = Devices(health=health)

    def on_reader(event: Any) -> None:
        health.on_reader_event(event)
        bridge.on_reader(event)

    def on_scan(event: Any) -> None:
        health.on_scanner_working()
        bridge.on_scan(event)

    try:
        _start_reader(cfg, devices, on_reader)
        _start_scanner(cfg, devices, on_scan)
        devices.printer_watch = PrinterWatch(cfg, health, printer_every_s)
        devices.printer_watch.start()
        _start_sync(cfg, devices, bridge)
    except BaseException:
        devices.stop()
        raise
    return devices


def _start_reader(cfg: KioskConfig, devices: Devices, on_reader: Any) -> None:
    from drivers.readers import make_reader

    health = devices.health
    assert health is not None
    try:
        devices.reader = make_reader(cfg.card_reader, on_reader)
    except KioskError as exc:  # e.g. no port configured: nothing to retry until the config is fixed
        health.fault("card_reader", READER_DOWN, exc.detail or exc.kind)
        return
    if devices.reader is None:  # the screen says so plainly (the home screen offers what works without a card)
        health.absent("card_reader", "card_reader.driver = none", READER_NOT_CONFIGURED)
        return
    devices.reader.start()  # the drivers retry a missing port / reader / pcscd themselves


def _start_scanner(cfg: KioskConfig, devices: Devices, on_scan: Any) -> None:
    from drivers.scanner.factory import make_scanner

    health = devices.health
    assert health is not None
    try:
        scanner = make_scanner(cfg.scanner, on_scan, on_error=health.on_scanner_error,
                               on_frame=health.on_scanner_working, on_connected=health.on_scanner_working)
    except (KioskError, ImportError, ValueError) as exc:
        health.fault("scanner", SCANNER_DOWN, getattr(exc, "kind", type(exc).__name__))
        return
    if scanner is None:
        health.absent("scanner", "scanner.driver = none", SCANNER_NOT_CONFIGURED)
        return
    devices.scanner = scanner
    if cfg.scanner.driver in ("wedge", "simulated"):
        health.ok("scanner")  # nothing to open: a wedge scanner types into the window
    scanner.start()


def _start_sync(cfg: KioskConfig, devices: Devices, bridge: DeviceBridge) -> None:
    health = devices.health
    assert health is not None
    if cfg.hub_url is None:
        health.absent("hub", "no hub_url configured")
        return
    from sync.worker import SyncWorker

    def on_status(status: Any) -> None:
        if status.online:
            health.ok("hub")
        else:
            health.fault("hub", HUB_DOWN, status.last_error or "hub unreachable")
        bridge.on_sync_status(status)

    devices.sync = SyncWorker(cfg.data_dir, cfg, on_status=on_status, health=health.report)
    devices.sync.start()
