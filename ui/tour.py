"""The screen tour: drives the real window offscreen through every screen and dialog state with the demo
cards and writes one PNG per state, named by screen (for the README, reviews and the no-clipping checks)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEvent, QEventLoop

from drivers.events import ReaderEvent, ReaderEventKind, ScanEvent
from kiosk.config import KioskConfig
from kiosk.identity.record import IdentityRecord
from sync.status import SyncStatus

SIZES = {"1920x1080": (1920, 1080), "1080x1920": (1080, 1920)}


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


def tap_choice(win: Any, key: str) -> None:
    from ui.widgets import ChoiceGrid

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
        })
        deps = build_deps(cfg, voice=False)
        from ui.app import seed_demo_authorization, seed_demo_roster

        seed_demo_authorization(cfg.data_dir)  # demo data, as in `kiosk demo`
        seed_demo_roster(cfg.data_dir)
        win = KioskWindow(deps, width=size[0], height=size[1])
        win.show()
        try:
            yield win
        finally:
            win.close()
            deps.runner.shutdown()
            win.deleteLater()
            # Delete it now: a window left alive would be restyled with every later window's theme.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def render_tour(cfg: KioskConfig, out_dir: Path, *, size: str = "1920x1080", lang: str = "zh_CN",
                scale: float = 1.0, on_shot: Callable[[str, Any], None] | None = None) -> list[Path]:
    """Write `<screen>.png` for every screen and dialog state into `out_dir`; returns the files.

    `on_shot(name, window)` is called at each state before the picture is taken (tests check layouts there).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    people = demo_records()
    elder, adult, permit = people[0], people[1], people[2]

    with tour_window(cfg, SIZES[size], lang, scale) as win:
        online = SyncStatus(online=True, pending=0, rejected=0, oldest_pending_age_s=None, last_success_at=None)

        def shot(name: str) -> None:
            settle()
            if on_shot is not None:
                on_shot(name, win)
            path = out_dir / f"{name}.png"
            win.grab().save(str(path))
            files.append(path)

        win.set_sync_status(online)
        shot("home")
        tap_choice(win, "business")
        shot("identify")
        win.deps.bridge.on_reader(ReaderEvent(ReaderEventKind.ERROR, "tour", error=_read_failed()))
        wait_for(lambda: win.screens["identify"].error.isVisible(), 5)
        shot("identify_card_error")
        from kiosk.session import EndReason

        # Acting for someone else: own card first, then the other person's.
        tap_choice(win, "proxy")
        shot("proxy")
        insert(win, adult)
        shot("proxy_principal")
        insert(win, adult)  # the agent's own card again: said plainly on the screen
        shot("proxy_same_card")
        win.reset(EndReason.HOME)
        # No authorization registered for the permit holder and the 72-year-old: the grant code is asked for.
        tap_choice(win, "business")
        tap_choice(win, "proxy")
        insert(win, permit)
        insert(win, elder)
        wait_for(lambda: win.current == "items", 5)
        shot("items_proxy")
        tap_choice(win, "elderly_preferential_card")
        win.next_button.click()
        proxy = win.screens["proxy"]
        wait_for(lambda: proxy.stage == "code", 10)
        shot("proxy_code")
        win.deps.bridge.on_scan(ScanEvent("LOYALTY-CARD-000123456", "tour"))
        wait_for(lambda: proxy.error.isVisible(), 10)
        shot("proxy_code_refused")
        win.reset(EndReason.HOME)
        # The demo's registered authorization: the 35-year-old acts for the 72-year-old, up to the review.
        tap_choice(win, "business")
        tap_choice(win, "proxy")
        insert(win, adult)
        insert(win, elder)
        wait_for(lambda: win.current == "items", 5)
        tap_choice(win, "elderly_preferential_card")
        win.next_button.click()
        wait_for(lambda: win.current == "materials", 10)
        win.next_button.click()
        form = win.screens["form"]
        for key in "13800138000":
            form.keypad.buttons[key].click()
        win.next_button.click()
        if win.current == "form":
            tap_choice(win, "0")
            win.next_button.click()
        shot("review_proxy")
        win.reset(EndReason.HOME)
        tap_choice(win, "business")
        win.go("health")
        shot("health")
        tap_choice(win, "staff_id_check")
        shot("health_waiting_for_staff")
        win.reset(EndReason.HOME)
        # A 35-year-old applying for a service: categories first.
        tap_choice(win, "business")
        insert(win, adult)
        wait_for(lambda: win.current == "categories", 5)
        shot("categories")
        # The funeral subsidy asks for the deceased's ID number: the keypad offers X there.
        tap_choice(win, "after_death")
        tap_choice(win, "funeral_subsidy")
        win.next_button.click()
        while win.current == "materials":
            win.next_button.click()
        form = win.screens["form"]
        for key in "11010519491231002X":  # the longest value, ending in X
            form.keypad.buttons[key].click()
        shot("form_keypad_id")
        win.reset(EndReason.HOME)
        # A 72-year-old: elderly high-frequency items first, two departments, one merged form.
        tap_choice(win, "elderly")
        insert(win, elder)
        wait_for(lambda: win.current == "items", 5)
        shot("items_elderly")
        tap_choice(win, "pension_qualification")
        tap_choice(win, "elderly_preferential_card")
        shot("items_chosen")
        win.next_button.click()
        shot("materials")
        win.next_button.click()
        shot("materials_second_item")
        win.next_button.click()
        form = win.screens["form"]
        for key in "1380013800":
            form.keypad.buttons[key].click()
        shot("form_keypad")
        form.keypad.buttons["0"].click()
        win.next_button.click()
        while win.current == "form" and form.field is not None and form.field.kind != "choice":
            for key in "6222020200112233445"[:form.field.max_length]:
                form.keypad.buttons[key].click()
            win.next_button.click()
        if win.current == "form":
            shot("form_choice")
            tap_choice(win, "0")
            win.next_button.click()
        shot("review")
        win.next_button.click()
        wait_for(lambda: win.current == "done" and win.screens["done"].print_state in ("printed", "failed"), 20)
        shot("done")
        win.reset(EndReason.DONE)
        # Queue ticket with the HK/Macao/Taiwan permit holder.
        tap_choice(win, "ticket")
        shot("ticket")
        insert(win, permit)
        wait_for(lambda: win.current == "ticket_done" and win.screens["ticket_done"].print_state != "printing", 20)
        shot("ticket_done")
        win.reset(EndReason.DONE)
        tap_choice(win, "volunteer")
        wait_for(lambda: win.screens["help"]._state == "called", 10)
        shot("help")
        win.reset(EndReason.HOME)
        # The idle warning (the only pop-up), over the identify screen.
        tap_choice(win, "business")
        win.overlay.start()
        shot("idle_warning")
        win.reset(EndReason.HOME)
        # Offline: said calmly in the status strip, with uploads waiting.
        win.set_sync_status(SyncStatus(online=False, pending=3, rejected=0, oldest_pending_age_s=120.0,
                                       last_success_at=None, last_error="hub unreachable"))
        shot("home_offline")
    return files


def _read_failed() -> Any:
    from drivers.errors import reader_error

    return reader_error("read_failed")


def tour_matrix() -> list[tuple[str, str]]:
    return [(s, lang) for s in SIZES for lang in ("zh_CN", "en")]


__all__ = ["SIZES", "insert", "render_tour", "tap_choice", "tour_matrix", "wait_for"]
