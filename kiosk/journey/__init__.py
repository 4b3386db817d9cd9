"""The visit as an explicit state machine, free of Qt: states, events, what each event does in each state (a map
of callables merged from one module per flow, `flows/`), the effects the front end runs on its worker, and a typed
view model per state.

Why a map in plain Python rather than python-statemachine: most of our transitions pick their target from
the event's payload and the session (an elderly card goes to the elderly items, a same card stays put, a
locked badge goes to `signin_locked`), which that library expresses as many guarded copies of one transition;
a dict of (state, event) → handler with the handler's possible targets listed beside it reads as one table,
is walked by the tests, and draws itself (`diagram.mermaid()`, committed in docs/journey.md).
"""

from kiosk.journey.events import (
    Back,
    Badge,
    CallHelp,
    CardError,
    CardInserted,
    CardRemoved,
    CodeScanned,
    DeviceStatus,
    Difficult,
    Event,
    GreenChannel,
    Home,
    Idle,
    Next,
    Result,
    SignOut,
    Tap,
    Timeout,
)
from kiosk.journey.machine import Journey
from kiosk.journey.states import JourneySettings, State
from kiosk.journey.view import ChoiceView, View

__all__ = ["Back", "Badge", "CallHelp", "CardError", "CardInserted", "CardRemoved", "ChoiceView", "CodeScanned",
           "DeviceStatus", "Difficult", "Event", "GreenChannel", "Home", "Idle", "Journey", "JourneySettings", "Next",
           "Result", "SignOut", "State", "Tap", "Timeout", "View"]
