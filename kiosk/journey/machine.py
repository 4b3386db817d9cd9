"""The visit's state machine: `TABLE` says, per state, what each event does (handler and possible targets);
`Journey.handle(event)` applies it and returns the effects a front end runs on its worker; `Journey.view()`
is the plain view model of the current state. Nothing here imports Qt or touches the store."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

from kiosk.catalog.model import Catalog
from kiosk.clock import CHINA_TZ, Clock, system_clock
from kiosk.identity.record import CardType, IdentityRecord
from kiosk.journey import texts as tx
from kiosk.journey.events import (
    Back,
    CallHelp,
    CardError,
    CardInserted,
    CardRemoved,
    DeviceStatus,
    Event,
    Home,
    Idle,
    Result,
    SignOut,
)
from kiosk.journey.states import (
    CARD_MAY_LEAVE,
    GREEN_FROM,
    NOT_TIMED,
    SCREEN,
    Effect,
    JourneySettings,
    Rule,
    S,
    State,
    Visit,
    rule,
)
from kiosk.journey.steps_citizen import CitizenSteps
from kiosk.journey.steps_proxy import ProxySteps
from kiosk.journey.steps_staff import StaffSteps
from kiosk.journey.view import View
from kiosk.journey.views import build_view, step_of
from kiosk.messages import Message
from kiosk.rights import Action, require
from kiosk.session import EndReason, Helper, Mode, Session

_SERVICES = (S.HEALTH, S.CATEGORIES, S.ITEMS)
# Where a visit under way may be (the green channel opened there returns to it).
_VISIT = tuple(s for s in State if s in GREEN_FROM)
# Per state, what each event does. Events not listed fall back to GLOBAL, then are ignored (a card not asked
# for is wiped at once). This table is the one place to answer "what happens when … on …".
TABLE: dict[State, dict[str, Rule]] = {
    S.HOME: {"tap": rule("home_tap", S.IDENTIFY, S.TICKET, S.HELP, S.STAFF_MENU, S.PROXY_AGENT),
             "card_inserted": rule("home_card", S.IDENTIFY, *_SERVICES),
             "badge": rule("lookup_signin_badge"), "result": rule("home_result", S.SIGNIN, S.SIGNIN_LOCKED)},
    S.IDENTIFY: {"card_inserted": rule("identify_card", *_SERVICES), "card_error": rule("show_card_error"),
                 "tap": rule("identify_tap", S.PROXY_AGENT), "code_scanned": rule("identify_code")},
    S.PROXY_AGENT: {"card_inserted": rule("proxy_agent_card", S.PROXY_PRINCIPAL),
                    "card_error": rule("show_card_error")},
    S.PROXY_PRINCIPAL: {"card_inserted": rule("proxy_principal_card", *_SERVICES),
                        "card_error": rule("show_card_error"), "tap": rule("proxy_principal_tap", S.PROXY_TYPED)},
    S.PROXY_TYPED: {"next": rule("proxy_typed_next", *_SERVICES)},
    S.PROXY_CHECKING: {"result": rule("proxy_checked", S.PROXY_CODE, S.MATERIALS, S.FORM, S.REVIEW)},
    S.PROXY_CODE: {"code_scanned": rule("verify_code"), "tap": rule("proxy_code_tap", S.PROXY_PAPER),
                   "result": rule("proxy_code_result", S.MATERIALS, S.FORM, S.REVIEW)},
    S.PROXY_PAPER: {"badge": rule("paper_badge"), "tap": rule("paper_reason"), "next": rule("paper_pin"),
                    "result": rule("paper_result", S.MATERIALS, S.FORM, S.REVIEW)},
    S.HEALTH: {"code_scanned": rule("verify_code"), "result": rule("health_result", S.CATEGORIES, S.ITEMS),
               "tap": rule("health_tap", S.HEALTH_WAITING)},
    S.HEALTH_WAITING: {"badge": rule("health_badge"), "result": rule("health_result", S.CATEGORIES, S.ITEMS),
                       "tap": rule("health_tap"), "code_scanned": rule("verify_code")},
    S.CATEGORIES: {"tap": rule("category_tap", S.ITEMS)},
    S.ITEMS: {"tap": rule("item_tap"), "next": rule("items_next", S.PROXY_CHECKING, S.MATERIALS, S.FORM, S.REVIEW,
                                                         S.SAME_ITEM_TODAY)},
    S.SAME_ITEM_TODAY: {"tap": rule("same_item_again", S.PROXY_CHECKING, S.MATERIALS, S.FORM, S.REVIEW),
                        "next": rule("same_item_not_again", S.ITEMS, S.PROXY_CHECKING, S.MATERIALS, S.FORM,
                                     S.REVIEW)},
    S.MATERIALS: {"next": rule("materials_next", S.FORM, S.REVIEW)},
    S.FORM: {"next": rule("form_next", S.REVIEW), "tap": rule("form_tap", S.REVIEW), "result": rule("form_result")},
    S.REVIEW: {"next": rule("review_submit"), "result": rule("review_result", S.DONE)},
    S.DONE: {"next": rule("finish", S.HOME, S.TAKE_CARD), "timeout": rule("finish", S.HOME, S.TAKE_CARD),
             "result": rule("printed")},
    S.TICKET: {"tap": rule("ticket_tap"), "card_inserted": rule("ticket_card"),
               "result": rule("ticket_result", S.TICKET_DONE)},
    S.TICKET_DONE: {"next": rule("finish", S.HOME, S.TAKE_CARD), "timeout": rule("finish", S.HOME, S.TAKE_CARD),
                    "result": rule("printed")},
    S.HELP: {"result": rule("help_result")},
    S.SIGNIN: {"next": rule("signin_pin"), "result": rule("signin_result", S.STAFF_MENU, S.SIGNIN_LOCKED)},
    S.SIGNIN_LOCKED: {"next": rule("to_home", S.HOME), "tap": rule("to_home", S.HOME)},
    S.STAFF_MENU: {"tap": rule("staff_tap", S.HOME, S.PRIORITY_CONFIRM, S.BATCH_ITEM, S.PROXY_AGENT)},
    S.PRIORITY_CONFIRM: {"tap": rule("priority_tap"), "result": rule("priority_result", S.IDENTIFY, *_VISIT)},
    S.BATCH_ITEM: {"tap": rule("batch_item_tap", S.BATCH_TYPED), "result": rule("batch_started", S.BATCH_LIST)},
    S.BATCH_LIST: {"card_inserted": rule("batch_card"), "tap": rule("batch_tap", S.BATCH_TYPED),
                   "next": rule("batch_submit"), "result": rule("batch_result", S.BATCH_DONE)},
    S.BATCH_TYPED: {"next": rule("batch_typed_next", S.BATCH_LIST), "result": rule("batch_typed_result", S.BATCH_LIST)},
    S.BATCH_DONE: {"next": rule("batch_finish", S.STAFF_MENU)},
    S.DIFFICULT_CASE: {"tap": rule("difficult_tap"), "next": rule("difficult_phone_next"),
                       "result": rule("difficult_result", S.DIFFICULT_CASE_DONE)},
    S.DIFFICULT_CASE_DONE: {"next": rule("finish", S.HOME, S.TAKE_CARD),
                            "timeout": rule("finish", S.HOME, S.TAKE_CARD)},
    # A card left on the reader after a visit: nothing else happens until it is lifted (the next person's
    # screen never shows while the last person's card is there).
    S.TAKE_CARD: {"card_removed": rule("card_taken", S.HOME), "home": rule("stay"), "back": rule("stay"),
                  "idle": rule("stay"), "call_help": rule("stay"), "difficult": rule("stay"),
                  "green_channel": rule("stay"), "sign_out": rule("stay")},
}
# Events with the same meaning everywhere (unless the state's row says otherwise).
GLOBAL: dict[str, Rule] = {
    "home": rule("go_home", S.HOME, S.TAKE_CARD), "back": rule("go_back"),
    "idle": rule("on_idle", S.HOME, S.TAKE_CARD),
    "call_help": rule("call_help", S.HELP), "difficult": rule("open_difficult", S.DIFFICULT_CASE),
    "sign_out": rule("sign_out", S.HOME), "card_removed": rule("card_removed", S.HOME),
    "green_channel": rule("open_green_channel", S.PRIORITY_CONFIRM),
    "device_status": rule("device_status"), "card_error": rule("show_card_error"),
}


class Journey(CitizenSteps, ProxySteps, StaffSteps):
    """One kiosk's journey: feed it events, run the effects it returns, render `view()`."""

    def __init__(self, catalog: Catalog, settings: JourneySettings | None = None, *, clock: Clock = system_clock,
                 allow: Callable[[Helper | None, Action], object] | None = None) -> None:
        self.catalog = catalog
        self.settings = settings or JourneySettings()
        self.clock = clock
        self.state: State = S.HOME
        self.visit = Visit()
        self.helper: Helper | None = None  # signed in at this kiosk (until sign-out or idle)
        self.devices: dict[str, tuple[bool, Message | None]] = {}
        self._tokens = itertools.count(1)
        self.token = next(self._tokens)
        self._effects: list[Effect] = []
        self._allow = allow or require
        self.ended: list[Session] = []  # sessions ended (for the front end to record; drained by it)
        self.card_on_reader = False  # a person's card lies on the reader (the reader reports lifting it)

    # --- the loop ---------------------------------------------------------------------------------------------
    def handle(self, event: Event) -> list[Effect]:
        """Apply `event` in the current state; return the effects to run (their answers come back as Result)."""
        self._effects = []
        if isinstance(event, CardInserted):
            self.card_on_reader = event.record.card_type is not CardType.BADGE
        elif isinstance(event, CardRemoved):
            self.card_on_reader = False
        if isinstance(event, Result) and event.token != self.token:
            return []  # an answer for an earlier visit: nothing of it may reach this one
        if isinstance(event, Result) and event.kind == "done_today":  # may arrive in any state of the visit
            if event.error is None and isinstance(event.value, dict):
                self.visit.done_today = {str(k): str(v) for k, v in event.value.items()}
            return []
        if isinstance(event, Result) and event.kind == "known_phone":  # asked at identification: may come anywhere
            self._form_result(event)
            return []
        rule = TABLE.get(self.state, {}).get(event.name) or GLOBAL.get(event.name)
        if rule is None:
            if isinstance(event, CardInserted):
                event.record.wipe()  # not asked for a card here: keep nothing
            return []
        getattr(self, "_" + rule.handler)(event)
        return self._effects

    def handle_all(self, events: list[Event]) -> list[Effect]:
        out: list[Effect] = []
        for e in events:
            out += self.handle(e)
        return out

    @property
    def session(self) -> Session | None:
        return self.visit.session

    @property
    def screen(self) -> str:
        return SCREEN[self.state]

    @property
    def flow(self) -> str:
        return self.visit.flow

    @property
    def times_idle(self) -> bool:
        """Whether the idle timer runs now (a visit or a signed-in helper to protect)."""
        if self.state in NOT_TIMED:
            return False
        return self.state is not S.HOME or self.helper is not None or self.visit.session is not None

    def step(self) -> tuple[int, int] | None:
        """(this step, all steps) of the path the visit has chosen, or None (`views.step_of` holds the rule)."""
        return step_of(self)

    # --- helpers ----------------------------------------------------------------------------------------------
    def _emit(self, kind: str, **data: Any) -> None:
        self._effects.append(Effect(kind, self.token, data))

    def _go(self, state: State, *, push: bool = True) -> None:
        if push and self.state != state and self.state not in (S.HELP, S.DIFFICULT_CASE):
            self.visit.history.append(self.state)
        self.state = state
        self.visit.problem = None
        if state is S.HELP:
            self._start_help()

    def _problem(self, msg: Message) -> None:
        self.visit.problem = msg

    def _new_session(self) -> Session:
        v = self.visit
        if v.session is None or v.session.ended is not None:
            v.session = Session(clock=self.clock, idle_seconds=self.settings.idle_seconds,
                                elderly_age=self.settings.elderly_age)
            if self.helper is not None:
                v.session.set_mode(Mode.ASSISTED, self.helper)
        return v.session

    def _reset(self, reason: EndReason) -> None:
        """Back to Home with nothing of this visit left; answers still on their way are dropped (token). A card
        still on the reader is asked back first ("请取回您的身份证"): Home shows once it is lifted."""
        v = self.visit
        if v.session is not None and v.session.ended is None:
            v.session.end(reason)
            self._emit("record_session", session=v.session, event="visit_end")
            self.ended.append(v.session)
        v.wipe()
        self.visit = Visit()
        self.token = next(self._tokens)
        self.state = S.TAKE_CARD if self.card_on_reader else S.HOME

    def _served(self) -> IdentityRecord | None:
        v = self.visit
        if v.proxy_principal is not None:
            return v.proxy_principal
        return v.session.principal if v.session is not None else None

    def served_is_elderly(self) -> bool:
        p = self._served()
        s = self.visit.session
        day = s.today() if s is not None else self.clock().astimezone(CHINA_TZ).date()
        return bool(p is not None and p.birth_date and p.is_elderly(day, self.settings.elderly_age))

    def _today(self) -> dt.date:
        return self.clock().astimezone(CHINA_TZ).date()

    def _card_problem(self, record: IdentityRecord) -> Message | None:
        if record.id_number_valid is False:
            return tx.ID_INVALID
        if record.is_expired(self._today()):
            return tx.CARD_EXPIRED
        return None

    def _person_card(self, record: IdentityRecord) -> bool:
        """Whether a card laid down where a person's card is asked for can be used: a badge there is not a person
        (kept nowhere, ignored); an expired or invalid card is wiped and the reason said plainly."""
        if record.card_type is CardType.BADGE:
            record.wipe()
            return False
        problem = self._card_problem(record)
        if problem is not None:
            record.wipe()
            self._problem(problem)
            return False
        return True

    def _start_visit(self, record: IdentityRecord) -> None:
        session = self._new_session()
        session.identify(record)
        self._emit("record_session", session=session, event="visit_start")

    def _device_ok(self, name: str) -> bool:
        return self.devices.get(name, (True, None))[0]

    def code_scanner_problem(self) -> Message | None:
        """Why no code can be scanned here now (none configured, or the scanner reports a fault), or None when
        a code held up can be read. A screen then does not ask for a code."""
        if not self.settings.code_scanner:
            return tx.NO_CODE_SCANNER
        ok, message = self.devices.get("scanner", (True, None))
        return None if ok else (message or tx.SCANNER_DOWN)

    # --- global events --------------------------------------------------------------------------------------
    def _go_home(self, _e: Home) -> None:
        self._reset(EndReason.HOME)

    def _to_home(self, _e: Event) -> None:
        self._reset(EndReason.CANCELLED)

    def _finish(self, _e: Event) -> None:
        self._reset(EndReason.DONE)

    def _on_idle(self, _e: Idle) -> None:
        if self.helper is not None:  # sign-out on idle: the next person must not inherit a helper's rights
            self._emit("sign_out", helper=self.helper, reason="idle")
        self.helper = None
        self._reset(EndReason.IDLE)

    def _sign_out(self, _e: SignOut) -> None:
        if self.helper is None:
            return
        self._emit("sign_out", helper=self.helper, reason="button")
        self.helper = None
        self._reset(EndReason.HOME)

    def _go_back(self, _e: Back) -> None:
        v = self.visit
        if self.state is S.DIFFICULT_CASE and v.difficult_reason is not None and not v.busy:
            if v.difficult_typing:  # the keypad → the phone choice (known / type / skip)
                v.difficult_typing = False
            else:  # the phone choice → the reasons
                v.difficult_reason = None
            v.problem = None
            return
        if self.state is S.PRIORITY_CONFIRM and v.priority_from is not None and not v.busy:
            self.state, v.priority_from, v.problem = v.priority_from, None, None  # the visit, as it was
            return
        if self.state in (S.HELP, S.DIFFICULT_CASE) and v.difficult_from is None and v.history:
            target = v.history.pop()
        elif self.state is S.DIFFICULT_CASE and v.difficult_from is not None:
            target = v.difficult_from
            v.difficult_from = None
        elif not v.history:
            return
        else:
            target = v.history.pop()
        if target is S.HOME:
            self._reset(EndReason.CANCELLED)
            return
        if target is S.PROXY_CHECKING:  # a check in flight is not a place to return to
            target = S.ITEMS
        self.state = target
        v.problem = None
        v.busy = False

    def _stay(self, _e: Event) -> None:
        """Nothing happens here for this event."""

    def _card_taken(self, _e: CardRemoved) -> None:
        self.state = S.HOME

    def _card_removed(self, _e: CardRemoved) -> None:
        s = self.visit.session
        mid_visit = self.state is S.PRIORITY_CONFIRM and self.visit.priority_from is not None
        if (self.state in CARD_MAY_LEAVE and not mid_visit) or s is None or s.principal is None:
            return
        self._reset(EndReason.CARD_REMOVED)

    def _device_status(self, e: DeviceStatus) -> None:
        self.devices[e.device] = (e.ok, e.message)

    def _show_card_error(self, e: CardError) -> None:
        if self.state in (S.IDENTIFY, S.PROXY_AGENT, S.PROXY_PRINCIPAL, S.BATCH_LIST, S.TICKET):
            self._problem(e.message)

    def _call_help(self, _e: CallHelp) -> None:
        if self.state is S.HELP:
            return
        if self.state is S.HOME:
            self.visit.flow = "help"
        self._go(S.HELP)

    def _start_help(self) -> None:
        v = self.visit
        v.help_state = "calling"
        v.help_claimed_by = ""
        screen = v.history[-1].value if v.history else "home"
        item = v.selected[0] if v.selected else None
        self._emit("request_help", session=v.session, note={"reason": "help", "screen": screen},
                   elderly=self.served_is_elderly(), screen=screen, item_code=item)

    def _help_result(self, e: Result) -> None:
        v = self.visit
        if e.kind == "request_help":
            if e.error is not None:
                v.help_state = "failed"
                return
            v.help_request = e.value
            v.help_state = "waiting"
            self._emit("poll_help", request_id=e.value, delay=0.0)
        elif e.kind == "poll_help":
            if e.error is not None or e.value is None:
                # The hub cannot be asked (offline or not configured): the request stays queued in the outbox.
                v.help_state = "offline"
            else:
                state, by = e.value.get("state"), e.value.get("claimed_by")
                if state in ("claimed", "resolved") and by:
                    v.help_state = "claimed"
                    v.help_claimed_by = str(by)
                    return
                v.help_state = "waiting"
            self._emit("poll_help", request_id=v.help_request, delay=3.0)

    # --- the view model ------------------------------------------------------------------------------------
    def preview(self, state: State) -> View:
        """The view `state` would show for the current (empty) visit: front ends lay out screens ahead of use."""
        saved = self.state
        self.state = state
        try:
            return self.view()
        finally:
            self.state = saved

    def view(self) -> View:
        return build_view(self)

