"""Doctor checks for the scanner, printer and hub token: real video file, real pty, real lpstat, real files."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np

from drivers.device_checks import printer_check, scanner_check
from kiosk.config import KioskConfig, PrinterConfig, ScannerConfig


def _video(path: Path) -> Path:
    out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (64, 48))
    for _ in range(5):
        out.write(np.full((48, 64, 3), 200, np.uint8))
    out.release()
    return path


def test_camera_that_gives_pictures(tmp_path: Path) -> None:
    cfg = KioskConfig(scanner=ScannerConfig(driver="camera", camera=str(_video(tmp_path / "cam.avi"))))
    [r] = scanner_check(cfg)
    assert r.ok and "gives pictures" in r.message


def test_missing_camera_says_check_the_cable(tmp_path: Path) -> None:
    [r] = scanner_check(KioskConfig(scanner=ScannerConfig(driver="camera", camera=str(tmp_path / "nope.avi"))))
    assert not r.ok and "USB cable" in r.message


def test_serial_scanner_port(tmp_path: Path) -> None:
    master, slave = os.openpty()
    try:
        [ok] = scanner_check(KioskConfig(scanner=ScannerConfig(driver="serial", port=os.ttyname(slave))))
        [missing] = scanner_check(KioskConfig(scanner=ScannerConfig(driver="serial", port=str(tmp_path / "tty"))))
    finally:
        os.close(master)
        os.close(slave)
    assert ok.ok and not missing.ok and "kiosk devices" in missing.message


def test_printer_to_pdf_folder(tmp_path: Path) -> None:
    [r] = printer_check(KioskConfig(printer=PrinterConfig(pdf_dir=tmp_path)))
    assert r.ok and str(tmp_path) in r.message


def test_unknown_printer_is_reported_with_the_fix() -> None:
    # Real lpstat from cups-client; no CUPS printer named like this exists on a test machine.
    [r] = printer_check(KioskConfig(printer=PrinterConfig(name="no-such-receipt-printer")))
    assert not r.ok and "add it in CUPS" in r.message
