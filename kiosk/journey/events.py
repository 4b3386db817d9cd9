"""What can happen to a visit: device events, the person's intents (taps), time, and answers from the worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.identity.record import IdentityRecord
from kiosk.messages import Message


class Event:
    """Base of every journey event (a plain value; the machine decides what it means in each state)."""

    name = "event"


@dataclass
class CardInserted(Event):
    record: IdentityRecord
    name = "card_inserted"


@dataclass
class CardRemoved(Event):
    name = "card_removed"


@dataclass
class CardError(Event):
    message: Message
    name = "card_error"


@dataclass
class Badge(Event):
    """A staff or volunteer badge laid on the reader (only its UID; the roster says who it is)."""

    uid: str
    name = "badge"


@dataclass
class CodeScanned(Event):
    payload: str
    name = "code_scanned"


@dataclass
class Tap(Event):
    """A tile touched; `key` is the choice's key in the current view."""

    key: str
    name = "tap"


@dataclass
class Next(Event):
    """The primary button (Next / Submit / Finish / Sign in); `value` carries what was typed on the keypad."""

    value: str = ""
    name = "next"


@dataclass
class Back(Event):
    name = "back"


@dataclass
class Home(Event):
    name = "home"


@dataclass
class CallHelp(Event):
    name = "call_help"


@dataclass
class Difficult(Event):
    """"这件事我办不了": the person cannot finish here; a difficult case is opened."""

    name = "difficult"


@dataclass
class GreenChannel(Event):
    """Staff switch the visit under way into the green channel (绿色通道); refused by `kiosk.rights` otherwise."""

    name = "green_channel"


@dataclass
class SignOut(Event):
    name = "sign_out"


@dataclass
class Idle(Event):
    """Nobody touched the screen for the idle period and the warning expired."""

    name = "idle"


@dataclass
class Timeout(Event):
    """A screen's own timer ran out (the done screen's return to the start)."""

    name = "timeout"


@dataclass
class DeviceStatus(Event):
    device: str  # card_reader | scanner | printer
    ok: bool
    message: Message | None = None
    name = "device_status"


@dataclass
class Result(Event):
    """The answer to an effect run on the worker: `value` on success, `error` (plain words) on failure.
    `token` is the effect's; an answer for an earlier visit is dropped."""

    kind: str
    token: int
    value: Any = None
    error: Message | None = None
    error_kind: str = ""
    name = "result"
