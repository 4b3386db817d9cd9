"""`kiosk demo` (the kiosk with simulated devices and an embedded hub) and `kiosk demo --tour DIR` (every
screen rendered offscreen to PNG). Light at import: PySide6 is imported inside the handler only."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from kiosk.doctor import register_check
from ui.checks import font_check, qt_check, sound_check

SIZES = ("1920x1080", "1080x1920")
LANGS = ("zh_CN", "en")
SCALES = ("1", "1.25", "1.5")


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help="start the kiosk with simulated devices and an embedded hub; "
                                    "--tour renders every screen to PNG files")
    p.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    p.add_argument("--tour", metavar="DIR", type=Path, help="render every screen offscreen to DIR/<screen>.png")
    p.add_argument("--size", choices=SIZES, default=None, help="panel size in pixels (default: from config)")
    p.add_argument("--lang", choices=LANGS, default=None, help="language (default: from config)")
    p.add_argument("--scale", choices=SCALES, default=None, help="larger text: 1, 1.25 or 1.5 (default: config)")
    p.set_defaults(handler=_demo)

    p = sub.add_parser("run", help="start the kiosk on its configured card reader, scanner, printer and hub "
                                   "(the hall's kiosk; under systemd it sends READY=1 and watchdog pings)")
    p.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    p.add_argument("--size", choices=SIZES, default=None, help="panel size in pixels (default: from config)")
    p.set_defaults(handler=_run)


# The Qt-free part of `kiosk run`'s start path, imported before PySide6 (`ui.app`): once PySide6 is loaded, its
# import hook (shiboken's `__feature__` check) runs for every later import, about a tenth of a cold start's CPU.
CORE_FIRST = ("kiosk.journey", "kiosk.journey.work", "kiosk.store", "kiosk.catalog.loader", "kiosk.tickets",
              "kiosk.notify", "drivers.printer", "drivers.health", "drivers.readers", "drivers.scanner.factory",
              "drivers.scanner.wedge", "sync.status")


def _run(args: argparse.Namespace, ctx: Any) -> int:
    import importlib
    import logging

    for name in CORE_FIRST:
        importlib.import_module(name)
    from kiosk.logsetup import setup_logging
    from ui.app import run_kiosk

    # Personal data is masked in every line; $KIOSK_LOG_DIR (the systemd unit's LogsDirectory) adds a file
    # that logrotate rotates (packaging/logrotate/kiosk). Without it, stderr only (the journal).
    log_dir = os.environ.get("KIOSK_LOG_DIR")
    for handler in list(logging.getLogger().handlers):  # `main`'s plain stderr handler: one line per record
        logging.getLogger().removeHandler(handler)
    setup_logging(Path(log_dir) if log_dir else None, level=logging.DEBUG if args.verbose else logging.INFO,
                  external_rotation=bool(log_dir))

    return run_kiosk(ctx.config, size=args.size, windowed=args.windowed)


def _has_display() -> bool:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.startswith(("offscreen", "minimal")):
        return False
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) or sys.platform != "linux"


def _demo(args: argparse.Namespace, ctx: Any) -> int:
    from ui.demo import demo_named

    cfg = demo_named(ctx.config)  # the tour's screens too
    size = args.size or ("1080x1920" if cfg.ui.orientation == "portrait" else "1920x1080")
    lang = args.lang or cfg.ui.language
    scale = float(args.scale) if args.scale else float(cfg.ui.text_scale)
    tour_dir: Path | None = args.tour
    if tour_dir is None and not _has_display():
        tour_dir = Path("tour")
        print("kiosk demo: no display found; rendering the screen tour to ./tour/ instead", file=sys.stderr)
    if tour_dir is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from ui.tour import render_tour

        files = render_tour(cfg, tour_dir, size=size, lang=lang, scale=scale)
        print(f"kiosk demo: wrote {len(files)} screens to {tour_dir}/ ({size}, {lang}, {scale:g}×)")
        return 0
    return _run_demo(cfg, size, lang, scale, windowed=args.windowed)


def _run_demo(cfg: Any, size: str, lang: str, scale: float, *, windowed: bool) -> int:
    from PySide6.QtGui import QKeySequence, QShortcut

    from ui.app import app_state, show_kiosk
    from ui.demo import demo_config, start_demo_kiosk

    cfg, tmp = demo_config(cfg)
    cfg = cfg.model_copy(update={"ui": cfg.ui.model_copy(update={"language": lang, "text_scale": scale})})
    running = start_demo_kiosk(cfg, size=size)
    win, devices = running.window, running.devices
    devices.tmp = tmp
    # Demo controls for the simulated devices (a real kiosk has a reader and a camera instead).
    cards = devices.reader.cards[:10]
    for i in range(len(cards)):
        QShortcut(QKeySequence(f"F{i + 1}"), win).activated.connect(lambda i=i: devices.reader.insert(i))
    QShortcut(QKeySequence("F12"), win).activated.connect(devices.reader.remove)
    if devices.scanner is not None:
        QShortcut(QKeySequence("F11"), win).activated.connect(lambda: devices.scanner.present(0))
    QShortcut(QKeySequence("Ctrl+Q"), win).activated.connect(win.close)
    keys = ", ".join(f"F{i + 1} {c.label.en}" for i, c in enumerate(cards))
    print(f"kiosk demo: {keys}; F12 remove the card; F11 show a health code; Ctrl+Q quit. Receipts (PDF): "
          f"{cfg.printer.pdf_dir}", file=sys.stderr)
    app_state.devices, app_state.window = devices, win
    try:
        return show_kiosk(running.app, win, windowed=windowed)
    finally:
        running.stop()
        app_state.devices = app_state.window = None


register_check(sound_check)
register_check(font_check)
register_check(qt_check)
