"""The composition root of the running kiosk UI (`kiosk run`): the Qt application (font set explicitly), the
window's dependencies, the configured devices (`ui.devices`), and systemd's READY/WATCHDOG notifications.
`kiosk demo` composes the same parts with its demo material and simulated devices (`ui.demo`); nothing here
names the demo."""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from drivers.printer import ReceiptPrinter
from drivers.scanner.wedge import WedgeBurstDetector
from kiosk.catalog.loader import CatalogRepository
from kiosk.config import KioskConfig
from kiosk.messages import KioskError
from kiosk.notify import notify, watchdog_interval_s
from kiosk.store import open_store
from ui.adapters import DeviceBridge, TaskRunner
from ui.devices import Devices, start_devices
from ui.host import Deps
from ui.theme import FONT_FAMILY
from ui.voice import Voice

log = logging.getLogger(__name__)


def qt_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication), "a Qt application without widgets is already running"
    app.setFont(QFont(FONT_FAMILY))  # explicit: Qt's fallback would choose the Japanese Han shapes
    # The GUI thread needs the GIL for every call into Python; with driver and sync threads busy, the
    # default 5 ms switch interval lets each of them hold it that long per turn. 1 ms keeps taps snappy.
    sys.setswitchinterval(0.001)
    return app


def code_verifier(cfg: KioskConfig, *, online: bool = False) -> Any:
    """`verify(payload, store) -> Verdict` using the trust material in the store (run on the worker). One
    `CodeChecker` per store (i.e. per worker thread) keeps the parsed trust material between scans. With
    `online`, codes that only the issuer can check go to the hub (`HubOnlineVerifier`, one per checker)."""
    import importlib.util

    if importlib.util.find_spec("kiosk.codes.checker") is None:  # the codes package is optional in a build
        return None
    checkers: dict[int, Any] = {}

    def verify(payload: str, store: Any) -> Any:
        # Imported here, not before the first paint (a sixth of a cold start); HEAVY_MODULES loads it right after.
        from kiosk.codes.checker import CodeChecker

        checker = checkers.get(id(store))
        if checker is None or checker.store is not store:
            checker = checkers[id(store)] = CodeChecker(store, cfg, online=_online_verifier(cfg) if online else None)
        return checker.check(payload)

    return verify


# Imported once at start-up, before the window shows: importing a C extension holds the GIL for tens of
# milliseconds, which would stall the GUI if a driver thread did it lazily on its first card or frame.
HEAVY_MODULES = ("cv2", "numpy", "pyzbar.pyzbar", "zxingcpp", "requests", "sync.client", "kiosk.codes.verify",
                 "kiosk.codes.checker", "kiosk.codes.imaging", "fpdf", "fontTools.ttLib", "jsonschema",
                 "argon2", "cryptography.hazmat.primitives.ciphers.aead")


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
            assert cfg.token_file is not None  # `of()` makes no look-ups without one
            try:
                client = self._local.client = HubClient(cfg.hub_url or "", load_token(cfg.token_file),
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
                known_phone_remote=lookups.known_phone if lookups else None,
                badge_pin=_badge_pin(cfg))


def _badge_pin(cfg: KioskConfig) -> Any:
    """With a PC/SC reader, a badge checks its own PIN (ISO 7816-4 VERIFY); other readers cannot ask it."""
    if cfg.card_reader.driver != "pcsc":
        return None
    from drivers.badge_pin import badge_verifier

    return badge_verifier(cfg.card_reader.reader)


def _make_private(folder: Path) -> None:
    """The data folder holds citizens' (encrypted) records and their key file: only the kiosk user may enter."""
    try:
        if folder.stat().st_uid == os.getuid() and folder.stat().st_mode & 0o077:
            folder.chmod(0o700)
    except OSError as exc:  # `kiosk doctor` reports the folder's mode
        log.warning("data folder mode unchanged: %s", type(exc).__name__)


def _post_to_gui(fn: Any) -> None:
    app = QApplication.instance()
    if app is not None:  # none: the kiosk is shutting down, nobody to tell
        QTimer.singleShot(0, app, fn)


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
                printer_every_s: float = 60.0) -> RunningKiosk:
    """`kiosk run`'s composition: store, window, the configured devices, hub and sync, and no demo material at
    all. The heavy modules are left for after the first paint (`run_kiosk`)."""
    app = qt_app()
    deps = build_deps(cfg, online=cfg.hub_url is not None, preload=False)
    panel = panel_size(cfg, size if size or windowed else _screen_size(app))
    return compose(app, deps, panel, lambda deps: start_devices(deps.config, deps.bridge,
                                                                printer_every_s=printer_every_s))


def compose(app: QApplication, deps: Deps, panel: tuple[int, int],
            devices: Callable[[Deps], Devices]) -> RunningKiosk:
    """The window on `deps`, then the devices `devices(deps)` starts (after the window: their first events find
    it connected), the sync worker's wake-up and the keyboard-wedge scanner's key filter."""
    from ui.window import KioskWindow

    win = KioskWindow(deps, width=panel[0], height=panel[1])
    started = devices(deps)
    deps.wake_sync = started.sync.wake if started.sync is not None else None
    if isinstance(started.scanner, WedgeBurstDetector):
        install_wedge(app, started.scanner)
    return RunningKiosk(app, win, deps, started)


def run_kiosk(cfg: KioskConfig, *, size: str | None = None, windowed: bool = False, on_shown: Any = None) -> int:
    """`kiosk run`: start, show (READY=1, watchdog), run until quit or SIGTERM, stop every part."""
    running = start_kiosk(cfg, size=size, windowed=windowed)
    app_state.devices, app_state.window = running.devices, running.window

    def shown() -> None:
        # Before the first visitor, after the first paint, and off the GUI thread: on a loaded machine these
        # imports took seconds, a frozen screen and a watchdog ping 3.6 s late (seen in a bare-root test run).
        # Each C extension's init still holds the GIL briefly, as it would have here.
        threading.Thread(target=preload_heavy_modules, name="preload-modules", daemon=True).start()
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
