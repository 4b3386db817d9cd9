"""One truth about the network and about help, on the real window: with a real hub process killed (SIGKILL) and
started again on the same port, the status strip and the help screen never disagree at any moment, and the
state flips once each way (steadied by `sync.status.SteadyNetwork`, its rule untouched: two checks, 10 s)."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

from journey_taps import tap
from PySide6.QtCore import QTimer

from sync.hub.server import open_hub
from sync.worker import SyncWorker
from tests.sync.conftest import HubProcess


def test_strip_and_help_screen_agree_while_a_real_hub_dies_and_returns(qtbot: Any, make_window: Any,
                                                                      ui_config: Any, tmp_path: Path) -> None:
    db = str(tmp_path / "hub.db")
    admin = open_hub(db)
    token = admin.kiosks.add(ui_config.kiosk_id)
    admin.db.close()
    hub = HubProcess(db).start()  # `kiosk-hub serve` on a free port
    # Checks come often (the worker's contact probe and heartbeats); how they are steadied is the window's rule.
    cfg = ui_config.model_copy(update={"hub_url": hub.url, "sync": ui_config.sync.model_copy(
        update={"heartbeat_seconds": 0.3})})
    win = make_window(config=cfg)
    win.set_language("zh_CN")
    worker = SyncWorker(cfg.data_dir, cfg, token, on_status=win.deps.bridge.on_sync_status)
    worker.contact_every_s = 0.3
    win.deps.wake_sync = worker.wake
    samples: list[tuple[bool, str, str]] = []

    def sample() -> None:  # between any two events of the GUI thread, as a person could look at the screen
        s = win.strip.status
        if s is not None and win.current == "help":
            samples.append((s.online, win.strip.state_label.text(), win.screens["help"].status.text()))

    timer = QTimer()
    timer.timeout.connect(sample)
    worker.start()
    try:
        qtbot.waitUntil(lambda: win.strip.status is not None and win.strip.status.online, timeout=20000)
        tap(qtbot, win.help_button)
        qtbot.waitUntil(lambda: win.current == "help", timeout=5000)
        timer.start(20)
        qtbot.wait(1500)
        hub.kill()
        qtbot.waitUntil(lambda: not win.strip.status.online, timeout=40000)
        qtbot.wait(1500)
        hub.start()  # the same port
        qtbot.waitUntil(lambda: win.strip.status.online, timeout=60000)
        qtbot.wait(1500)
    finally:
        timer.stop()
        worker.stop()
        hub.stop()
    assert samples
    for online, strip, help_words in samples:
        if online:
            assert strip == "网络正常" and "联系不上" not in help_words, (strip, help_words)
            assert "正在为您呼叫志愿者" in help_words or "请向服务台" in help_words or "正在过来" in help_words
        else:
            assert strip == "网络离线" and "联系不上" in help_words, (strip, help_words)
    states = [online for online, _, _ in samples]
    flips = [b for a, b in pairwise(states) if a != b]
    assert states[0] is True and states[-1] is True and flips == [False, True], flips  # down once, up once
