"""The tour's citizen states: the home and identify screens, a health check, services chosen by category and by
the elderly's list through materials, forms, review and paper, the same item again today, a queue ticket, and
the kiosk offline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drivers.events import ReaderEvent, ReaderEventKind
from sync.status import SyncStatus
from ui.tour.driving import insert, tap_choice, type_keys, wait_for

if TYPE_CHECKING:
    from ui.tour.walk import Tour


def start(t: Tour) -> None:
    """Home, then the card asked for, and a card that could not be read."""
    win, j = t.win, t.win.journey
    t.shot("home")
    tap_choice(win, "business")
    t.shot("identify")
    win.deps.bridge.on_reader(ReaderEvent(ReaderEventKind.ERROR, "tour", error=_read_failed()))
    wait_for(lambda: j.visit.problem is not None, 5)
    t.shot("identify_card_error")


def health_check(t: Tour) -> None:
    """A hall that asks for a health check."""
    win, j = t.win, t.win.journey
    j.settings = j.settings.__class__(**{**j.settings.__dict__, "health_check_required": True})
    tap_choice(win, "business")
    insert(win, t.adult)
    wait_for(lambda: win.current == "health", 5)
    t.shot("health")
    tap_choice(win, "staff_id_check")
    t.shot("health_waiting_for_staff")
    t.home()
    j.settings = j.settings.__class__(**{**j.settings.__dict__, "health_check_required": False})


def adult(t: Tour) -> None:
    """A 35-year-old applying for a service: categories first."""
    win = t.win
    tap_choice(win, "business")
    insert(win, t.adult)
    wait_for(lambda: win.current == "categories", 5)
    t.shot("categories")
    # The funeral subsidy asks for the deceased's ID number: the keypad offers X there.
    tap_choice(win, "after_death")
    tap_choice(win, "funeral_subsidy")
    t.next_tap()
    while win.current == "materials":
        t.next_tap()
    type_keys(win, "11010519491231002X")  # the longest value, ending in X
    t.shot("form_keypad_id")
    t.home()


def elder(t: Tour) -> None:
    """A 72-year-old: elderly high-frequency items first, two departments, one merged form."""
    win, j = t.win, t.win.journey
    tap_choice(win, "elderly")
    insert(win, t.elder)
    wait_for(lambda: win.current == "items", 5)
    t.shot("items_elderly")
    tap_choice(win, "pension_qualification")
    tap_choice(win, "elderly_preferential_card")
    t.shot("items_chosen")
    # A third with paper to hand in: the pension certification's page asks nothing (skipped), two pages show.
    tap_choice(win, "disability_card_renew")
    t.next_tap()
    t.shot("materials")
    t.next_tap()
    t.shot("materials_second_item")
    t.next_tap()
    type_keys(win, "1380013800")
    t.shot("form_keypad")
    type_keys(win, "0")
    t.next_tap()
    while win.current == "form" and j.field is not None and j.field.kind != "choice":
        type_keys(win, "6222020200112233445"[:j.field.max_length])
        t.next_tap()
    if win.current == "form":
        t.shot("form_choice")
        tap_choice(win, "0")
        t.next_tap()
    t.shot("review")
    t.next_tap()
    wait_for(lambda: win.current == "done" and j.visit.printed in ("printed", "failed"), 20)
    t.shot("done")
    t.next_tap()  # 完成, with the card still on the reader
    t.shot("take_card")
    t.home()


def same_item_today(t: Tour) -> None:
    """The same person, the same item again today: asked first (the default is not to submit it again)."""
    win, j = t.win, t.win.journey
    tap_choice(win, "elderly")
    insert(win, t.elder)
    wait_for(lambda: win.current == "items" and bool(j.visit.done_today), 10)
    tap_choice(win, "pension_qualification")
    t.next_tap()
    t.shot("same_item_today")
    t.home()


def ticket(t: Tour) -> None:
    """Queue ticket with the HK/Macao/Taiwan permit holder."""
    win, j = t.win, t.win.journey
    tap_choice(win, "ticket")
    t.shot("ticket")
    insert(win, t.permit)
    wait_for(lambda: win.current == "ticket_done" and j.visit.printed not in ("", "printing"), 20)
    t.shot("ticket_done")
    t.home()


def offline(t: Tour) -> None:
    """Offline: said calmly in the status strip, with uploads waiting."""
    t.win.set_sync_status(SyncStatus(online=False, pending=3, rejected=0, oldest_pending_age_s=120.0,
                                     last_success_at=None, last_error="hub unreachable"))
    t.shot("home_offline")


def _read_failed() -> Any:
    from drivers.errors import reader_error

    return reader_error("read_failed")

