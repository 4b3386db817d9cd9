"""Build the scanner the config asks for (`[scanner] driver = camera | serial | wedge | simulated | none`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from drivers.events import ScanCallback
from drivers.scanner.base import CodeScanner, ErrorCallback
from drivers.scanner.wedge import WedgeBurstDetector
from kiosk.config import ScannerConfig
from kiosk.locale import phrase
from kiosk.messages import KioskError

log = logging.getLogger(__name__)


def make_scanner(cfg: ScannerConfig, callback: ScanCallback, *, on_error: ErrorCallback | None = None,
                 on_frame: Callable[..., Any] | None = None,
                 on_connected: Callable[[], Any] | None = None) -> CodeScanner | WedgeBurstDetector | None:
    """The configured scanner, not yet started (None for `driver = "none"`). `on_frame(index, t)`, for a camera,
    is told of every frame read, and `on_connected()`, for a serial scanner, of every successful (re)opening of
    its port: the kiosk's device health (a scanner that works again is "ok" again). A video file configured as
    the camera plays in real time and loops, as a camera would keep delivering pictures."""
    if cfg.driver == "camera":
        from drivers.scanner.camera import CameraScanner

        scanner = CameraScanner(callback, cfg.camera, decoder=cfg.decoder, on_error=on_error, frame_hook=on_frame)
        if scanner.is_file:
            scanner.realtime = scanner.loop = True
        return scanner
    if cfg.driver == "serial":
        if not cfg.port:
            raise KioskError("config_invalid", phrase("drivers.scanner.factory.config_invalid"))
        from drivers.scanner.serial_scanner import SerialScanner

        serial_scanner = SerialScanner(callback, cfg.port, baud=cfg.baud, on_error=on_error)
        if on_connected is not None:
            _tell_on_open(serial_scanner, on_connected)
        return serial_scanner
    if cfg.driver == "wedge":
        return WedgeBurstDetector(callback)
    if cfg.driver == "simulated":
        from drivers.scanner.simulated import SimulatedScanner

        return SimulatedScanner(callback, path=cfg.simulated_file, on_error=on_error)
    return None


def _tell_on_open(scanner: Any, on_connected: Callable[[], Any]) -> None:
    """Wrap the serial scanner's port opening so each successful (re)open is reported. Its `connected` event
    cannot say it: the driver reports a lost port while `connected` is still set and sets it again on reopening
    within microseconds, so a watcher polling the event misses the reconnection."""
    open_port = scanner._open

    def opened() -> Any:
        port = open_port()
        try:
            on_connected()
        except Exception:  # a listener must not stop the scanner
            log.exception("scanner connected listener failed")
        return port

    scanner._open = opened
