"""Simulated scanner (demo) and building scanners from config."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from drivers.events import ScanEvent
from drivers.scanner import make_scanner
from drivers.scanner.camera import CameraScanner
from drivers.scanner.serial_scanner import SerialScanner
from drivers.scanner.simulated import SimulatedScanner, load_payloads
from drivers.scanner.wedge import WedgeBurstDetector
from kiosk.config import ScannerConfig
from kiosk.messages import KioskError


def test_simulated_scanner_emits_on_request_from_its_thread() -> None:
    events: list[ScanEvent] = []
    threads: list[str] = []
    got = threading.Event()

    def cb(e: ScanEvent) -> None:
        events.append(e)
        threads.append(threading.current_thread().name)
        if len(events) == 3:
            got.set()

    with SimulatedScanner(cb) as sc:
        sc.present(0)
        sc.present(0)  # each request is a presentation, even the same code
        sc.present("KC1:typed")
        assert got.wait(5)
    assert events[0].payload.startswith("HC1:") and events[1].payload == events[0].payload
    assert events[2].payload == "KC1:typed" and {e.source for e in events} == {"simulated"}
    assert threads == ["scanner-simulated"] * 3


def test_payload_file(tmp_path: Path) -> None:
    f = tmp_path / "codes.txt"
    f.write_text("# comment\nONE\n\n  TWO  \n", encoding="utf-8")
    assert load_payloads(f) == ["ONE", "TWO"]
    with pytest.raises(KioskError):
        load_payloads(tmp_path / "missing.txt")
    assert len(load_payloads()) == 6  # the bundled demo codes


def test_factory_builds_the_configured_scanner(tmp_path: Path) -> None:
    def cb(e: ScanEvent) -> None:
        return None

    assert isinstance(make_scanner(ScannerConfig(driver="camera", camera="1", decoder="zxing"), cb), CameraScanner)
    assert isinstance(make_scanner(ScannerConfig(driver="serial", port="/dev/ttyS9"), cb), SerialScanner)
    assert isinstance(make_scanner(ScannerConfig(driver="wedge"), cb), WedgeBurstDetector)
    assert isinstance(make_scanner(ScannerConfig(driver="simulated"), cb), SimulatedScanner)
    assert make_scanner(ScannerConfig(driver="none"), cb) is None
    with pytest.raises(KioskError):
        make_scanner(ScannerConfig(driver="serial"), cb)
    cam = make_scanner(ScannerConfig(driver="camera", camera="1"), cb)
    assert isinstance(cam, CameraScanner) and cam.source == 1


def test_scanners_import_no_qt() -> None:
    import subprocess
    import sys

    code = ("import sys, drivers.scanner, drivers.scanner.camera, drivers.scanner.serial_scanner, "
            "drivers.scanner.wedge, drivers.scanner.simulated, kiosk.codes.cli; "
            "assert not [m for m in sys.modules if m.startswith(('PySide6', 'ui'))], 'Qt imported'; "
            "assert 'cv2' not in sys.modules, 'OpenCV imported at module load'")
    subprocess.run([sys.executable, "-c", code], check=True)
