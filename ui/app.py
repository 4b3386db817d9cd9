"""Composition of the running kiosk UI: the Qt application (font set explicitly), the window's dependencies,
and the demo's devices (simulated reader and scanner) and embedded hub with its sync worker."""

from __future__ import annotations

import datetime as dt
import logging
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from drivers.printer import ReceiptPrinter
from kiosk.catalog.loader import CatalogRepository
from kiosk.config import KioskConfig
from kiosk.store import open_store
from ui.adapters import DeviceBridge, TaskRunner
from ui.theme import FONT_FAMILY
from ui.voice import Voice
from ui.window import Deps

log = logging.getLogger(__name__)


def qt_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setFont(QFont(FONT_FAMILY))  # explicit: Qt's fallback would choose the Japanese Han shapes
    # The GUI thread needs the GIL for every call into Python; with driver and sync threads busy, the
    # default 5 ms switch interval lets each of them hold it that long per turn. 1 ms keeps taps snappy.
    sys.setswitchinterval(0.001)
    return app  # type: ignore[return-value]


def code_verifier(cfg: KioskConfig) -> Any:
    """`verify(payload, store) -> Verdict` using the trust material in the store (run on the worker). One
    `CodeChecker` per store (i.e. per worker thread) keeps the parsed trust material between scans."""
    try:
        from kiosk.codes.checker import CodeChecker
    except ImportError:  # the codes package is optional in a build
        return None
    checkers: dict[int, CodeChecker] = {}

    def verify(payload: str, store: Any) -> Any:
        checker = checkers.get(id(store))
        if checker is None or checker.store is not store:
            checker = checkers[id(store)] = CodeChecker(store, cfg)
        return checker.check(payload)

    return verify


# Imported once at start-up, before the window shows: importing a C extension holds the GIL for tens of
# milliseconds, which would stall the GUI if a driver thread did it lazily on its first card or frame.
HEAVY_MODULES = ("cv2", "numpy", "pyzbar.pyzbar", "zxingcpp", "requests", "sync.client", "kiosk.codes.verify",
                 "kiosk.codes.imaging", "reportlab.pdfgen.canvas", "reportlab.pdfbase.cidfonts")


def preload_heavy_modules() -> None:
    import importlib

    for name in HEAVY_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # optional parts of a build
            log.info("module %s not available", name)


def build_deps(cfg: KioskConfig, *, voice: bool | None = None, reader: Any = None) -> Deps:
    """Dependencies for the window; the store is created in `cfg.data_dir` if needed."""
    preload_heavy_modules()
    store = open_store(cfg.data_dir)  # creates keys and schema; the catalog is read once here
    try:
        catalog = CatalogRepository(store).current()
    finally:
        store.close()
    runner = TaskRunner(cfg.data_dir)
    enabled = cfg.ui.voice if voice is None else voice
    v = Voice(enabled, cfg.ui.cantonese, post=_post_to_gui)
    return Deps(config=cfg, catalog=catalog, runner=runner, printer=ReceiptPrinter(cfg.printer), voice=v,
                bridge=DeviceBridge(), reader=reader, verify_code=code_verifier(cfg))


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


def seed_demo_roster(data_dir: Path) -> None:
    """DEMO DATA ONLY: a roster in which the demo badge belongs to a staff member (PIN 2468), as the sync worker
    would pull the hall's roster (argon2 PIN hashes only) from the hub."""
    import json

    from argon2 import PasswordHasher

    from drivers.simulated import load_cards

    badge = next(c.record for c in load_cards() if c.record.uid)
    body = json.dumps({"version": 1, "members": [
        {"id": DEMO_STAFF_ID, "role": "staff", "display_name": "演示工作人员 Demo staff", "badge_uid": badge.uid,
         "pin_hash": PasswordHasher().hash("2468")}]})
    store = open_store(data_dir)
    try:
        store.cache_put("roster", body.encode("utf-8"))
    finally:
        store.close()


def _post_to_gui(fn: Any) -> None:
    QTimer.singleShot(0, QApplication.instance(), fn)


@dataclass
class DemoDevices:
    """Simulated reader and scanner, the embedded hub and the sync worker of `kiosk demo`."""

    reader: Any = None
    scanner: Any = None
    hub: Any = None
    sync: Any = None
    tmp: Any = None
    started: list[str] = field(default_factory=list)

    def stop(self) -> None:
        for part in (self.sync, self.scanner, self.reader, self.hub):
            if part is not None:
                try:
                    part.stop()
                except Exception as exc:  # stopping must go on for the other parts
                    log.warning("demo part failed to stop: %s", type(exc).__name__)
        if self.tmp is not None:
            self.tmp.cleanup()


def demo_config(cfg: KioskConfig, data_dir: Path | None = None) -> tuple[KioskConfig, Any]:
    """The demo runs in a throw-away data folder with receipts as PDFs there, unless told otherwise."""
    tmp = None
    if data_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="kiosk-demo-")
        data_dir = Path(tmp.name)
    printer = cfg.printer if cfg.printer.pdf_dir else cfg.printer.model_copy(update={"pdf_dir": data_dir / "receipts"})
    return cfg.model_copy(update={"data_dir": data_dir / "data", "printer": printer}), tmp


def start_demo_devices(cfg: KioskConfig, bridge: DeviceBridge, *, hub: bool = True) -> tuple[KioskConfig, DemoDevices]:
    """Start the embedded hub (and point the config at it), the sync worker and the simulated devices."""
    from drivers.simulated import SimulatedReader

    devices = DemoDevices()
    try:
        if hub:
            from sync.hub.embedded import start_embedded_hub
            from sync.worker import SyncWorker

            devices.hub = start_embedded_hub(cfg.data_dir.parent / "hub.db")
            token = devices.hub.token_for(cfg.kiosk_id)
            cfg = cfg.model_copy(update={"hub_url": devices.hub.url})
            devices.sync = SyncWorker(cfg.data_dir, cfg, token, on_status=bridge.on_sync_status)
            devices.sync.start()
        devices.reader = SimulatedReader(bridge.on_reader)
        devices.reader.start()
        try:
            from drivers.scanner.simulated import SimulatedScanner

            devices.scanner = SimulatedScanner(bridge.on_scan)
            devices.scanner.start()
        except ImportError:
            devices.scanner = None
    except BaseException:
        devices.stop()
        raise
    return cfg, devices
