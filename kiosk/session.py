"""A citizen's session at the kiosk: mode, who is served (principal), who acts (agent), who helps (helper).

Modes: self-service, assisted (a volunteer or staff member at the kiosk), proxy (a relative or authorised
agent acts for the principal, 代办), priority (green channel, 绿色通道). `end()` wipes personal data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kiosk.clock import CHINA_TZ, Clock, system_clock
from kiosk.identity.record import IdentityRecord
from kiosk.locale import phrase
from kiosk.messages import KioskError
from kiosk.store.outbox import new_id


class Mode(StrEnum):
    SELF_SERVICE = "self_service"
    ASSISTED = "assisted"
    PROXY = "proxy"
    PRIORITY = "priority"


class HelperRole(StrEnum):
    VOLUNTEER = "volunteer"
    STAFF = "staff"


@dataclass(frozen=True)
class Helper:
    """A volunteer or staff member signed in by badge; `helper_id` is the roster id, not personal data."""

    helper_id: str
    role: HelperRole
    display_name: str = ""


class EndReason(StrEnum):
    DONE = "done"
    IDLE = "idle"
    CARD_REMOVED = "card_removed"
    CANCELLED = "cancelled"
    HOME = "home"


@dataclass
class Session:
    """State of one visit. Screens ask it what to show and tell it what the person did."""

    clock: Clock = system_clock
    idle_seconds: int = 60
    elderly_age: int = 60
    id: str = field(default_factory=new_id)
    mode: Mode = Mode.SELF_SERVICE
    principal: IdentityRecord | None = None
    agent: IdentityRecord | None = None
    helper: Helper | None = None
    authorization_id: str | None = None
    # How the hall's health check was passed, if it requires one: code | id_card_staff | paper_proof.
    health_check: str | None = None
    selected_items: list[str] = field(default_factory=list)
    form_values: dict[str, Any] = field(default_factory=dict)
    started_at: dt.datetime = field(default_factory=system_clock)
    last_activity: dt.datetime = field(default_factory=system_clock)
    ended: EndReason | None = None

    def __post_init__(self) -> None:
        now = self.clock()
        self.started_at = now
        self.last_activity = now

    # --- activity -------------------------------------------------------------------------------
    def touch(self) -> None:
        self._alive()
        self.last_activity = self.clock()

    def idle_for(self) -> float:
        return (self.clock() - self.last_activity).total_seconds()

    def is_idle(self) -> bool:
        return self.idle_for() >= self.idle_seconds

    def today(self) -> dt.date:
        return self.clock().astimezone(CHINA_TZ).date()

    # --- who --------------------------------------------------------------------------------------
    def identify(self, record: IdentityRecord) -> None:
        """The person at the kiosk identified themselves (card or e-ID code)."""
        self._alive()
        if self.mode is Mode.PROXY and self.principal is not None:
            self.agent = record
        else:
            self.principal = record
        self.touch()

    @property
    def applicant(self) -> IdentityRecord | None:
        return self.principal

    @property
    def is_elderly(self) -> bool:
        p = self.principal
        return bool(p and p.birth_date and p.is_elderly(self.today(), self.elderly_age))

    def set_mode(self, mode: Mode, helper: Helper | None = None) -> None:
        self._alive()
        if mode in (Mode.ASSISTED, Mode.PRIORITY) and helper is None and self.helper is None:
            raise KioskError("helper_required", phrase("session.helper_required"))
        acting = helper or self.helper
        if mode is Mode.PRIORITY and (acting is None or acting.role is not HelperRole.STAFF):
            raise KioskError("staff_required",
                             phrase("session.staff_required"))
        if helper is not None:
            self.helper = helper
        self.mode = mode
        self.touch()

    def start_proxy(self, principal: IdentityRecord, authorization_id: str) -> None:
        """An agent acts for `principal` under a checked authorization (registered or a signed grant code)."""
        self._alive()
        self.mode = Mode.PROXY
        if self.principal is not None and self.agent is None:
            self.agent = self.principal
        self.principal = principal
        self.authorization_id = authorization_id
        self.touch()

    # --- what -------------------------------------------------------------------------------------
    def select_items(self, codes: list[str]) -> None:
        self._alive()
        self.selected_items = list(dict.fromkeys(codes))
        self.touch()

    def record_health_check(self, method: str, helper: Helper | None = None) -> None:
        """The health check passed by a code, or by staff/volunteer checking the ID card or a paper proof."""
        self._alive()
        if method not in ("code", "id_card_staff", "paper_proof"):
            raise ValueError(method)
        if method != "code" and helper is None and self.helper is None:
            raise KioskError("helper_required", phrase("session.helper_must_check"))
        if helper is not None:
            self.helper = helper
        self.health_check = method
        self.touch()

    def set_form_value(self, code: str, value: Any) -> None:
        self._alive()
        self.form_values[code] = value
        self.touch()

    # --- end --------------------------------------------------------------------------------------
    def end(self, reason: EndReason) -> None:
        """Finish the visit and wipe everything personal held by the session (idempotent)."""
        for record in (self.principal, self.agent):
            if record is not None:
                record.wipe()
        self.principal = None
        self.agent = None
        self.form_values.clear()
        self.selected_items.clear()
        self.authorization_id = None
        self.health_check = None
        self.ended = reason

    def _alive(self) -> None:
        if self.ended is not None:
            raise KioskError("session_ended",
                             phrase("session.session_ended"))
