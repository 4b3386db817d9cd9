"""`[scanner] driver = "wedge"` in `kiosk run`: a keyboard-wedge scanner's fast keystrokes, sent as real Qt key
events to the kiosk's window, become one ScanEvent (and are kept out of the focused field); slow typing is not."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from kiosk.config import KioskConfig


def test_wedge_scanner_in_kiosk_run(qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLineEdit

    from ui.app import start_kiosk

    cfg = KioskConfig(data_dir=tmp_path / "data", card_reader={"driver": "none"}, scanner={"driver": "wedge"},
                      printer={"pdf_dir": tmp_path / "r"}, ui={"voice": False})
    running = start_kiosk(cfg, size="1920x1080", windowed=True, printer_every_s=3600)
    scans: list[str] = []
    running.deps.bridge.scan_event.connect(lambda ev: scans.append((ev.payload, ev.source)))
    field = QLineEdit()  # stands in for whichever field has the focus when a code is scanned
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    field.setFocus()
    window = field.windowHandle()
    try:
        assert running.devices.health.get("scanner").state == "ok"
        QTest.keyClick(window, Qt.Key.Key_Shift)  # the first key event through a new window is slow to arrive
        QApplication.processEvents()
        for ch in "HC1:ABC123XYZ":  # scanner speed: all keys in one go, through the window as the platform does
            QTest.keyClick(window, ch)
        QTest.keyClick(window, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: len(scans) == 1, timeout=3000)
        assert scans == [("HC1:ABC123XYZ", "wedge")]
        assert len(field.text()) <= 1  # at most the first key reached the field, never the code
        field.clear()
        for ch in "1234567":  # a person typing
            QTest.keyClick(window, ch)
            time.sleep(0.08)
            QApplication.processEvents()
        QTest.keyClick(window, Qt.Key.Key_Return)
        QApplication.processEvents()
        assert scans == [("HC1:ABC123XYZ", "wedge")] and field.text() == "1234567"
    finally:
        running.window.close()
        running.stop()
