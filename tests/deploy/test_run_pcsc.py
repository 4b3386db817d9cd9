"""`kiosk run` as a real process on PC/SC: a private pcscd with a vsmartcard-vpcd reader, a badge on it (the kiosk's
GET UID APDU seen on the card's side of the wire), a real hub process receiving heartbeats. pcscd stopped gives a
card-reader fault in the heartbeat; started again, the kiosk finds the reader without a restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sync.client import write_token
from sync.hub.server import open_hub
from tests.drivers.pcsc_stack import PrivatePcscd
from tests.drivers.vpcd_card import ATR_CONTACTLESS, BadgeApp, VirtualCard
from tests.sync.conftest import HubProcess, wait_for

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.pcsc


def _reader_state(hub: Any, kiosk_id: str) -> str | None:
    for item in hub.fleet.kiosks():
        if item["kiosk_id"] == kiosk_id and item["body"]:
            return (item["body"].get("devices") or {}).get("card_reader", {}).get("state")
    return None


def test_kiosk_run_process_on_a_private_pcscd_with_a_badge(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    admin = open_hub(url)
    hub = HubProcess(url).start()
    pcscd = PrivatePcscd(tmp_path / "pcscd-run", tmp_path / "reader.conf.d")
    port = pcscd.add_vpcd()
    pcscd.start()
    write_token(tmp_path / "token", admin.kiosks.add("k-pcsc"))
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'kiosk_id = "k-pcsc"\nhub_url = "{hub.url}"\ntoken_file = "{tmp_path / "token"}"\n'
                   f'data_dir = "{tmp_path / "data"}"\n[card_reader]\ndriver = "pcsc"\n[scanner]\ndriver = "none"\n'
                   f'[printer]\npdf_dir = "{tmp_path / "r"}"\n[ui]\nvoice = false\n[sync]\nheartbeat_seconds = 0.3\n'
                   'backoff_base_seconds = 0.05\nbackoff_cap_seconds = 0.3\n', encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PCSCLITE_CSOCK_NAME=str(pcscd.socket_path))
    kiosk = subprocess.Popen([sys.executable, "-m", "kiosk.cli.main", "--config", str(cfg), "run", "--windowed"],
                             cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    badge = VirtualCard(port, BadgeApp(), atr=ATR_CONTACTLESS)
    try:
        wait_for(lambda: _reader_state(admin, "k-pcsc") == "ok", 60, "PC/SC reader ok in the heartbeat")
        badge.insert()
        wait_for(lambda: b"\xff\xca\x00\x00" in [a[:4] for a in badge.apdus], 20, "the kiosk reading the badge UID")
        badge.remove()
        pcscd.stop()  # the card service goes away
        wait_for(lambda: _reader_state(admin, "k-pcsc") == "fault", 30, "reader fault in the heartbeat")
        pcscd.start()
        wait_for(lambda: _reader_state(admin, "k-pcsc") == "ok", 60, "reader back without a restart")
        assert kiosk.poll() is None, "the kiosk kept running"
    finally:
        kiosk.send_signal(signal.SIGTERM)
        try:
            _, err = kiosk.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            kiosk.kill()
            _, err = kiosk.communicate()
        badge.remove()
        pcscd.stop()
        hub.stop()
        admin.db.close()
    assert kiosk.returncode == 0, err.decode(errors="replace")[-2000:]
