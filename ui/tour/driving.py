"""How the tour drives the real window as people and devices do: card reads and lifts through the bridge, taps on
the visible tiles and keypad keys, and the event loop run until the window has caught up."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEvent, QEventLoop

from drivers.events import ReaderEvent, ReaderEventKind
from kiosk.config import KioskConfig
from kiosk.identity.record import IdentityRecord


def wait_for(cond: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Run the event loop until `cond()` holds (worker results arrive as queued signals)."""
    deadline = QDeadlineTimer(int(timeout * 1000))
    while not cond():
        if deadline.hasExpired():
            return False
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    return True


def settle() -> None:
    """Let deferred relayouts (grids re-paging after a resize) and their layout passes run."""
    for _ in range(3):
        QCoreApplication.processEvents()


def demo_records() -> list[IdentityRecord]:
    from drivers.simulated import load_cards

    return [c.record for c in load_cards()]


def insert(win: Any, record: IdentityRecord) -> None:
    """Deliver a card read the way the reader thread does (through the bridge, queued onto the GUI thread)."""
    fresh = IdentityRecord.from_json_dict(record.to_json_dict())
    win.deps.bridge.on_reader(ReaderEvent(ReaderEventKind.CARD_PRESENT, "tour"))
    win.deps.bridge.on_reader(ReaderEvent(ReaderEventKind.IDENTITY, "tour", record=fresh))
    QCoreApplication.processEvents()


def lift(win: Any) -> None:
    """Take the card off the reader, reported the way the reader thread does."""
    win.deps.bridge.on_reader(ReaderEvent(ReaderEventKind.CARD_REMOVED, "tour"))
    QCoreApplication.processEvents()


def tap_choice(win: Any, key: str) -> None:
    from ui.widgets import ChoiceGrid

    settle()
    screen = win.screens[win.current]
    for grid in screen.findChildren(ChoiceGrid):
        if grid.isVisible():
            for _ in range(grid.pages() + 1):
                for b in grid.visible_buttons():
                    if b.property("choice_key") == key:
                        b.click()
                        return
                grid._clicked("__next")
    raise LookupError(f"no choice {key!r} on {win.current}")


def type_keys(win: Any, keys: str) -> None:
    """Tap the keypad of the screen shown (form or panel), as a person would."""
    keypad = win.screens[win.current].keypad
    for k in keys:
        keypad.buttons[k].click()


@contextmanager
def tour_window(cfg: KioskConfig, size: tuple[int, int], lang: str, scale: float) -> Iterator[Any]:
    from ui.app import build_deps, qt_app
    from ui.window import KioskWindow

    qt_app()
    with tempfile.TemporaryDirectory(prefix="kiosk-tour-") as tmp:
        base = Path(tmp)
        cfg = cfg.model_copy(update={
            "data_dir": base / "data", "printer": cfg.printer.model_copy(update={"pdf_dir": base / "pdf"}),
            "ui": cfg.ui.model_copy(update={"language": lang, "text_scale": scale, "voice": False}),
            # The tour's cards and badges are the simulated reader's (as in `kiosk demo`).
            "card_reader": cfg.card_reader.model_copy(update={"driver": "simulated"}),
        })
        deps = build_deps(cfg, voice=False)
        from ui.demo import seed_demo_authorization, seed_demo_roster

        seed_demo_authorization(cfg.data_dir)  # demo data, as in `kiosk demo`
        seed_demo_roster(cfg.data_dir)
        win = KioskWindow(deps, width=size[0], height=size[1])
        win.show()
        try:
            yield win
        finally:
            win.close()
            deps.runner.shutdown()
            if deps.paper is not None:
                deps.paper.shutdown()
            win.deleteLater()
            # Delete it now: a window left alive would be restyled with every later window's theme.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
