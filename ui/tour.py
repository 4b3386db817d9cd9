"""The screen tour: drives the real window offscreen through every screen and dialog state with the demo
cards and writes one PNG per state, named by screen (for the README, reviews and the no-clipping checks)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEvent, QEventLoop, Qt

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


def render_tour(cfg: KioskConfig, out_dir: Path, *, size: str = "1920x1080", lang: str = "zh_CN",
                scale: float = 1.0, on_shot: Callable[[str, Any], None] | None = None) -> list[Path]:
    """Write `<state>.png` for every screen and dialog state into `out_dir`, and `screens.json` with every
    visible button and label of each state (rules checked from data, regressions diffed); returns the PNGs.

    `on_shot(name, window)` is called at each state before the picture is taken (tests check layouts there).
    """
    from kiosk.journey import Badge, Difficult, Home, State
    from kiosk.journey.flows.batch import BatchPart
    from kiosk.journey.flows.help import HelpPart

    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    states: dict[str, Any] = {}
    people = demo_records()
    elder, adult, permit = people[0], people[1], people[2]
    staff_badge = next(r for r in people if r.uid)

    with tour_window(cfg, SIZES[size], lang, scale) as win:
        online = SyncStatus(online=True, pending=0, rejected=0, oldest_pending_age_s=None, last_success_at=None)
        j = win.journey

        def shot(name: str) -> None:
            settle()
            if on_shot is not None:
                on_shot(name, win)
            path = out_dir / f"{name}.png"
            win.grab().save(str(path))
            files.append(path)
            states[name] = screen_data(win)

        def home() -> None:
            win.send(Home())
            settle()
            if j.state is State.TAKE_CARD:  # the last card is still on the reader: lifted, as people do
                lift(win)
                wait_for(lambda: j.state is State.HOME, 5)

        def next_tap() -> None:
            win.next_button.click()

        from sync.status import SteadyNetwork

        win.network = SteadyNetwork(min_interval_s=0.0, agree=1)  # the tour shows each state at once
        win.set_sync_status(online)
        shot("home")
        tap_choice(win, "business")
        shot("identify")
        win.deps.bridge.on_reader(ReaderEvent(ReaderEventKind.ERROR, "tour", error=_read_failed()))
        wait_for(lambda: j.visit.problem is not None, 5)
        shot("identify_card_error")
        # Acting for someone else: own card first, then the other person's.
        tap_choice(win, "proxy")
        shot("proxy")
        insert(win, adult)
        shot("proxy_principal")
        insert(win, adult)  # the agent's own card again: said plainly on the screen
        shot("proxy_same_card")
        home()
        # No authorization registered for the permit holder and the 72-year-old: the grant code is asked for.
        tap_choice(win, "business")
        tap_choice(win, "proxy")
        insert(win, permit)
        insert(win, elder)
        wait_for(lambda: win.current == "items", 5)
        shot("items_proxy")
        tap_choice(win, "elderly_preferential_card")
        next_tap()
        wait_for(lambda: j.state is State.PROXY_CODE, 10)
        shot("proxy_code")
        win.deps.bridge.on_scan(ScanEvent("LOYALTY-CARD-000123456", "tour"))
        wait_for(lambda: j.visit.problem is not None, 10)
        shot("proxy_code_refused")
        home()
        # The demo's registered authorization: the 35-year-old acts for the 72-year-old, up to the review.
        tap_choice(win, "business")
        tap_choice(win, "proxy")
        insert(win, adult)
        insert(win, elder)
        wait_for(lambda: win.current == "items", 5)
        tap_choice(win, "elderly_preferential_card")
        next_tap()
        wait_for(lambda: win.current == "materials", 10)
        next_tap()
        type_keys(win, "13800138000")
        next_tap()
        if win.current == "form":
            tap_choice(win, "0")
            next_tap()
        shot("review_proxy")
        home()
        # A hall that asks for a health check.
        j.settings = j.settings.__class__(**{**j.settings.__dict__, "health_check_required": True})
        tap_choice(win, "business")
        insert(win, adult)
        wait_for(lambda: win.current == "health", 5)
        shot("health")
        tap_choice(win, "staff_id_check")
        shot("health_waiting_for_staff")
        home()
        j.settings = j.settings.__class__(**{**j.settings.__dict__, "health_check_required": False})
        # A 35-year-old applying for a service: categories first.
        tap_choice(win, "business")
        insert(win, adult)
        wait_for(lambda: win.current == "categories", 5)
        shot("categories")
        # The funeral subsidy asks for the deceased's ID number: the keypad offers X there.
        tap_choice(win, "after_death")
        tap_choice(win, "funeral_subsidy")
        next_tap()
        while win.current == "materials":
            next_tap()
        type_keys(win, "11010519491231002X")  # the longest value, ending in X
        shot("form_keypad_id")
        home()
        # A 72-year-old: elderly high-frequency items first, two departments, one merged form.
        tap_choice(win, "elderly")
        insert(win, elder)
        wait_for(lambda: win.current == "items", 5)
        shot("items_elderly")
        tap_choice(win, "pension_qualification")
        tap_choice(win, "elderly_preferential_card")
        shot("items_chosen")
        # A third with paper to hand in: the pension certification's page asks nothing (skipped), two pages show.
        tap_choice(win, "disability_card_renew")
        next_tap()
        shot("materials")
        next_tap()
        shot("materials_second_item")
        next_tap()
        type_keys(win, "1380013800")
        shot("form_keypad")
        type_keys(win, "0")
        next_tap()
        while win.current == "form" and j.field is not None and j.field.kind != "choice":
            type_keys(win, "6222020200112233445"[:j.field.max_length])
            next_tap()
        if win.current == "form":
            shot("form_choice")
            tap_choice(win, "0")
            next_tap()
        shot("review")
        next_tap()
        wait_for(lambda: win.current == "done" and j.visit.printed in ("printed", "failed"), 20)
        shot("done")
        next_tap()  # 完成, with the card still on the reader
        shot("take_card")
        home()
        # The same person, the same item again today: asked first (the default is not to submit it again).
        tap_choice(win, "elderly")
        insert(win, elder)
        wait_for(lambda: win.current == "items" and bool(j.visit.done_today), 10)
        tap_choice(win, "pension_qualification")
        next_tap()
        shot("same_item_today")
        home()
        # Queue ticket with the HK/Macao/Taiwan permit holder.
        tap_choice(win, "ticket")
        shot("ticket")
        insert(win, permit)
        wait_for(lambda: win.current == "ticket_done" and j.visit.printed not in ("", "printing"), 20)
        shot("ticket_done")
        home()
        tap_choice(win, "volunteer")
        wait_for(lambda: HelpPart.of(j.visit).state not in ("", "calling"), 10)
        shot("help")
        home()
        # The idle warning (the only pop-up), over the identify screen.
        tap_choice(win, "business")
        win.overlay.start()
        shot("idle_warning")
        home()
        # Staff and volunteers: the badge laid on the reader at the home screen, then the PIN.
        win.send(Badge(staff_badge.uid or ""))
        wait_for(lambda: j.state is State.SIGNIN, 10)
        type_keys(win, "2468")
        shot("signin")
        next_tap()
        wait_for(lambda: j.state is State.STAFF_MENU, 10)
        shot("staff_menu")
        tap_choice(win, "assist")
        shot("assisted_home")
        tap_choice(win, "elderly")
        insert(win, elder)
        wait_for(lambda: win.current == "items" and bool(j.visit.done_today), 5)
        tap_choice(win, "pension_qualification")
        next_tap()
        tap_choice(win, "again")  # certified earlier in this tour: the staff member submits it again
        wait_for(lambda: win.current == "form", 5)  # its materials page asks nothing: skipped
        if j.offers_known_phone():  # the phone given earlier in this tour, for one tap
            tap_choice(win, "phone_yes")
        else:
            type_keys(win, "13800138000")
            next_tap()
        wait_for(lambda: win.current == "review", 5)
        shot("assisted_review")
        # This one cannot be finished here: a difficult case, with a ticket for its window.
        win.send(Difficult())
        shot("difficult_case")
        tap_choice(win, "materials_missing")
        tap_choice(win, "phone_yes")  # the optional phone: the one typed on the form, masked, for one tap
        wait_for(lambda: j.state is State.DIFFICULT_CASE_DONE, 10)
        shot("difficult_case_done")
        home()
        # Green channel: staff open it with a reason; priority tickets have very large digits.
        tap_choice(win, "staff_menu")
        tap_choice(win, "priority")
        shot("priority_confirm")
        tap_choice(win, "disability")
        wait_for(lambda: j.state is State.IDENTIFY, 10)
        home()
        tap_choice(win, "ticket")  # a 72-year-old's card: the priority lane
        insert(win, elder)
        wait_for(lambda: win.current == "ticket_done" and j.visit.printed not in ("", "printing"), 20)
        shot("ticket_priority")
        home()
        # Paper power of attorney, confirmed by the signed-in staff member with a reason.
        tap_choice(win, "staff_menu")
        tap_choice(win, "proxy_paper")
        insert(win, permit)
        insert(win, elder)
        wait_for(lambda: win.current == "items" and bool(j.visit.done_today), 5)
        tap_choice(win, "elderly_preferential_card")
        next_tap()
        tap_choice(win, "again")  # applied for earlier in this tour: submitted again on purpose
        wait_for(lambda: j.state is State.PROXY_CODE, 10)
        tap_choice(win, "paper")
        shot("proxy_paper")
        home()
        # Batch handling (批量办理): pension certifications for several people in a row.
        tap_choice(win, "staff_menu")
        tap_choice(win, "batch")
        tap_choice(win, "pension_qualification")
        type_keys(win, "02012345678")  # the care home's phone, once for the whole batch
        next_tap()
        wait_for(lambda: j.state is State.BATCH_LIST, 10)
        insert(win, elder)
        wait_for(lambda: len(BatchPart.of(j.visit).entries) == 1, 10)
        tap_choice(win, "type_id")
        type_keys(win, "11010519491231002X")
        next_tap()
        wait_for(lambda: len(BatchPart.of(j.visit).entries) == 2, 10)
        shot("batch_list")
        next_tap()
        wait_for(lambda: j.state is State.BATCH_DONE, 20)
        shot("batch_done")
        next_tap()  # back to the staff menu
        tap_choice(win, "sign_out")
        assert j.helper is None
        home()  # the batch's last card is asked back, then lifted

        # Five wrong PINs: the badge is locked for a while.
        for _ in range(6):
            win.send(Badge(staff_badge.uid or ""))
            wait_for(lambda: j.state in (State.SIGNIN, State.SIGNIN_LOCKED), 10)
            if j.state is State.SIGNIN_LOCKED:
                break
            type_keys(win, "1111")
            next_tap()
            wait_for(lambda: not j.visit.busy, 10)
            if j.state is State.SIGNIN:
                home()
        wait_for(lambda: j.state is State.SIGNIN_LOCKED, 10)
        shot("signin_locked")
        home()
        # Offline: said calmly in the status strip, with uploads waiting.
        win.set_sync_status(SyncStatus(online=False, pending=3, rejected=0, oldest_pending_age_s=120.0,
                                       last_success_at=None, last_error="hub unreachable"))
        shot("home_offline")
    (out_dir / "screens.json").write_text(json.dumps({"size": size, "lang": lang, "scale": scale, "states": states},
                                                     ensure_ascii=False, indent=1), encoding="utf-8")
    return files


def type_keys(win: Any, keys: str) -> None:
    """Tap the keypad of the screen shown (form or panel), as a person would."""
    keypad = win.screens[win.current].keypad
    for k in keys:
        keypad.buttons[k].click()


def screen_data(win: Any) -> dict[str, Any]:
    """Every visible button and label of the window as data: key, words, rectangle, enabled; words, font size,
    colours."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QLabel, QWidget

    from ui.widgets import BigButton

    def rect(w: QWidget) -> list[int]:
        p = w.mapTo(win, QPoint(0, 0))
        return [p.x(), p.y(), w.width(), w.height()]

    def background(w: QWidget) -> str:
        node: QWidget | None = w
        while node is not None:
            if node.autoFillBackground() or node.testAttribute(Qt.WidgetAttribute.WA_StyledBackground) or \
                    node.property("role") == "banner":
                return node.palette().color(node.backgroundRole()).name()
            node = node.parentWidget()
        return win.palette().color(win.backgroundRole()).name()

    buttons = []
    labels = []
    for w in win.findChildren(QWidget):
        if not w.isVisible():
            continue
        if isinstance(w, BigButton):
            key = w.property("choice_key") or w.objectName() or w.label_text()
            buttons.append({"key": key, "text": w.label_text(), "rect": rect(w), "enabled": w.isEnabled()})
        elif isinstance(w, QLabel) and w.text() and not isinstance(w.parentWidget(), BigButton):
            labels.append({"text": w.text(), "font_px": w.font().pixelSize(),
                           "color": w.palette().color(w.foregroundRole()).name(), "background": background(w)})
    return {"buttons": buttons, "labels": labels}


def _read_failed() -> Any:
    from drivers.errors import reader_error

    return reader_error("read_failed")


def tour_matrix() -> list[tuple[str, str]]:
    return [(s, lang) for s in SIZES for lang in ("zh_CN", "en")]


__all__ = ["SIZES", "insert", "render_tour", "screen_data", "tap_choice", "tour_matrix", "type_keys", "wait_for"]
