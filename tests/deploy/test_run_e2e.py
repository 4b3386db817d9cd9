"""`kiosk run` end to end, offscreen, on real parts: the GA 467 SAM emulator on a pty behind a stable name (as the
udev rule gives the reader), a video file as the camera, a real `kiosk-hub serve` process. A card is read and a
ticket taken, the hub has it, and the hub's last heartbeat shows the devices; the reader unplugged (pty closed)
and plugged back gives a fault in the heartbeat and then recovery, without restarting the kiosk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from drivers.textblock import encode_text_block
from kiosk.codes.verdict import VerdictKind
from kiosk.config import KioskConfig
from kiosk.store import open_store
from sync.client import write_token
from sync.hub.server import open_hub
from tests.drivers.card_samples import RESIDENT
from tests.drivers.sam_emulator import Card, SamEmulator
from tests.sync.conftest import HubProcess


def _video(path: Path) -> Path:
    out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 15, (160, 120))
    for i in range(30):
        out.write(np.full((120, 160, 3), 40 + 4 * i, np.uint8))
    out.release()
    return path


def _devices(hub: Any, kiosk_id: str) -> dict[str, Any]:
    for item in hub.fleet.kiosks():
        if item["kiosk_id"] == kiosk_id and item["body"] is not None:
            return dict(item["body"].get("devices") or {})
    return {}


@pytest.fixture
def hub_proc(tmp_path: Path) -> Any:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    admin = open_hub(url)
    proc = HubProcess(url).start()
    yield admin, proc
    proc.stop()
    admin.db.close()


def test_kiosk_run_on_real_parts(qtbot: Any, tmp_path: Path, hub_proc: Any) -> None:
    def wait_for(cond: Any, seconds: float, what: str) -> None:  # the Qt event loop runs while waiting
        qtbot.waitUntil(lambda: bool(cond()), timeout=int(seconds * 1000))

    from kiosk.journey.events import Tap
    from ui.app import start_kiosk
    from ui.window import KioskWindow

    if not hasattr(KioskWindow, "send"):
        pytest.skip("the window has no journey intents yet (H4's window refactor)")
    admin, hub = hub_proc
    write_token(tmp_path / "token", admin.kiosks.add("k-e2e"))
    link = tmp_path / "kiosk-sam"  # what udev's SYMLINK+="kiosk-sam" gives the real reader
    emu = SamEmulator().start()
    link.symlink_to(emu.path)
    cfg = KioskConfig(kiosk_id="k-e2e", hub_url=hub.url, token_file=tmp_path / "token", data_dir=tmp_path / "data",
                      card_reader={"driver": "sam", "port": str(link)},
                      scanner={"driver": "camera", "camera": str(_video(tmp_path / "camera.avi"))},
                      printer={"pdf_dir": tmp_path / "receipts"}, ui={"voice": False},
                      sync={"heartbeat_seconds": 0.3, "pull_seconds": 5, "backoff_base_seconds": 0.05,
                            "backoff_cap_seconds": 0.3, "request_timeout_seconds": 2.0})
    running = start_kiosk(cfg, size="1920x1080", windowed=True)
    win = running.window
    qtbot.addWidget(win)
    win.show()
    statuses: list[tuple[str, bool]] = []
    running.deps.bridge.device_status.connect(lambda d, ok, _m: statuses.append((d, ok)))
    try:
        # Every device up, as the hub sees it in the heartbeat.
        wait_for(lambda: {k: v["state"] for k, v in _devices(admin, "k-e2e").items()
                          if k in ("card_reader", "scanner", "printer", "hub")} ==
                 {"card_reader": "ok", "scanner": "ok", "printer": "ok", "hub": "ok"}, 30, "devices ok at the hub")

        # Codes only their issuer can check go to the hub (online verification is wired into kiosk run).
        admin.codes.register("GDHC:e2e0123456789", issuer="gd-health", expires_at="2999-01-01T00:00:00+00:00")
        store = open_store(cfg.data_dir)
        try:
            assert running.deps.verify_code("GDHC:e2e0123456789", store).verdict is VerdictKind.VALID
            assert running.deps.verify_code("GDHC:e2e9999999999", store).verdict is VerdictKind.UNKNOWN_ISSUER
        finally:
            store.close()

        # A citizen takes a ticket with the ID card: the record reaches the hub through the outbox.
        win.send(Tap("ticket"))
        qtbot.waitUntil(lambda: win.current == "ticket", timeout=5000)
        emu.place(Card(encode_text_block(RESIDENT)))
        wait_for(lambda: admin.records.listing("k-e2e", "ticket"), 30, "ticket at the hub")
        [ticket] = admin.records.listing("k-e2e", "ticket")
        assert ticket["body"]["lane"] == "priority"  # the card holder is over 60
        emu.lift()

        # The reader unplugged: the port goes away; the heartbeat says so; the screen was told.
        link.unlink()
        emu.close()
        wait_for(lambda: _devices(admin, "k-e2e").get("card_reader", {}).get("state") == "fault", 30,
                 "reader fault at the hub")
        assert "card reader is not available" in _devices(admin, "k-e2e")["card_reader"]["message"]
        doctor = next(i["body"] for i in admin.fleet.kiosks() if i["kiosk_id"] == "k-e2e")["doctor"]
        assert doctor["ok"] is False and any(line.startswith("card_reader:") for line in doctor["summary"])
        qtbot.waitUntil(lambda: ("card_reader", False) in statuses, timeout=5000)
        # ... and plugged back in: found again without a restart.
        emu = SamEmulator().start()
        link.symlink_to(emu.path)
        wait_for(lambda: _devices(admin, "k-e2e").get("card_reader", {}).get("state") == "ok", 30,
                 "reader recovered at the hub")
        reader_states = [ok for device, ok in statuses if device == "card_reader"]
        assert reader_states[-2:] == [False, True], statuses  # the screen heard of the fault, then the recovery
        body = next(i["body"] for i in admin.fleet.kiosks() if i["kiosk_id"] == "k-e2e")
        assert body["outbox"]["pending"] == 0 and body["version"] and body["uptime_s"] > 0
        assert not any(line.startswith("card_reader:") for line in body["doctor"]["summary"])
        # The kiosk's own doctor lines ride along (checks that open no device): this hub publishes no trust list.
        assert any(line.startswith("hub_trust_list: The hub has no trust list published")
                   for line in body["doctor"]["summary"]), body["doctor"]
    finally:
        win.close()
        running.stop()
        emu.close()
