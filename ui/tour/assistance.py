"""The tour's states of asking for help: a volunteer called, the idle warning (the only pop-up), and a visit
that cannot be finished here, recorded as a difficult case with a ticket for its window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.journey import Difficult, State
from kiosk.journey.flows.help import HelpPart
from ui.tour.driving import tap_choice, wait_for

if TYPE_CHECKING:
    from ui.tour.walk import Tour


def volunteer_and_idle(t: Tour) -> None:
    """Call a volunteer; then the idle warning over the identify screen."""
    win, j = t.win, t.win.journey
    tap_choice(win, "volunteer")
    wait_for(lambda: HelpPart.of(j.visit).state not in ("", "calling"), 10)
    t.shot("help")
    t.home()
    # The idle warning (the only pop-up), over the identify screen.
    tap_choice(win, "business")
    win.overlay.start()
    t.shot("idle_warning")
    t.home()


def difficult_case(t: Tour) -> None:
    """From the assisted review (`staff.assisted`): this one cannot be finished here, a difficult case with a
    ticket for its window."""
    win, j = t.win, t.win.journey
    win.send(Difficult())
    t.shot("difficult_case")
    tap_choice(win, "materials_missing")
    tap_choice(win, "phone_yes")  # the optional phone: the one typed on the form, masked, for one tap
    wait_for(lambda: j.state is State.DIFFICULT_CASE_DONE, 10)
    t.shot("difficult_case_done")
    t.home()
