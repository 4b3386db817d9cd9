"""The tour's batch states (批量办理): pension certifications for several people in a row, one read by card and
one typed, then the staff member signs out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.journey import State
from kiosk.journey.flows.batch import BatchPart
from ui.tour.driving import insert, tap_choice, type_keys, wait_for

if TYPE_CHECKING:
    from ui.tour.walk import Tour


def batch(t: Tour) -> None:
    """Batch handling (批量办理): pension certifications for several people in a row."""
    win, j = t.win, t.win.journey
    tap_choice(win, "staff_menu")
    tap_choice(win, "batch")
    tap_choice(win, "pension_qualification")
    type_keys(win, "02012345678")  # the care home's phone, once for the whole batch
    t.next_tap()
    wait_for(lambda: j.state is State.BATCH_LIST, 10)
    insert(win, t.elder)
    wait_for(lambda: len(BatchPart.of(j.visit).entries) == 1, 10)
    tap_choice(win, "type_id")
    type_keys(win, "11010519491231002X")
    t.next_tap()
    wait_for(lambda: len(BatchPart.of(j.visit).entries) == 2, 10)
    t.shot("batch_list")
    t.next_tap()
    wait_for(lambda: j.state is State.BATCH_DONE, 20)
    t.shot("batch_done")
    t.next_tap()  # back to the staff menu
    tap_choice(win, "sign_out")
    assert j.helper is None
    t.home()  # the batch's last card is asked back, then lifted
