"""The visit's state machine: `Journey` is the engine (`core.Core`) over the merged map of every flow
(`flows.NAV`). `Journey.handle(event)` applies an event and returns the effects a front end runs on its worker;
`Journey.view()` is the plain view model of the current state. Nothing here imports Qt or touches the store."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.catalog.model import Catalog, FormField, Item
from kiosk.clock import Clock, system_clock
from kiosk.journey.core import Core
from kiosk.journey.flows import NAV, citizen, form
from kiosk.journey.states import JourneySettings
from kiosk.rights import Action
from kiosk.session import Helper

TABLE = NAV.table  # per state: event key → entry (handler and targets); a Result's key is "result:<kind>"
GLOBAL = NAV.everywhere  # the entries every state answers the same way (unless its own row says otherwise)


class Journey(Core):
    """One kiosk's journey: feed it events, run the effects it returns, render `view()`."""

    def __init__(self, catalog: Catalog, settings: JourneySettings | None = None, *, clock: Clock = system_clock,
                 allow: Callable[[Helper | None, Action], object] | None = None) -> None:
        super().__init__(NAV, catalog, settings, clock=clock, allow=allow)

    def items(self) -> list[Item]:
        """What the items state offers (print items, elderly items first, only what allows an agent for one)."""
        return citizen.items(self)

    @property
    def field(self) -> FormField | None:
        """The form's question now asked."""
        return form.current_field(self)

    def offers_known_phone(self) -> bool:
        """Whether the phone question offers the hall's known phone for one tap."""
        return form.offers_known_phone(self)
