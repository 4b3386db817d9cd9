"""DEMO ONLY: `kiosk demo`'s composition (the parts of `ui.app` with demo material) and what it adds: a throw-away
data folder, the demo trust list, roster and authorization, the simulated devices and an embedded hub. `kiosk run`
never calls anything here: a real kiosk trusts and knows only what its hub published."""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drivers.health import DeviceHealth
from kiosk.config import KioskConfig
from kiosk.store import open_store
from ui.adapters import DeviceBridge
from ui.devices import Devices
from ui.host import Deps

if TYPE_CHECKING:
    from ui.app import RunningKiosk


def start_demo_kiosk(cfg: KioskConfig, *, size: str | None = None) -> RunningKiosk:
    """`kiosk demo`'s composition: that of `kiosk run` (`ui.app.compose`) on the demo material (trust, roster,
    authorization) with the simulated devices and an embedded demo hub. The heavy modules load before the window."""
    from ui.app import build_deps, compose, panel_size, qt_app

    app = qt_app()
    deps = build_deps(cfg, online=False, preload=True)
    seed_demo(cfg.data_dir)

    def devices(deps: Deps) -> Devices:
        deps.config, started = start_demo_devices(deps.config, deps.bridge)
        deps.reader = started.reader
        return started

    return compose(app, deps, panel_size(cfg, size), devices)


def seed_demo(data_dir: Path) -> None:
    """Everything the demo's visits need in the kiosk's store before the window opens."""
    seed_demo_authorization(data_dir)  # the 35-year-old may act for the 72-year-old
    seed_demo_roster(data_dir)  # the demo badge is a staff member's
    seed_demo_trust(data_dir)  # the demo's health codes verify


def seed_demo_trust(data_dir: Path) -> None:
    """DEMO ONLY: the bundled demo trust list and hub keys, so the demo's health codes verify. `kiosk run` never
    calls this: a real kiosk trusts only what its hub published."""
    try:
        from kiosk.codes.trust_store import install_demo_trust
    except ImportError:  # the codes package is optional in a build
        return
    store = open_store(data_dir)
    try:
        install_demo_trust(store)
    finally:
        store.close()


def seed_demo_authorization(data_dir: Path, day: dt.date | None = None) -> None:
    """DEMO DATA ONLY: a registered authorization letting the demo's 35-year-old act for its 72-year-old (all
    services that allow an agent, for a year), as the sync worker would pull one from the hub in a real hall."""
    from drivers.simulated import load_cards
    from kiosk.authorizations import upsert_registered

    cards = [c.record for c in load_cards()]
    elder, adult = cards[0], cards[1]
    today = day or dt.date.today()
    store = open_store(data_dir)
    try:
        upsert_registered(store, [{"id": "demo-authorization-1", "principal_id_number": elder.id_number,
                                   "agent_id_number": adult.id_number, "scope": ["*"],
                                   "valid_from": (today - dt.timedelta(days=1)).isoformat(),
                                   "valid_until": (today + dt.timedelta(days=365)).isoformat(),
                                   "principal_name": elder.name, "agent_name": adult.name}])
    finally:
        store.close()


DEMO_STAFF_ID = "demo-staff-1"
DEMO_DISPLAY_NAME = "演示自助终端 Demo kiosk"


@functools.cache
def demo_roster_body() -> str:
    """DEMO DATA ONLY: a roster in which the demo badge belongs to a staff member (PIN 2468), argon2 PIN hash
    only, as a hall's hub publishes it."""
    import json

    from argon2 import PasswordHasher

    from drivers.simulated import load_cards

    badge = next(c.record for c in load_cards() if c.record.uid)
    return json.dumps({"version": 1, "members": [
        {"id": DEMO_STAFF_ID, "role": "staff", "display_name": "演示工作人员 Demo staff", "badge_uid": badge.uid,
         "pin_hash": PasswordHasher().hash("2468")}]})


def seed_demo_roster(data_dir: Path) -> None:
    """DEMO DATA ONLY: the demo roster in the kiosk's store, as the sync worker would pull it from the hub (the
    demo's embedded hub publishes the same, so a pull keeps it)."""
    store = open_store(data_dir)
    try:
        store.cache_put("roster", demo_roster_body().encode("utf-8"))
    finally:
        store.close()


def demo_config(cfg: KioskConfig, data_dir: Path | None = None) -> tuple[KioskConfig, Any]:
    """The demo runs in a throw-away data folder with receipts as PDFs there, unless told otherwise."""
    tmp = None
    if data_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="kiosk-demo-")
        data_dir = Path(tmp.name)
    printer = cfg.printer if cfg.printer.pdf_dir else cfg.printer.model_copy(update={"pdf_dir": data_dir / "receipts"})
    # The demo's reader is the simulated one (start_demo_devices), which reads its demo badges too: say so, so the
    # journey offers what a badge confirms.
    reader = cfg.card_reader.model_copy(update={"driver": "simulated"})
    cfg = demo_named(cfg)
    return cfg.model_copy(update={"data_dir": data_dir / "data", "printer": printer, "card_reader": reader}), tmp


def demo_named(cfg: KioskConfig) -> KioskConfig:
    """The demo (window and tour) calls itself a demo on screen and paper, unless its config names it."""
    if "display_name" in cfg.model_fields_set:
        return cfg
    return cfg.model_copy(update={"display_name": DEMO_DISPLAY_NAME})


def start_demo_devices(cfg: KioskConfig, bridge: DeviceBridge, *, hub: bool = True) -> tuple[KioskConfig, Devices]:
    """DEMO ONLY: the embedded hub (and the config pointed at it), the sync worker and the simulated devices."""
    from drivers.simulated import SimulatedReader

    health = DeviceHealth(bridge.on_device_status)
    devices = Devices(health=health)
    try:
        if hub:
            from sync.hub.embedded import start_embedded_hub
            from sync.worker import SyncWorker

            devices.hub = start_embedded_hub(cfg.data_dir.parent / "hub.db", demo=True)  # demo trust material
            devices.hub.hub.datasets.publish("roster", demo_roster_body())  # else a pull brings the hub's empty roster
            token = devices.hub.token_for(cfg.kiosk_id)
            cfg = cfg.model_copy(update={"hub_url": devices.hub.url})
            devices.sync = SyncWorker(cfg.data_dir, cfg, token, on_status=bridge.on_sync_status,
                                      health=health.report)
            devices.sync.start()
        devices.reader = SimulatedReader(bridge.on_reader)
        devices.reader.start()
        try:
            from drivers.scanner.simulated import SimulatedScanner

            devices.scanner = SimulatedScanner(bridge.on_scan)
            devices.scanner.start()
        except ImportError:
            devices.scanner = None
        for name in ("card_reader", "scanner", "printer"):  # simulated parts, receipts as PDF files: all working
            health.ok(name)
    except BaseException:
        devices.stop()
        raise
    return cfg, devices
