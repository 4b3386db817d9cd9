"""Composition of the running kiosk UI, shared by `kiosk run` and `kiosk demo`: the Qt application (font set
explicitly), the window's dependencies, the devices (configured ones, or the demo's simulated ones and embedded
hub), their health, the sync worker, and systemd's READY/WATCHDOG notifications. Demo material (trust, roster,
authorizations) is seeded only by the demo functions below, which only `kiosk demo` calls."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from drivers.health import HUB_DOWN, PRINTER_DOWN, READER_DOWN, SCANNER_DOWN, DeviceHealth
from drivers.printer import ReceiptPrinter
from drivers.scanner.wedge import WedgeBurstDetector
from kiosk.catalog.loader import CatalogRepository
from kiosk.config import KioskConfig
from kiosk.messages import KioskError
from kiosk.notify import notify, watchdog_interval_s
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


def code_verifier(cfg: KioskConfig, *, online: bool = False) -> Any:
    """`verify(payload, store) -> Verdict` using the trust material in the store (run on the worker). One
    `CodeChecker` per store (i.e. per worker thread) keeps the parsed trust material between scans. With
    `online`, codes that only the issuer can check go to the hub (`HubOnlineVerifier`, one per checker)."""
    try:
        from kiosk.codes.checker import CodeChecker
    except ImportError:  # the codes package is optional in a build
        return None
    checkers: dict[int, CodeChecker] = {}

    def verify(payload: str, store: Any) -> Any:
        checker = checkers.get(id(store))
        if checker is None or checker.store is not store:
            checker = checkers[id(store)] = CodeChecker(store, cfg, online=_online_verifier(cfg) if online else None)
        return checker.check(payload)

    return verify


# Imported once at start-up, before the window shows: importing a C extension holds the GIL for tens of
# milliseconds, which would stall the GUI if a driver thread did it lazily on its first card or frame.
HEAVY_MODULES = ("cv2", "numpy", "pyzbar.pyzbar", "zxingcpp", "requests", "sync.client", "kiosk.codes.verify",
                 "kiosk.codes.imaging", "fpdf", "fontTools.ttLib")


def preload_heavy_modules() -> None:
    import importlib

    for name in HEAVY_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # optional parts of a build
            log.info("module %s not available", name)


def _online_verifier(cfg: KioskConfig) -> Any:
    """The hub's online verification, or None (no hub or no token: those codes are `unverifiable_offline`)."""
    try:
        from kiosk.codes.verify import OnlineUnavailable
        from sync.online_verifier import HubOnlineVerifier
    except ImportError:
        return None
    try:
        return HubOnlineVerifier.from_config(cfg)
    except (OnlineUnavailable, OSError) as exc:
        log.info("online verification off: %s", type(exc).__name__)
        return None


class HubLookups:
    """Questions the screens ask the hub while a person waits: has a volunteer taken this help request
    (`sync.help_status`), and which mobile number does the hall already know for this ID number (`sync.people`).
    Both run on the TaskRunner's worker; the client is made there, once per thread, on first use. `None` means
    "don't know" (offline, no token): the help screen then says where the help desk is and never claims a
    volunteer is coming; the phone is typed."""

    def __init__(self, cfg: KioskConfig) -> None:
        assert cfg.hub_url is not None and cfg.token_file is not None
        self.cfg = cfg
        self._local = threading.local()

    @classmethod
    def of(cls, cfg: KioskConfig) -> HubLookups | None:
        return cls(cfg) if cfg.hub_url is not None and cfg.token_file is not None else None

    def _client(self) -> Any:
        from sync.client import HubClient, load_token

        client = getattr(self._local, "client", None)
        if client is None:
            cfg = self.cfg
            try:
                client = self._local.client = HubClient(cfg.hub_url or "", load_token(cfg.token_file),  # type: ignore[arg-type]
                                                        ca_bundle=cfg.ca_bundle, timeout=5.0)
            except (OSError, KioskError) as exc:  # token file missing or hub URL refused: we do not know
                log.info("hub look-ups unavailable: %s", type(exc).__name__)
                return None
        return client

    def help_status(self, help_request_id: str) -> Any:
        from sync.help_status import fetch_help_status

        client = self._client()
        return None if client is None else fetch_help_status(client, help_request_id)

    def known_phone(self, id_number: str) -> str | None:
        from sync.people import fetch_known_phone

        client = self._client()
        return None if client is None else fetch_known_phone(client, id_number)


def build_deps(cfg: KioskConfig, *, voice: bool | None = None, reader: Any = None, online: bool = False,
               preload: bool = True) -> Deps:
    """Dependencies for the window; the store is created in `cfg.data_dir` if needed. `preload=False` leaves the
    heavy modules for later (`kiosk run` loads them right after the home screen is painted: a quicker start)."""
    if preload:
        preload_heavy_modules()
    store = open_store(cfg.data_dir)  # creates keys and schema; the catalog is read once here
    _make_private(cfg.data_dir)
    try:
        catalog = CatalogRepository(store).current()
    finally:
        store.close()
    runner = TaskRunner(cfg.data_dir)
    enabled = cfg.ui.voice if voice is None else voice
    v = Voice(enabled, cfg.ui.cantonese, post=_post_to_gui)
    lookups = HubLookups.of(cfg)
    return Deps(config=cfg, catalog=catalog, runner=runner, printer=ReceiptPrinter(cfg.printer), voice=v,
                bridge=DeviceBridge(), reader=reader, verify_code=code_verifier(cfg, online=online),
                help_status=lookups.help_status if lookups else None,
                known_phone_remote=lookups.known_phone if lookups else None)


def _make_private(folder: Path) -> None:
    """The data folder holds citizens' (encrypted) records and their key file: only the kiosk user may enter."""
    try:
        if folder.stat().st_uid == os.getuid() and folder.stat().st_mode & 0o077:
            folder.chmod(0o700)
    except OSError as exc:  # `kiosk doctor` reports the folder's mode
        log.warning("data folder mode unchanged: %s", type(exc).__name__)


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


def _post_to_gui(fn: Any) -> None:
    QTimer.singleShot(0, QApplication.instance(), fn)


@dataclass
class Devices:
    """The running parts: reader, scanner, printer watch, hub (embedded in the demo only), sync worker, health."""

    reader: Any = None
    scanner: Any = None
    hub: Any = None
    sync: Any = None
    printer_watch: Any = None
    health: DeviceHealth | None = None
    tmp: Any = None
    started: list[str] = field(default_factory=list)

    def stop(self) -> None:
        for part in (self.sync, self.printer_watch, self.scanner, self.reader, self.hub):
            if part is not None:
                try:
                    part.stop()
                except Exception as exc:  # stopping must go on for the other parts
                    log.warning("part failed to stop: %s", type(exc).__name__)
        if self.tmp is not None:
            self.tmp.cleanup()


DemoDevices = Devices  # the demo's parts are the same kind of thing


def demo_config(cfg: KioskConfig, data_dir: Path | None = None) -> tuple[KioskConfig, Any]:
    """The demo runs in a throw-away data folder with receipts as PDFs there, unless told otherwise."""
    tmp = None
    if data_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="kiosk-demo-")
        data_dir = Path(tmp.name)
    printer = cfg.printer if cfg.printer.pdf_dir else cfg.printer.model_copy(update={"pdf_dir": data_dir / "receipts"})
    return cfg.model_copy(update={"data_dir": data_dir / "data", "printer": printer}), tmp


def start_demo_devices(cfg: KioskConfig, bridge: DeviceBridge, *, hub: bool = True) -> tuple[KioskConfig, Devices]:
    """DEMO ONLY: the embedded hub (and the config pointed at it), the sync worker and the simulated devices."""
    from drivers.simulated import SimulatedReader

    devices = Devices(health=DeviceHealth(bridge.on_device_status))
    try:
        if hub:
            from sync.hub.embedded import start_embedded_hub
            from sync.worker import SyncWorker

            devices.hub = start_embedded_hub(cfg.data_dir.parent / "hub.db", demo=True)  # demo trust material
            devices.hub.hub.publish("roster", demo_roster_body())  # else a pull brings the hub's empty roster
            token = devices.hub.token_for(cfg.kiosk_id)
            cfg = cfg.model_copy(update={"hub_url": devices.hub.url})
            devices.sync = SyncWorker(cfg.data_dir, cfg, token, on_status=bridge.on_sync_status,
                                      health=devices.health.report)
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
            devices.health.ok(name)
    except BaseException:
        devices.stop()
        raise
    return cfg, devices


def quiet_doctor(cfg: KioskConfig) -> list[tuple[str, str, str]]:
    """The `kiosk doctor` checks a running kiosk can make without taking its own devices away (no camera or
    reader port opened): data folder, key, database, disk, font, sound, the hub's clock and token. Failing lines
    only, as (name, level, message), for the heartbeat."""
    from kiosk.doctor import CORE_CHECKS
    from ui.cli import _font_check, _sound_check

    checks: list[Any] = [*CORE_CHECKS, _font_check, _sound_check]
    try:
        from sync.hub_checks import hub_checks

        checks.append(hub_checks)
    except ImportError:
        pass
    failing: list[tuple[str, str, str]] = []
    for check in checks:
        try:
            failing += [(r.name, r.level, r.message) for r in check(cfg) if not r.ok]
        except Exception as exc:  # one broken check must not hide the others
            failing.append((getattr(check, "__name__", "check"), "error", f"check failed: {type(exc).__name__}"))
    return failing


class PrinterWatch:
    """Asks the print service about the receipt printer now and every `every_s` seconds, off the GUI thread;
    every `doctor_every_s` it also runs the quiet doctor for the heartbeat's summary."""

    def __init__(self, cfg: KioskConfig, health: DeviceHealth, every_s: float = 60.0,
                 doctor_every_s: float = 600.0) -> None:
        self.cfg = cfg
        self.health = health
        self.every_s = every_s
        self.doctor_every_s = doctor_every_s
        self._next_doctor = 0.0
        self._next_printer = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="printer-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def check_once(self) -> None:
        from drivers.device_checks import printer_check

        result = printer_check(self.cfg)[0]
        if result.ok:
            self.health.ok("printer")
        else:
            self.health.fault("printer", PRINTER_DOWN, result.message)

    def _run(self) -> None:
        import time

        while not self._stop.is_set():
            now = time.monotonic()
            if now >= self._next_printer:
                self._next_printer = now + self.every_s
                try:
                    self.check_once()
                except Exception as exc:  # the watch must keep watching
                    self.health.fault("printer", PRINTER_DOWN, type(exc).__name__)
            if now >= self._next_doctor:
                self._next_doctor = now + self.doctor_every_s
                self.health.set_doctor(quiet_doctor(self.cfg))
            self._stop.wait(max(0.0, min(self._next_printer, self._next_doctor) - time.monotonic()))


def start_devices(cfg: KioskConfig, bridge: DeviceBridge, *, printer_every_s: float = 60.0) -> Devices:
    """`kiosk run`: the configured reader, scanner, printer watch and sync worker. Nothing here stops the kiosk
    from starting: a part that cannot start is reported (screen and heartbeat) and, where it can, retried."""
    health = DeviceHealth(bridge.on_device_status)
    devices = Devices(health=health)

    def on_reader(event: Any) -> None:
        health.on_reader_event(event)
        bridge.on_reader(event)

    def on_scan(event: Any) -> None:
        health.on_scanner_working()
        bridge.on_scan(event)

    try:
        _start_reader(cfg, devices, on_reader)
        _start_scanner(cfg, devices, on_scan)
        devices.printer_watch = PrinterWatch(cfg, health, printer_every_s)
        devices.printer_watch.start()
        _start_sync(cfg, devices, bridge)
    except BaseException:
        devices.stop()
        raise
    return devices


def _start_reader(cfg: KioskConfig, devices: Devices, on_reader: Any) -> None:
    from drivers.reader import make_reader

    health = devices.health
    assert health is not None
    try:
        devices.reader = make_reader(cfg.card_reader, on_reader)
    except KioskError as exc:  # e.g. no port configured: nothing to retry until the config is fixed
        health.fault("card_reader", READER_DOWN, exc.detail or exc.kind)
        return
    if devices.reader is None:
        health.absent("card_reader")
        return
    devices.reader.start()  # the drivers retry a missing port / reader / pcscd themselves


def _start_scanner(cfg: KioskConfig, devices: Devices, on_scan: Any) -> None:
    from drivers.scanner.factory import make_scanner

    health = devices.health
    assert health is not None
    try:
        scanner = make_scanner(cfg.scanner, on_scan, on_error=health.on_scanner_error,
                               on_frame=health.on_scanner_working, on_connected=health.on_scanner_working)
    except (KioskError, ImportError, ValueError) as exc:
        health.fault("scanner", SCANNER_DOWN, getattr(exc, "kind", type(exc).__name__))
        return
    if scanner is None:
        health.absent("scanner")
        return
    devices.scanner = scanner
    if cfg.scanner.driver in ("wedge", "simulated"):
        health.ok("scanner")  # nothing to open: a wedge scanner types into the window
    scanner.start()


def _start_sync(cfg: KioskConfig, devices: Devices, bridge: DeviceBridge) -> None:
    health = devices.health
    assert health is not None
    if cfg.hub_url is None:
        health.absent("hub", "no hub_url configured")
        return
    from sync.worker import SyncWorker

    def on_status(status: Any) -> None:
        if status.online:
            health.ok("hub")
        else:
            health.fault("hub", HUB_DOWN, status.last_error or "hub unreachable")
        bridge.on_sync_status(status)

    devices.sync = SyncWorker(cfg.data_dir, cfg, on_status=on_status, health=health.report)
    devices.sync.start()


class Watchdog(QObject):
    """Sends systemd `WATCHDOG=1` from a timer on the GUI thread: a blocked event loop stops the pings, and
    systemd restarts the kiosk (`WatchdogSec=`). `ping` is replaceable for tests."""

    def __init__(self, interval_s: float, ping: Any = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ping = ping or (lambda: notify("WATCHDOG=1"))
        self.timer = QTimer(self)
        self.timer.setInterval(max(10, int(interval_s * 1000)))
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._tick()
        self.timer.start()

    def _tick(self) -> None:
        self.ping()


class FirstPaint(QObject):
    """Calls `then()` once, right after the watched widget's first paint event (the home screen is on the glass)."""

    def __init__(self, widget: Any, then: Any) -> None:
        super().__init__(widget)
        self._then = then
        self._widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._then is not None:
            then, self._then = self._then, None
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self, then)  # after this paint has finished
        return False


def start_watchdog(parent: QObject) -> Watchdog | None:
    interval = watchdog_interval_s()
    if interval is None:
        return None
    dog = Watchdog(interval, parent=parent)
    dog.start()
    return dog


def show_kiosk(app: QApplication, win: Any, *, windowed: bool, on_shown: Any = None) -> int:
    """Show the window (full screen unless `windowed`), tell systemd READY=1 once painted, keep the watchdog
    fed, end cleanly on SIGINT/SIGTERM, and run the event loop until it quits."""
    import signal

    from PySide6.QtCore import Qt

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: app.quit())
    ticker = QTimer(win)  # lets Python see the signals between Qt events
    ticker.start(250)
    ticker.timeout.connect(lambda: None)
    if windowed:
        win.show()
    else:
        win.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        win.showFullScreen()

    def shown() -> None:
        screen = win.screen().geometry() if win.screen() is not None else None
        log.info("kiosk window shown: platform %s, window %dx%d, full screen %s, screen %s",
                 QApplication.platformName(), win.width(), win.height(), win.isFullScreen(),
                 f"{screen.width()}x{screen.height()}" if screen is not None else "none")
        notify("READY=1")
        start_watchdog(win)
        handle = win.windowHandle()
        if handle is not None and not windowed and not win.isFullScreen():
            # A compositor may not have honoured a full-screen request made before the window was mapped (cage
            # maximizes it instead): ask again now that it is on screen, and say when the state changes.
            handle.windowStateChanged.connect(
                lambda _state: log.info("kiosk window state: full screen %s, window %dx%d", win.isFullScreen(),
                                        win.width(), win.height()))
            win.showFullScreen()
        if on_shown is not None:
            on_shown()

    FirstPaint(win, shown)  # READY=1 once the home screen has really been painted
    try:
        return app.exec()
    finally:
        notify("STOPPING=1")


def panel_size(cfg: KioskConfig, size: str | None = None) -> tuple[int, int]:
    text = size or ("1080x1920" if cfg.ui.orientation == "portrait" else "1920x1080")
    w, h = (int(x) for x in text.split("x"))
    return w, h


def _screen_size(app: QApplication) -> str | None:
    """The real panel's size, when there is a real screen (full screen on a panel of another size would leave
    part of the window off the glass); None on offscreen/minimal platforms (tests) to use the config's."""
    if QApplication.platformName() in ("offscreen", "minimal"):
        return None
    screen = app.primaryScreen()
    if screen is None or screen.size().isEmpty():
        return None
    return f"{screen.size().width()}x{screen.size().height()}"


@dataclass
class RunningKiosk:
    """`kiosk run`'s composition, started: the window (not shown yet), its dependencies and the devices."""

    app: QApplication
    window: Any
    deps: Deps
    devices: Devices

    def stop(self) -> None:
        self.devices.stop()  # first: no device event may ask the runner for work once it is shut down
        self.deps.runner.shutdown()
        if self.deps.paper is not None:
            self.deps.paper.shutdown()


def start_kiosk(cfg: KioskConfig, *, size: str | None = None, windowed: bool = False,
                printer_every_s: float = 60.0, demo: bool = False) -> RunningKiosk:
    """The one composition of `kiosk run` and `kiosk demo`: store, window, devices, hub, sync. They differ only
    here: `demo=True` seeds the demo material (trust, roster, authorization) and starts the simulated devices with
    an embedded demo hub; otherwise the configured devices and hub, and no demo material at all."""
    from ui.window import KioskWindow

    app = qt_app()
    deps = build_deps(cfg, online=cfg.hub_url is not None and not demo, preload=demo)
    if demo:
        seed_demo_authorization(cfg.data_dir)  # the 35-year-old may act for the 72-year-old
        seed_demo_roster(cfg.data_dir)  # the demo badge is a staff member's
        seed_demo_trust(cfg.data_dir)  # the demo's health codes verify
    w, h = panel_size(cfg, size if size or windowed or demo else _screen_size(app))
    win = KioskWindow(deps, width=w, height=h)  # before the devices: their first events find it connected
    if demo:
        deps.config, devices = start_demo_devices(cfg, deps.bridge)
        deps.reader = devices.reader
    else:
        devices = start_devices(cfg, deps.bridge, printer_every_s=printer_every_s)
    deps.wake_sync = devices.sync.wake if devices.sync is not None else None
    if isinstance(devices.scanner, WedgeBurstDetector):
        install_wedge(app, devices.scanner)
    return RunningKiosk(app, win, deps, devices)


def run_kiosk(cfg: KioskConfig, *, size: str | None = None, windowed: bool = False, on_shown: Any = None) -> int:
    """`kiosk run`: start, show (READY=1, watchdog), run until quit or SIGTERM, stop every part."""
    running = start_kiosk(cfg, size=size, windowed=windowed)
    app_state.devices, app_state.window = running.devices, running.window

    def shown() -> None:
        preload_heavy_modules()  # before the first visitor, after the first paint
        if on_shown is not None:
            on_shown()

    try:
        return show_kiosk(running.app, running.window, windowed=windowed, on_shown=shown)
    finally:
        running.stop()
        app_state.devices = app_state.window = None


@dataclass
class _AppState:
    """The running composition, for `on_shown` hooks and tests driving a started kiosk in-process."""

    devices: Devices | None = None
    window: Any = None


app_state = _AppState()


def install_wedge(app: QApplication, detector: Any) -> Any:
    from ui.adapters import WedgeKeyFilter

    key_filter = WedgeKeyFilter(detector, app)
    app.installEventFilter(key_filter)
    return key_filter
