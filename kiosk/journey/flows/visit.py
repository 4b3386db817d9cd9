"""What every state answers the same way (Home, Back, idle, sign-out, a card lifted, device status) and the card
left behind (`take_card`): the rows of the map no one flow owns."""

from __future__ import annotations

from kiosk.journey.core import Core, Flow, on
from kiosk.journey.events import (
    Back,
    CardError,
    CardRemoved,
    DeviceStatus,
    Event,
    Home,
    Idle,
    SignOut,
)
from kiosk.journey.states import CARD_MAY_LEAVE, ENDS, S, State
from kiosk.journey.views import Draft
from kiosk.session import EndReason


def go_home(j: Core, _e: Home) -> None:
    j._reset(EndReason.HOME)


def to_home(j: Core, _e: Event) -> None:
    j._reset(EndReason.CANCELLED)


def finish(j: Core, _e: Event) -> None:
    j._reset(EndReason.DONE)


def on_idle(j: Core, _e: Idle) -> None:
    j._sign_out("idle", EndReason.IDLE)  # sign-out on idle: the next person must not inherit a helper's rights


def sign_out(j: Core, _e: SignOut) -> None:
    if j.helper is not None:
        j._sign_out("button", EndReason.HOME)


def go_back(j: Core, _e: Back) -> None:
    """Back along the visit's history (a detour returns to the screen it was opened on)."""
    v = j.visit
    if not v.history:
        return
    back_to(j, v.history.pop())


def back_to(j: Core, target: State) -> None:
    if target is S.HOME:
        j._reset(EndReason.CANCELLED)
        return
    if target is S.PROXY_CHECKING:  # a check in flight is not a place to return to
        target = S.ITEMS
    j._go(target, push=False, back=True)
    j.visit.busy = False


def stay(j: Core, _e: Event) -> None:
    """Nothing happens here for this event."""


def card_taken(j: Core, _e: CardRemoved) -> None:
    j._go(S.HOME, push=False, keep_problem=True)


def card_removed(j: Core, _e: CardRemoved) -> None:
    """`CARD_MAY_LEAVE` says where the visit goes on without the card; elsewhere it ends at once."""
    s = j.visit.session
    if j.state in CARD_MAY_LEAVE or s is None or s.principal is None:
        return
    j._reset(EndReason.CARD_REMOVED)


def device_status(j: Core, e: DeviceStatus) -> None:
    j.devices[e.device] = (e.ok, e.message)


def show_card_error(j: Core, e: CardError) -> None:
    """Said where a person's card is asked for (the states whose rows name this)."""
    j._problem(e.message)


def take_card_view(_j: Core, d: Draft) -> None:
    d.picture = "take_card"  # a card lifted off the reader
    d.back = d.home = d.help = False


_STAY = on(stay)
FLOW = Flow(
    "visit",
    table={
        # A card left on the reader after a visit: nothing else happens until it is lifted (the next person's
        # screen never shows while the last person's card is there).
        S.TAKE_CARD: {"card_removed": on(card_taken, S.HOME), "home": _STAY, "back": _STAY, "idle": _STAY,
                      "call_help": _STAY, "difficult": _STAY, "green_channel": _STAY, "sign_out": _STAY},
    },
    everywhere={"home": on(go_home, *ENDS), "back": on(go_back, *ENDS, S.ITEMS, returns=True),
                "idle": on(on_idle, *ENDS), "sign_out": on(sign_out, *ENDS), "card_removed": on(card_removed, S.HOME),
                "device_status": on(device_status)},
    views={S.TAKE_CARD: take_card_view},
)
