"""The tour's staff states: the badge and PIN, the staff menu, an assisted visit up to its review, the green
channel's priority ticket, a paper power of attorney, and a badge locked after wrong PINs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.journey import Badge, State
from ui.tour.driving import insert, tap_choice, type_keys, wait_for

if TYPE_CHECKING:
    from ui.tour.walk import Tour


def assisted(t: Tour) -> None:
    """Staff and volunteers: the badge laid on the reader at the home screen, then the PIN; an assisted visit."""
    win, j = t.win, t.win.journey
    win.send(Badge(t.staff_badge.uid or ""))
    wait_for(lambda: j.state is State.SIGNIN, 10)
    type_keys(win, "2468")
    t.shot("signin")
    t.next_tap()
    wait_for(lambda: j.state is State.STAFF_MENU, 10)
    t.shot("staff_menu")
    tap_choice(win, "assist")
    t.shot("assisted_home")
    tap_choice(win, "elderly")
    insert(win, t.elder)
    wait_for(lambda: win.current == "items" and bool(j.visit.done_today), 5)
    tap_choice(win, "pension_qualification")
    t.next_tap()
    tap_choice(win, "again")  # certified earlier in this tour: the staff member submits it again
    wait_for(lambda: win.current == "form", 5)  # its materials page asks nothing: skipped
    if j.offers_known_phone():  # the phone given earlier in this tour, for one tap
        tap_choice(win, "phone_yes")
    else:
        type_keys(win, "13800138000")
        t.next_tap()
    wait_for(lambda: win.current == "review", 5)
    t.shot("assisted_review")


def green_channel(t: Tour) -> None:
    """Green channel: staff open it with a reason; priority tickets have very large digits."""
    win, j = t.win, t.win.journey
    tap_choice(win, "staff_menu")
    tap_choice(win, "priority")
    t.shot("priority_confirm")
    tap_choice(win, "disability")
    wait_for(lambda: j.state is State.IDENTIFY, 10)
    t.home()
    tap_choice(win, "ticket")  # a 72-year-old's card: the priority lane
    insert(win, t.elder)
    wait_for(lambda: win.current == "ticket_done" and j.visit.printed not in ("", "printing"), 20)
    t.shot("ticket_priority")
    t.home()


def paper_proxy(t: Tour) -> None:
    """Paper power of attorney, confirmed by the signed-in staff member with a reason."""
    win, j = t.win, t.win.journey
    tap_choice(win, "staff_menu")
    tap_choice(win, "proxy_paper")
    insert(win, t.permit)
    insert(win, t.elder)
    wait_for(lambda: win.current == "items" and bool(j.visit.done_today), 5)
    tap_choice(win, "elderly_preferential_card")
    t.next_tap()
    tap_choice(win, "again")  # applied for earlier in this tour: submitted again on purpose
    wait_for(lambda: j.state is State.PROXY_CODE, 10)
    tap_choice(win, "paper")
    t.shot("proxy_paper")
    t.home()


def locked_badge(t: Tour) -> None:
    """Five wrong PINs: the badge is locked for a while."""
    win, j = t.win, t.win.journey
    for _ in range(6):
        win.send(Badge(t.staff_badge.uid or ""))
        wait_for(lambda: j.state in (State.SIGNIN, State.SIGNIN_LOCKED), 10)
        if j.state is State.SIGNIN_LOCKED:
            break
        type_keys(win, "1111")
        t.next_tap()
        wait_for(lambda: not j.visit.busy, 10)
        if j.state is State.SIGNIN:
            t.home()
    wait_for(lambda: j.state is State.SIGNIN_LOCKED, 10)
    t.shot("signin_locked")
    t.home()
