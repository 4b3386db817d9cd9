"""Build the scanner the config asks for (`[scanner] driver = camera | serial | wedge | simulated | none`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drivers.events import ScanCallback
from drivers.scanner.base import CodeScanner, ErrorCallback
from drivers.scanner.wedge import WedgeBurstDetector
from kiosk.config import ScannerConfig
from kiosk.messages import KioskError, Message


def make_scanner(cfg: ScannerConfig, callback: ScanCallback, *, on_error: ErrorCallback | None = None,
                 on_frame: Callable[..., Any] | None = None) -> CodeScanner | WedgeBurstDetector | None:
    """The configured scanner, not yet started (None for `driver = "none"`). `on_frame(index, t)`, for a camera,
    is told of every frame read (the kiosk's device health: a camera delivering pictures works). A video file
    configured as the camera plays in real time and loops, as a camera would keep delivering pictures."""
    if cfg.driver == "camera":
        from drivers.scanner.camera import CameraScanner

        scanner = CameraScanner(callback, cfg.camera, decoder=cfg.decoder, on_error=on_error, frame_hook=on_frame)
        if scanner.is_file:
            scanner.realtime = scanner.loop = True
        return scanner
    if cfg.driver == "serial":
        if not cfg.port:
            raise KioskError("config_invalid", Message("扫码器设置为串口，但没有设置 scanner.port",
                                                       "scanner.driver is serial but scanner.port is not set"))
        from drivers.scanner.serial_scanner import SerialScanner

        return SerialScanner(callback, cfg.port, baud=cfg.baud, on_error=on_error)
    if cfg.driver == "wedge":
        return WedgeBurstDetector(callback)
    if cfg.driver == "simulated":
        from drivers.scanner.simulated import SimulatedScanner

        return SimulatedScanner(callback, path=cfg.simulated_file, on_error=on_error)
    return None
