"""What the handler mixins (`steps_citizen`, `steps_proxy`, `steps_staff`) use of the journey they are mixed into:
declared once here for the type checker, defined by `machine.Journey`. Nothing here runs."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.catalog.model import Catalog
from kiosk.journey.events import SignOut
from kiosk.journey.states import JourneySettings, State, Visit
from kiosk.rights import Action
from kiosk.session import EndReason, Helper, Session

if TYPE_CHECKING:
    from kiosk.identity.record import IdentityRecord
    from kiosk.messages import Message


class JourneyParts:
    """The journey's state and shared steps, as the mixins see them (annotations only: `Journey` sets them)."""

    catalog: Catalog
    settings: JourneySettings
    state: State
    visit: Visit
    helper: Helper | None
    token: int
    ended: list[Session]
    _tokens: itertools.count[int]
    _allow: Callable[[Helper | None, Action], object]  # kiosk.rights.require: raises KioskError when refused

    if TYPE_CHECKING:
        def _emit(self, kind: str, **data: Any) -> None: ...
        def _go(self, state: State, *, push: bool = True) -> None: ...
        def _problem(self, msg: Message) -> None: ...
        def _new_session(self) -> Session: ...
        def _reset(self, reason: EndReason) -> None: ...
        def _today(self) -> dt.date: ...
        def _person_card(self, record: IdentityRecord) -> bool: ...
        def _start_visit(self, record: IdentityRecord) -> None: ...
        def _device_ok(self, name: str) -> bool: ...
        def _sign_out(self, _e: SignOut) -> None: ...
        def _after_identified(self) -> None: ...
        def _go_materials(self) -> None: ...
        def served_is_elderly(self) -> bool: ...
        def _served(self) -> IdentityRecord | None: ...
