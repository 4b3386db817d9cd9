"""The tour's proxy states: acting for someone else with one's own card first, then the other person's; the
authorization code asked for where none is registered, and the registered one up to the review."""

from __future__ import annotations

from typing import TYPE_CHECKING

from drivers.events import ScanEvent
from kiosk.journey import State
from ui.tour.driving import insert, tap_choice, type_keys, wait_for

if TYPE_CHECKING:
    from ui.tour.walk import Tour


def own_cards(t: Tour) -> None:
    """Acting for someone else: own card first, then the other person's."""
    win = t.win
    tap_choice(win, "proxy")
    t.shot("proxy")
    insert(win, t.adult)
    t.shot("proxy_principal")
    insert(win, t.adult)  # the agent's own card again: said plainly on the screen
    t.shot("proxy_same_card")
    t.home()


def grant_code(t: Tour) -> None:
    """No authorization registered for the permit holder and the 72-year-old: the grant code is asked for."""
    win, j = t.win, t.win.journey
    tap_choice(win, "business")
    tap_choice(win, "proxy")
    insert(win, t.permit)
    insert(win, t.elder)
    wait_for(lambda: win.current == "items", 5)
    t.shot("items_proxy")
    tap_choice(win, "elderly_preferential_card")
    t.next_tap()
    wait_for(lambda: j.state is State.PROXY_CODE, 10)
    t.shot("proxy_code")
    win.deps.bridge.on_scan(ScanEvent("LOYALTY-CARD-000123456", "tour"))
    wait_for(lambda: j.visit.problem is not None, 10)
    t.shot("proxy_code_refused")
    t.home()


def registered(t: Tour) -> None:
    """The demo's registered authorization: the 35-year-old acts for the 72-year-old, up to the review."""
    win = t.win
    tap_choice(win, "business")
    tap_choice(win, "proxy")
    insert(win, t.adult)
    insert(win, t.elder)
    wait_for(lambda: win.current == "items", 5)
    tap_choice(win, "elderly_preferential_card")
    t.next_tap()
    wait_for(lambda: win.current == "materials", 10)
    t.next_tap()
    type_keys(win, "13800138000")
    t.next_tap()
    if win.current == "form":
        tap_choice(win, "0")
        t.next_tap()
    t.shot("review_proxy")
    t.home()
