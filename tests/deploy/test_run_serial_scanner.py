"""`kiosk run` with a serial QR scanner on a pty behind a stable name (as udev's /dev/kiosk-scanner): a code typed
by the scanner arrives as a scan; the scanner unplugged is a fault; plugged back, it is found again by itself."""

from __future__ import annotations

import contextlib
import os
import tty
from pathlib import Path
from typing import Any

from kiosk.config import KioskConfig


def test_serial_scanner_fault_and_recovery(qtbot: Any, tmp_path: Path) -> None:
    from ui.app import start_kiosk

    link = tmp_path / "kiosk-scanner"
    master, slave = os.openpty()
    tty.setraw(slave)
    link.symlink_to(os.ttyname(slave))
    cfg = KioskConfig(data_dir=tmp_path / "data", card_reader={"driver": "none"},
                      scanner={"driver": "serial", "port": str(link)}, printer={"pdf_dir": tmp_path / "r"},
                      ui={"voice": False})
    running = start_kiosk(cfg, size="1920x1080", windowed=True, printer_every_s=3600)
    health = running.devices.health
    scans: list[str] = []
    running.deps.bridge.scan_event.connect(lambda ev: scans.append(ev.payload))
    try:
        qtbot.waitUntil(lambda: health.get("scanner") is not None and health.get("scanner").state == "ok",
                        timeout=10000)
        os.write(master, b"HC1:SERIALCODE01\r\n")
        qtbot.waitUntil(lambda: scans == ["HC1:SERIALCODE01"], timeout=5000)
        # Unplugged: the device node goes away and reads fail.
        link.unlink()
        os.close(master)
        os.close(slave)
        qtbot.waitUntil(lambda: health.get("scanner").state == "fault", timeout=10000)
        assert health.devices()["scanner"]["message"].startswith("The code scanner is not available")
        master, slave = os.openpty()
        tty.setraw(slave)
        link.symlink_to(os.ttyname(slave))
        qtbot.waitUntil(lambda: health.get("scanner").state == "ok", timeout=15000)
        os.write(master, b"HC1:SERIALCODE02\r\n")
        qtbot.waitUntil(lambda: scans[-1:] == ["HC1:SERIALCODE02"], timeout=5000)
    finally:
        running.window.close()
        running.stop()
        for fd in (master, slave):
            with contextlib.suppress(OSError):
                os.close(fd)
