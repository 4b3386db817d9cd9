"""`kiosk run` with a config that names no devices: nothing simulated starts; the home screen says plainly that no
card reader is configured and offers only what works without one; the heartbeat's device states say the same."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from kiosk.config import KioskConfig
from tests.ui.journey_taps import visible_choice_keys


def test_kiosk_run_without_devices_says_no_reader_is_configured(qtbot: Any, tmp_path: Path) -> None:
    from ui.app import start_kiosk

    cfg = KioskConfig(data_dir=tmp_path / "data", printer={"pdf_dir": tmp_path / "r"}, ui={"voice": False})
    running = start_kiosk(cfg, size="1920x1080", windowed=True, printer_every_s=3600)
    win = running.window
    qtbot.addWidget(win)
    win.show()
    try:
        assert running.devices.reader is None and running.devices.scanner is None
        assert not [t.name for t in threading.enumerate() if t.name.startswith(("reader", "scanner"))]
        qtbot.waitUntil(lambda: "business" not in visible_choice_keys(win), timeout=5000)
        assert set(visible_choice_keys(win)) == {"ticket", "volunteer"}
        view = win.journey.view()
        assert view.prompt.zh == "本机没有设置读卡器，不能读身份证。也可以取号或呼叫志愿者。"
        assert view.prompt.en == ("No card reader is configured on this kiosk, so it cannot read ID cards. "
                                  "You can still take a number or call a volunteer.")
        assert not win.banner.isVisible()  # the prompt says it: once on the screen
        devices = running.devices.health.devices()
        assert devices["card_reader"] == {"state": "absent", "message": "No card reader is configured on this "
                                          "kiosk, so it cannot read ID cards (card_reader.driver = none)"}
        assert devices["scanner"]["state"] == "absent"
    finally:
        running.window.close()
        running.stop()
