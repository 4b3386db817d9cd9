"""The visit's state machine: `TABLE` says, per state, what each event does (handler and possible targets);
`Journey.handle(event)` applies it and returns the effects a front end runs on its worker; `Journey.view()`
is the plain view model of the current state. Nothing here imports Qt or touches the store."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kiosk import authorizations as _paper
from kiosk import difficult as _difficult
from kiosk import green_channel as _green
from kiosk.catalog.model import Catalog, FormField, Item
from kiosk.clock import CHINA_TZ, Clock, system_clock
from kiosk.identity.idnumber import validate_id_number
from kiosk.identity.masking import mask_phone
from kiosk.identity.record import CardType, IdentityRecord
from kiosk.journey import texts as tx
from kiosk.journey import values
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
    Home,
    Idle,
    Next,
    Result,
    SignOut,
    Tap,
)
from kiosk.journey.view import View
from kiosk.messages import KioskError, Message
from kiosk.rights import Action, allowed, require
from kiosk.session import EndReason, Helper, HelperRole, Mode, Session
from kiosk.store.outbox import new_id


class State(StrEnum):
    HOME = "home"
    IDENTIFY = "identify"
    PROXY_AGENT = "proxy_agent"
    PROXY_PRINCIPAL = "proxy_principal"
    PROXY_TYPED = "proxy_typed"
    PROXY_CHECKING = "proxy_checking"
    PROXY_CODE = "proxy_code"
    PROXY_PAPER = "proxy_paper"
    HEALTH = "health"
    HEALTH_WAITING = "health_waiting"
    CATEGORIES = "categories"
    ITEMS = "items"
    MATERIALS = "materials"
    FORM = "form"
    REVIEW = "review"
    DONE = "done"
    TICKET = "ticket"
    TICKET_DONE = "ticket_done"
    HELP = "help"
    SIGNIN = "signin"
    SIGNIN_LOCKED = "signin_locked"
    STAFF_MENU = "staff_menu"
    PRIORITY_CONFIRM = "priority_confirm"
    BATCH_ITEM = "batch_item"
    BATCH_LIST = "batch_list"
    BATCH_TYPED = "batch_typed"
    BATCH_DONE = "batch_done"
    DIFFICULT_CASE = "difficult_case"
    DIFFICULT_CASE_DONE = "difficult_case_done"


S = State
# Which screen renders each state (several proxy stages share the proxy screen; staff states share a panel).
SCREEN: dict[State, str] = {
    S.HOME: "home", S.IDENTIFY: "identify", S.PROXY_AGENT: "proxy", S.PROXY_PRINCIPAL: "proxy",
    S.PROXY_CHECKING: "proxy", S.PROXY_CODE: "proxy", S.PROXY_TYPED: "panel", S.PROXY_PAPER: "panel",
    S.HEALTH: "health", S.HEALTH_WAITING: "health", S.CATEGORIES: "categories", S.ITEMS: "items",
    S.MATERIALS: "materials", S.FORM: "form", S.REVIEW: "review", S.DONE: "done", S.TICKET: "ticket",
    S.TICKET_DONE: "ticket_done", S.HELP: "help", S.SIGNIN: "panel", S.SIGNIN_LOCKED: "panel",
    S.STAFF_MENU: "panel", S.PRIORITY_CONFIRM: "panel", S.BATCH_ITEM: "panel", S.BATCH_LIST: "panel",
    S.BATCH_TYPED: "panel", S.BATCH_DONE: "panel", S.DIFFICULT_CASE: "panel", S.DIFFICULT_CASE_DONE: "panel",
}

# Step indicator (第2步/共5步) of each flow; staff states show none.
FLOW_STEPS: dict[str, dict[State, int]] = {
    "business": {S.HOME: 1, S.IDENTIFY: 2, S.PROXY_AGENT: 2, S.PROXY_PRINCIPAL: 2, S.PROXY_TYPED: 2, S.HEALTH: 2,
                 S.HEALTH_WAITING: 2, S.CATEGORIES: 3, S.ITEMS: 3, S.PROXY_CHECKING: 3, S.PROXY_CODE: 3,
                 S.PROXY_PAPER: 3, S.MATERIALS: 4, S.FORM: 4, S.REVIEW: 5, S.DONE: 5},
    "ticket": {S.HOME: 1, S.TICKET: 2, S.TICKET_DONE: 3},
    "help": {S.HOME: 1, S.HELP: 2},
}

# Where the visitor's card may come off without ending the visit: nothing personal is on screen yet or any
# more, the agent is swapping cards, a staff badge is expected, or a typed number stands in for a card.
CARD_MAY_LEAVE = frozenset({S.HOME, S.DONE, S.TICKET_DONE, S.HELP, S.PROXY_AGENT, S.PROXY_PRINCIPAL, S.PROXY_TYPED,
                            S.PROXY_PAPER, S.HEALTH_WAITING, S.SIGNIN, S.SIGNIN_LOCKED, S.STAFF_MENU,
                            S.PRIORITY_CONFIRM, S.BATCH_ITEM, S.BATCH_LIST, S.BATCH_TYPED, S.BATCH_DONE,
                            S.DIFFICULT_CASE_DONE, S.TICKET, S.IDENTIFY})
# States after which "这件事我办不了" is offered (someone is identified and a case can be opened).
DIFFICULT_FROM = frozenset({S.CATEGORIES, S.ITEMS, S.MATERIALS, S.FORM, S.REVIEW, S.PROXY_CHECKING, S.PROXY_CODE,
                            S.PROXY_PAPER, S.HEALTH, S.HEALTH_WAITING, S.PROXY_PRINCIPAL, S.PROXY_TYPED})
STAFF_STATES = frozenset({S.SIGNIN, S.SIGNIN_LOCKED, S.STAFF_MENU, S.PRIORITY_CONFIRM, S.BATCH_ITEM, S.BATCH_LIST,
                          S.BATCH_TYPED, S.BATCH_DONE})
# Where the idle timer does not run: nothing to protect (home without a helper) or the screen returns by itself.
NOT_TIMED = frozenset({S.DONE, S.TICKET_DONE})

# The short lists are the core services' own (who confirms what, and why, is theirs to record).
PAPER_REASONS: tuple[tuple[str, Message], ...] = tuple(_paper.PAPER_REASONS.items())
PRIORITY_REASONS: tuple[tuple[str, Message], ...] = tuple(_green.PRIORITY_REASONS.items())
DIFFICULT_REASONS: tuple[tuple[str, Message], ...] = tuple(_difficult.REASONS.items())
HEALTH_METHODS = {"code": "code", "staff_id_check": "id_card_staff", "paper_proof": "paper_proof"}
# Staff-menu tiles → the action `kiosk.rights` decides on (a volunteer asking for a staff one is refused there).
MENU_ACTIONS: dict[str, Action] = {"assist": Action.ASSIST, "priority": Action.PRIORITY_MODE,
                                   "proxy_paper": Action.PAPER_AUTHORIZATION, "batch": Action.BATCH}


@dataclass(frozen=True)
class Effect:
    """Work for the front end's worker thread (store, hub, printer); its answer comes back as `Result(kind)`."""

    kind: str
    token: int
    data: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:  # data holds personal values: never in logs
        return f"Effect({self.kind!r}, token={self.token})"


_DEFAULT_DESK = Message("大厅入口旁", "by the hall entrance")


@dataclass(frozen=True)
class JourneySettings:
    kiosk_id: str = "demo-kiosk-01"
    elderly_age: int = 60
    health_check_required: bool = False
    idle_seconds: int = 60
    help_desk: Message = _DEFAULT_DESK
    known_phone_lookup: bool = True
    health_kinds: tuple[str, ...] | None = None  # config `health_check.accepted_kinds` (None: the rule's default)

    @classmethod
    def from_config(cls, cfg: Any) -> JourneySettings:
        hall = getattr(cfg, "hall", None)
        desk = cls.help_desk
        if hall is not None and getattr(hall, "help_desk_location_zh", None):
            desk = Message(hall.help_desk_location_zh, getattr(hall, "help_desk_location_en", "") or
                           hall.help_desk_location_zh)
        return cls(kiosk_id=cfg.kiosk_id, elderly_age=cfg.elderly_age,
                   health_check_required=cfg.ui.health_check_required, idle_seconds=cfg.timeouts.idle_seconds,
                   help_desk=desk, health_kinds=tuple(cfg.health_check.accepted_kinds))


@dataclass
class Visit:
    """Everything held for one visit; dropped (and its records wiped) when the visit ends."""

    flow: str = "business"
    session: Session | None = None
    history: list[State] = field(default_factory=list)
    problem: Message | None = None
    proxy_pending: bool = False
    proxy_principal: IdentityRecord | None = None
    category: str | None = None
    selected: list[str] = field(default_factory=list)
    material_index: int = 0
    questions: list[FormField] = field(default_factory=list)
    question: int = 0
    answers: dict[str, str] = field(default_factory=dict)
    known_phone: str | None = None
    phone_typing: bool = False
    busy: bool = False
    receipts: list[Any] = field(default_factory=list)
    receipt_person: tuple[str, str] = ("", "")
    printed: str = ""  # "" | printing | printed | failed
    ticket: dict[str, Any] | None = None
    ticket_request: str | None = None
    help_request: str | None = None
    help_state: str = ""  # calling | waiting | claimed | offline | failed
    help_claimed_by: str = ""
    health_waiting: str | None = None
    signin_badge: str | None = None  # the badge's UID (not personal data) while its PIN is typed
    paper_staff: Helper | None = None
    paper_stage: str = "badge"  # badge | reason | pin
    paper_member: str | None = None
    paper_reason: str | None = None
    authorization: Any = None
    priority_reason: str | None = None
    difficult_from: State | None = None
    batch_item: str | None = None
    batch_typing: str = "id"  # what the batch keypad is for: "phone" (the batch's contact phone) | "id"
    batch_phone: str | None = None
    batch_entries: list[Any] = field(default_factory=list)  # kiosk.batch.BatchEntry (masked)
    batch_summary: Any = None  # kiosk.batch.BatchSummary

    def wipe(self) -> None:
        if self.proxy_principal is not None:
            self.proxy_principal.wipe()
        self.proxy_principal = None
        self.batch_entries.clear()
        self.batch_phone = None
        self.answers.clear()
        self.known_phone = None
        self.receipts.clear()
        self.receipt_person = ("", "")
        self.batch_summary = None
        self.ticket = None


Handler = Callable[["Journey", Any], None]


@dataclass(frozen=True)
class Rule:
    handler: str
    targets: tuple[State, ...] = ()  # where it may lead (for the drawing and the tests); () = stays


def _r(handler: str, *targets: State) -> Rule:
    return Rule(handler, targets)


_SERVICES = (S.HEALTH, S.CATEGORIES, S.ITEMS)
# Per state, what each event does. Events not listed fall back to GLOBAL, then are ignored (a card not asked
# for is wiped at once). This table is the one place to answer "what happens when … on …".
TABLE: dict[State, dict[str, Rule]] = {
    S.HOME: {"tap": _r("home_tap", S.IDENTIFY, S.TICKET, S.HELP, S.STAFF_MENU, S.PROXY_AGENT),
             "card_inserted": _r("home_card", S.IDENTIFY, *_SERVICES),
             "badge": _r("lookup_signin_badge"), "result": _r("home_result", S.SIGNIN, S.SIGNIN_LOCKED)},
    S.IDENTIFY: {"card_inserted": _r("identify_card", *_SERVICES), "card_error": _r("show_card_error"),
                 "tap": _r("identify_tap", S.PROXY_AGENT), "code_scanned": _r("identify_code")},
    S.PROXY_AGENT: {"card_inserted": _r("proxy_agent_card", S.PROXY_PRINCIPAL), "card_error": _r("show_card_error")},
    S.PROXY_PRINCIPAL: {"card_inserted": _r("proxy_principal_card", *_SERVICES),
                        "card_error": _r("show_card_error"), "tap": _r("proxy_principal_tap", S.PROXY_TYPED)},
    S.PROXY_TYPED: {"next": _r("proxy_typed_next", *_SERVICES)},
    S.PROXY_CHECKING: {"result": _r("proxy_checked", S.PROXY_CODE, S.MATERIALS, S.FORM, S.REVIEW)},
    S.PROXY_CODE: {"code_scanned": _r("verify_code"), "tap": _r("proxy_code_tap", S.PROXY_PAPER),
                   "result": _r("proxy_code_result", S.MATERIALS)},
    S.PROXY_PAPER: {"badge": _r("paper_badge"), "tap": _r("paper_reason"), "next": _r("paper_pin"),
                    "result": _r("paper_result", S.MATERIALS)},
    S.HEALTH: {"code_scanned": _r("verify_code"), "result": _r("health_result", S.CATEGORIES, S.ITEMS),
               "tap": _r("health_tap", S.HEALTH_WAITING)},
    S.HEALTH_WAITING: {"badge": _r("health_badge"), "result": _r("health_result", S.CATEGORIES, S.ITEMS),
                       "tap": _r("health_tap"), "code_scanned": _r("verify_code")},
    S.CATEGORIES: {"tap": _r("category_tap", S.ITEMS)},
    S.ITEMS: {"tap": _r("item_tap"), "next": _r("items_next", S.PROXY_CHECKING, S.MATERIALS)},
    S.MATERIALS: {"next": _r("materials_next", S.FORM, S.REVIEW)},
    S.FORM: {"next": _r("form_next", S.REVIEW), "tap": _r("form_tap", S.REVIEW), "result": _r("form_result")},
    S.REVIEW: {"next": _r("review_submit"), "result": _r("review_result", S.DONE)},
    S.DONE: {"next": _r("finish", S.HOME), "timeout": _r("finish", S.HOME), "result": _r("printed")},
    S.TICKET: {"tap": _r("ticket_tap"), "card_inserted": _r("ticket_card"),
               "result": _r("ticket_result", S.TICKET_DONE)},
    S.TICKET_DONE: {"next": _r("finish", S.HOME), "timeout": _r("finish", S.HOME), "result": _r("printed")},
    S.HELP: {"result": _r("help_result")},
    S.SIGNIN: {"next": _r("signin_pin"), "result": _r("signin_result", S.STAFF_MENU, S.SIGNIN_LOCKED)},
    S.SIGNIN_LOCKED: {"next": _r("to_home", S.HOME), "tap": _r("to_home", S.HOME)},
    S.STAFF_MENU: {"tap": _r("staff_tap", S.HOME, S.PRIORITY_CONFIRM, S.BATCH_ITEM, S.PROXY_AGENT)},
    S.PRIORITY_CONFIRM: {"tap": _r("priority_tap"), "result": _r("priority_result", S.IDENTIFY)},
    S.BATCH_ITEM: {"tap": _r("batch_item_tap", S.BATCH_TYPED), "result": _r("batch_started", S.BATCH_LIST)},
    S.BATCH_LIST: {"card_inserted": _r("batch_card"), "tap": _r("batch_tap", S.BATCH_TYPED),
                   "next": _r("batch_submit"), "result": _r("batch_result", S.BATCH_DONE)},
    S.BATCH_TYPED: {"next": _r("batch_typed_next", S.BATCH_LIST), "result": _r("batch_typed_result", S.BATCH_LIST)},
    S.BATCH_DONE: {"next": _r("batch_finish", S.STAFF_MENU)},
    S.DIFFICULT_CASE: {"tap": _r("difficult_tap"), "result": _r("difficult_result", S.DIFFICULT_CASE_DONE)},
    S.DIFFICULT_CASE_DONE: {"next": _r("finish", S.HOME), "timeout": _r("finish", S.HOME)},
}
# Events with the same meaning everywhere (unless the state's row says otherwise).
GLOBAL: dict[str, Rule] = {
    "home": _r("go_home", S.HOME), "back": _r("go_back"), "idle": _r("on_idle", S.HOME),
    "call_help": _r("call_help", S.HELP), "difficult": _r("open_difficult", S.DIFFICULT_CASE),
    "sign_out": _r("sign_out", S.HOME), "card_removed": _r("card_removed", S.HOME),
    "device_status": _r("device_status"), "card_error": _r("show_card_error"),
}


class Journey:
    """One kiosk's journey: feed it events, run the effects it returns, render `view()`."""

    def __init__(self, catalog: Catalog, settings: JourneySettings | None = None, *, clock: Clock = system_clock,
                 allow: Callable[[Helper, str], None] | None = None) -> None:
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

    # --- the loop ---------------------------------------------------------------------------------------------
    def handle(self, event: Event) -> list[Effect]:
        """Apply `event` in the current state; return the effects to run (their answers come back as Result)."""
        self._effects = []
        if isinstance(event, Result) and event.token != self.token:
            return []  # an answer for an earlier visit: nothing of it may reach this one
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
        if self.state in STAFF_STATES or self.state in (S.DIFFICULT_CASE, S.DIFFICULT_CASE_DONE):
            return None
        steps = FLOW_STEPS.get(self.visit.flow, FLOW_STEPS["business"])
        if self.state not in steps:
            steps = next((s for s in FLOW_STEPS.values() if self.state in s), FLOW_STEPS["business"])
        return steps.get(self.state, 1), max(steps.values())

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
        """Back to Home with nothing of this visit left; answers still on their way are dropped (token)."""
        v = self.visit
        if v.session is not None and v.session.ended is None:
            v.session.end(reason)
            self._emit("record_session", session=v.session, event="visit_end")
            self.ended.append(v.session)
        v.wipe()
        self.visit = Visit()
        self.token = next(self._tokens)
        self.state = S.HOME

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

    def _device_ok(self, name: str) -> bool:
        return self.devices.get(name, (True, None))[0]

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

    def _card_removed(self, _e: CardRemoved) -> None:
        s = self.visit.session
        if self.state in CARD_MAY_LEAVE or s is None or s.principal is None:
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

    # --- difficult case -------------------------------------------------------------------------------------
    def _open_difficult(self, _e: Difficult) -> None:
        if self.state not in DIFFICULT_FROM:
            return
        self.visit.difficult_from = self.state
        self.state = S.DIFFICULT_CASE
        self.visit.problem = None
        self.visit.busy = False

    def _difficult_tap(self, e: Tap) -> None:
        v = self.visit
        if e.key not in dict(DIFFICULT_REASONS) or v.busy:
            return
        v.busy = True
        item = v.selected[0] if v.selected else None
        step = (v.difficult_from or S.HOME).value
        v.ticket_request = v.ticket_request or new_id()
        self._emit("record_difficult", session=v.session, item_code=item, step=step, reason=e.key, phone=None,
                   request_id=v.ticket_request)

    def _difficult_result(self, e: Result) -> None:
        v = self.visit
        if e.kind != "record_difficult":
            return  # e.g. the visit's own record_session answer arriving late
        v.busy = False
        if e.error is not None:
            self._problem(e.error)
            return
        v.ticket = e.value
        v.difficult_from = None
        self._go(S.DIFFICULT_CASE_DONE, push=False)
        self._emit("print_ticket", ticket=e.value)

    # --- home -----------------------------------------------------------------------------------------------
    def _home_tap(self, e: Tap) -> None:
        v = self.visit
        key = e.key
        if key in ("business", "print", "elderly") and self._device_ok("card_reader"):
            v.flow = key
            self._new_session()
            self._go(S.IDENTIFY)
        elif key == "ticket":
            v.flow = "ticket"
            self._new_session()
            v.ticket_request = new_id()
            self._go(S.TICKET)
        elif key == "volunteer":
            v.flow = "help"
            self._go(S.HELP)
        elif key == "staff_menu" and self.helper is not None:
            self._go(S.STAFF_MENU)
        elif key == "sign_out" and self.helper is not None:
            self._sign_out(SignOut())

    def _home_card(self, e: CardInserted) -> None:
        if e.record.card_type is CardType.BADGE:
            self._lookup_signin_badge(Badge(e.record.uid or ""))
            e.record.wipe()
            return
        v = self.visit
        v.flow = "business"
        self._new_session()
        self._go(S.IDENTIFY)
        self._identify_card(e)

    def _lookup_signin_badge(self, e: Badge) -> None:
        # The discreet way in: a badge on the reader at the home screen; never a tile citizens see.
        self.visit.signin_badge = e.uid
        self._emit("lookup_badge", uid=e.uid, purpose="signin")

    def _home_result(self, e: Result) -> None:
        if e.kind != "lookup_badge":
            return
        if e.error is not None:
            self.visit.signin_badge = None
            self._problem(e.error)
            return
        self._go(S.SIGNIN)

    # --- sign-in ---------------------------------------------------------------------------------------------
    def _signin_pin(self, e: Next) -> None:
        v = self.visit
        if not (4 <= len(e.value) <= 8 and e.value.isdigit()):
            self._problem(tx.PIN_SHORT)
            return
        if v.busy or v.signin_badge is None:
            return
        v.busy = True
        self._emit("sign_in", badge_uid=v.signin_badge, pin=e.value)

    def _signin_result(self, e: Result) -> None:
        v = self.visit
        if e.kind != "sign_in":
            return
        v.busy = False
        if e.error is not None:
            if e.error_kind == "pin_locked":
                v.signin_badge = None
                self._go(S.SIGNIN_LOCKED, push=False)
                self.visit.problem = e.error
            else:
                self._problem(e.error)
            return
        self.helper = _helper_of(e.value)
        v.signin_badge = None
        self.visit.history = [S.HOME]
        self._go(S.STAFF_MENU, push=False)

    def _staff_tap(self, e: Tap) -> None:
        helper = self.helper
        if helper is None:
            self._reset(EndReason.CANCELLED)
            return
        key = e.key
        if key == "sign_out":
            self._sign_out(SignOut())
            return
        if key not in MENU_ACTIONS or not self._may(helper, key):
            return
        if key == "assist":
            self._reset(EndReason.CANCELLED)  # back to a citizen's start, the helper stays signed in
        elif key == "priority":
            self._go(S.PRIORITY_CONFIRM)
        elif key == "proxy_paper":
            self.visit.flow = "business"
            self._new_session()
            self.visit.proxy_pending = True
            self._go(S.PROXY_AGENT)
        elif key == "batch":
            self._go(S.BATCH_ITEM)

    def may(self, action: str) -> bool:
        """Whether the signed-in helper's role may do this staff-menu action (for offering the tile)."""
        return action in MENU_ACTIONS and allowed(self.helper, MENU_ACTIONS[action])

    def _may(self, helper: Helper, action: str) -> bool:
        try:
            self._allow(helper, MENU_ACTIONS[action])
        except KioskError as exc:  # the core's rights rule refuses in plain words
            self._problem(exc.message)
            return False
        return True

    def _priority_tap(self, e: Tap) -> None:
        v = self.visit
        if e.key not in dict(PRIORITY_REASONS) or self.helper is None or v.busy:
            return
        if not self._may(self.helper, "priority"):
            return
        v.busy = True
        v.priority_reason = e.key
        self._emit("confirm_priority", session=self._new_session(), staff=self.helper, reason=e.key)

    def _priority_result(self, e: Result) -> None:
        v = self.visit
        if e.kind != "confirm_priority":
            return
        v.busy = False
        if e.error is not None:
            v.priority_reason = None
            self._problem(e.error)
            return
        v.flow = "business"
        v.history = [S.HOME]
        self._go(S.IDENTIFY, push=False)

    # --- identify ----------------------------------------------------------------------------------------------
    def _identify_card(self, e: CardInserted) -> None:
        record = e.record
        if record.card_type is CardType.BADGE:
            record.wipe()
            return
        problem = self._card_problem(record)
        if problem is not None:
            record.wipe()
            self._problem(problem)
            return
        session = self._new_session()
        session.identify(record)
        self._emit("record_session", session=session, event="visit_start")
        self._after_identified()

    def _identify_tap(self, e: Tap) -> None:
        if e.key == "proxy":
            self.visit.proxy_pending = True
            self._go(S.PROXY_AGENT)

    def _identify_code(self, _e: CodeScanned) -> None:
        # No mapping from a verified e-ID code to a person exists here, so it is not offered; said plainly.
        self._problem(tx.EID_NOT_OFFERED)

    def _after_identified(self) -> None:
        v = self.visit
        s = v.session
        if self.settings.health_check_required and s is not None and s.health_check is None:
            self._go(S.HEALTH)
            return
        self._go_services()

    def _go_services(self) -> None:
        v = self.visit
        if v.flow in ("print", "elderly") or self.served_is_elderly():
            v.category = None
            self._go(S.ITEMS)
        else:
            self._go(S.CATEGORIES)

    # --- proxy ---------------------------------------------------------------------------------------------------
    def _proxy_agent_card(self, e: CardInserted) -> None:
        record = e.record
        if record.card_type is CardType.BADGE:
            record.wipe()
            return
        problem = self._card_problem(record)
        if problem is not None:
            record.wipe()
            self._problem(problem)
            return
        session = self._new_session()
        session.identify(record)
        self._emit("record_session", session=session, event="visit_start")
        self._go(S.PROXY_PRINCIPAL)

    def _set_principal(self, record: IdentityRecord) -> None:
        v = self.visit
        agent = v.session.principal if v.session is not None else None
        if agent is not None and agent.id_number and agent.id_number.upper() == (record.id_number or "").upper():
            record.wipe()
            self._problem(tx.SAME_CARD)
            return
        if v.proxy_principal is not None:
            v.proxy_principal.wipe()
        v.proxy_principal = record
        self._after_identified()

    def _proxy_principal_card(self, e: CardInserted) -> None:
        record = e.record
        if record.card_type is CardType.BADGE:
            record.wipe()
            return
        problem = self._card_problem(record)
        if problem is not None:
            record.wipe()
            self._problem(problem)
            return
        self._set_principal(record)

    def _proxy_principal_tap(self, e: Tap) -> None:
        if e.key == "type_id":
            self._go(S.PROXY_TYPED)

    def _proxy_typed_next(self, e: Next) -> None:
        value = e.value.strip().upper()
        if not validate_id_number(value):
            self._problem(tx.TYPED_ID_BAD)
            return
        self._set_principal(_paper.principal_from_typed_id(value))

    def _proxy_checked(self, e: Result) -> None:
        if e.kind != "find_authorization":
            return
        if e.error is not None:
            self.state = S.PROXY_CODE
            self._problem(e.error)
            return
        if e.value is None:
            self.state = S.PROXY_CODE
            self.visit.problem = None
            return
        self._authorized(e.value)

    def _verify_code(self, e: CodeScanned) -> None:
        self._emit("verify_code", payload=e.payload)

    def _proxy_code_tap(self, e: Tap) -> None:
        if e.key == "paper":
            v = self.visit
            staff = self.helper if self.helper is not None and self.helper.role is HelperRole.STAFF else None
            # Signed-in staff have laid their badge already; the PIN is asked again to confirm this paper.
            v.paper_stage = "reason" if staff is not None else "badge"
            v.paper_staff = staff
            v.paper_member = staff.helper_id if staff is not None else None
            v.paper_reason = None
            self._go(S.PROXY_PAPER)
        elif e.key == "volunteer":
            self._go(S.HELP)

    def _proxy_code_result(self, e: Result) -> None:
        if e.kind != "verify_code":
            return
        v = self.visit
        verdict = e.value
        s = v.session
        if verdict is None or e.error is not None:
            self._problem(tx.CODE_UNCHECKABLE)
            return
        if not verdict.ok:
            self._problem(tx.GRANT_REFUSED)
            return
        if s is None or s.principal is None or v.proxy_principal is None:
            return
        from kiosk import authorizations
        from kiosk.messages import KioskError

        until = verdict.expires_at.astimezone(CHINA_TZ).date() if verdict.expires_at else self._today()
        try:
            auth = authorizations.from_grant_claims(verdict.claims or {}, v.proxy_principal.id_number or "",
                                                    s.principal.id_number or "", list(v.selected), until)
        except KioskError as exc:
            self._problem(exc.message)
            return
        self._authorized(auth)

    def _paper_badge(self, e: Badge) -> None:
        if self.visit.paper_stage != "badge":
            return
        self._emit("lookup_badge", uid=e.uid, purpose="paper")

    def _paper_reason(self, e: Tap) -> None:
        v = self.visit
        if e.key == "volunteer":
            self._go(S.HELP)
            return
        if e.key not in dict(PAPER_REASONS):
            return
        if v.paper_stage == "badge" or v.paper_member is None:
            self._problem(tx.PAPER_NEEDS_STAFF)  # no staff badge and PIN: nothing is recorded
            return
        v.paper_reason = e.key
        v.paper_stage = "pin"
        v.problem = None

    def _paper_pin(self, e: Next) -> None:
        v = self.visit
        if v.paper_stage != "pin" or v.busy:
            return
        if not (4 <= len(e.value) <= 8 and e.value.isdigit()):
            self._problem(tx.PIN_SHORT)
            return
        s, principal = v.session, v.proxy_principal
        if s is None or s.principal is None or principal is None:
            return
        v.busy = True
        # The core checks the PIN (shared lockout), the staff role and the reason, then records the paper.
        self._emit("confirm_paper", member_id=v.paper_member, pin=e.value, reason=v.paper_reason,
                   principal=principal, agent=s.principal, items=list(v.selected), session_id=s.id)

    def _paper_result(self, e: Result) -> None:
        v = self.visit
        v.busy = False
        if e.kind == "lookup_badge":
            if e.error is not None:
                self._problem(e.error)
            elif e.value.role is not HelperRole.STAFF:
                self._problem(tx.PAPER_NEEDS_STAFF)
            else:
                v.paper_member = e.value.id
                v.paper_staff = _helper_of(e.value)
                v.paper_stage = "reason"
                v.problem = None
            return
        if e.kind != "confirm_paper":
            return
        if e.error is not None:
            self._problem(e.error)
            if e.error_kind in ("pin_locked", "staff_required", "badge_unknown"):
                v.paper_stage, v.paper_member, v.paper_staff = "badge", None, None
            return
        s = v.session
        if s is not None and s.helper is None and v.paper_staff is not None:
            s.helper = v.paper_staff
        self._authorized(e.value, record_use=False)

    def _authorized(self, auth: Any, *, record_use: bool = True) -> None:
        v = self.visit
        s = v.session
        principal = v.proxy_principal
        if s is None or principal is None:
            return
        items = list(v.selected)
        s.start_proxy(principal, auth.id)
        s.select_items(items)
        v.proxy_principal = None  # the session holds it now (and wipes it at the end)
        v.proxy_pending = False
        v.authorization = auth
        if record_use:
            self._emit("record_authorization_use", authorization=auth, session_id=s.id,
                       helper_id=s.helper.helper_id if s.helper else None)
        v.material_index = 0
        v.history = [h for h in v.history if h not in (S.PROXY_CHECKING, S.PROXY_CODE, S.PROXY_PAPER)]
        self._go(S.MATERIALS)

    # --- health check ---------------------------------------------------------------------------------------
    def _health_tap(self, e: Tap) -> None:
        if e.key not in ("staff_id_check", "paper_proof"):
            return
        v = self.visit
        v.health_waiting = e.key
        self.state = S.HEALTH_WAITING
        self._emit("request_help", session=v.session, note={"reason": "health_check", "method": e.key},
                   elderly=self.served_is_elderly(), screen="health", item_code=None)

    def _health_badge(self, e: Badge) -> None:
        self._emit("lookup_badge", uid=e.uid, purpose="health")

    def _health_result(self, e: Result) -> None:
        v = self.visit
        s = v.session
        if s is None:
            return
        if e.kind == "request_help":
            return
        if e.kind == "lookup_badge":
            if e.error is not None:
                self._problem(e.error)
                return
            if v.health_waiting is None:
                return
            s.record_health_check(HEALTH_METHODS[v.health_waiting], _helper_of(e.value))
            self._go_services()
        elif e.kind == "verify_code":
            verdict = e.value
            ok, msg = values.health_code_ok(verdict, s.principal, self._today(), self.settings.health_kinds)
            if ok:
                s.record_health_check("code")
                self._go_services()
            else:
                self._problem(msg or tx.HEALTH_REFUSED)

    # --- choosing ---------------------------------------------------------------------------------------------
    def _category_tap(self, e: Tap) -> None:
        if any(c.code == e.key for c in self.catalog.categories):
            self.visit.category = e.key
            self._go(S.ITEMS)

    def items(self) -> list[Item]:
        """What the items state offers: print items, elderly items first, only what allows an agent for one."""
        v = self.visit
        elderly = self.served_is_elderly() or v.flow == "elderly"
        agent = v.proxy_pending or (v.session is not None and v.session.agent is not None)
        if v.flow == "print":
            printable = {i.code for i in self.catalog.print_items()}
            return [i for i in self.catalog.items_for(elderly=elderly, agent=agent) if i.code in printable]
        return self.catalog.items_for(elderly=elderly, category=v.category, agent=agent)

    def _item_tap(self, e: Tap) -> None:
        v = self.visit
        try:
            item = self.catalog.item(e.key)
        except KeyError:
            return
        if e.key in v.selected:
            v.selected.remove(e.key)
            v.problem = None
            return
        if v.proxy_pending and not item.proxy_allowed:
            self._problem(Message(tx.PERSONAL_ONLY.zh.format(item=item.name.zh),
                                  tx.PERSONAL_ONLY.en.format(item=item.name.en)))
            return
        v.selected.append(e.key)
        v.problem = None

    def _items_next(self, _e: Next) -> None:
        v = self.visit
        s = v.session
        if not v.selected:
            self._problem(tx.NOTHING_CHOSEN)
            return
        if s is None:
            return
        s.select_items(v.selected)
        if v.proxy_pending:
            principal, agent = v.proxy_principal, s.principal
            if principal is None or agent is None:
                return
            self._go(S.PROXY_CHECKING)
            self._emit("find_authorization", principal_id_number=principal.id_number or "",
                       agent_id_number=agent.id_number or "", items=list(v.selected), day=self._today())
            return
        v.material_index = 0
        self._go(S.MATERIALS)

    def _materials_next(self, _e: Next) -> None:
        v = self.visit
        if v.material_index + 1 < len(v.selected):
            v.material_index += 1
            return
        self._start_form()

    # --- form --------------------------------------------------------------------------------------------------
    def _start_form(self) -> None:
        v = self.visit
        s = v.session
        if s is None:
            return
        v.questions, v.answers, v.question, v.phone_typing = [], {}, 0, False
        person = s.principal
        for f in self.catalog.merged_fields(list(s.selected_items)):
            if f.from_card:
                value = getattr(person, f.from_card, None) if person is not None else None
                if isinstance(value, dt.date):
                    value = value.isoformat()
                if value:
                    s.set_form_value(f.code, str(value))
                continue  # a card field the card lacks is completed at the counter, never typed in Chinese
            v.questions.append(f)
        if v.questions:
            self._go(S.FORM)
            if self.settings.known_phone_lookup and any(f.kind == "phone" for f in v.questions) and person:
                self._emit("known_phone", id_number=person.id_number or "")
        else:
            self._go(S.REVIEW)

    @property
    def field(self) -> FormField | None:
        v = self.visit
        return v.questions[v.question] if 0 <= v.question < len(v.questions) else None

    def offers_known_phone(self) -> bool:
        f = self.field
        return bool(f is not None and f.kind == "phone" and self.visit.known_phone and not self.visit.phone_typing)

    def _form_result(self, e: Result) -> None:
        if e.kind == "known_phone" and e.error is None and e.value and values.valid_phone(str(e.value)):
            self.visit.known_phone = str(e.value)

    def _form_tap(self, e: Tap) -> None:
        v = self.visit
        f = self.field
        if f is None:
            return
        if self.offers_known_phone():
            if e.key == "phone_yes":
                self._answer(f, v.known_phone or "")
            elif e.key == "phone_no":
                v.phone_typing = True
                v.problem = None
            return
        if f.kind != "choice" or not e.key.isdigit() or int(e.key) >= len(f.choices):
            return
        v.answers[f.code] = f.choices[int(e.key)].zh  # stored in the catalog's canonical language
        v.problem = None

    def _form_next(self, e: Next) -> None:
        v = self.visit
        f = self.field
        if f is None:
            self._go(S.REVIEW)
            return
        if self.offers_known_phone():
            return  # the yes / no tiles answer this question
        value = v.answers.get(f.code, "") if f.kind == "choice" else e.value
        problem = values.check_field(f, value)
        if problem is not None:
            self._problem(problem)
            return
        self._answer(f, value)

    def _answer(self, f: FormField, value: str) -> None:
        v = self.visit
        s = v.session
        if s is None:
            return
        v.answers[f.code] = value
        if f.kind == "date":
            day = values.valid_date(value)
            s.set_form_value(f.code, day.isoformat() if day else value)
        else:
            s.set_form_value(f.code, value)
        v.problem = None
        if v.question + 1 < len(v.questions):
            v.question += 1
            return
        self._go(S.REVIEW)

    # --- review, done ---------------------------------------------------------------------------------------
    def _review_submit(self, _e: Next) -> None:
        v = self.visit
        s = v.session
        if v.busy or s is None or s.principal is None:
            return  # a second tap while submitting does nothing
        v.busy = True
        v.receipt_person = (s.principal.display_name, s.principal.display_id_number)
        self._emit("submit", session=s)

    def _review_result(self, e: Result) -> None:
        v = self.visit
        if e.kind != "submit":
            return
        v.busy = False
        if e.error is not None:
            self._problem(e.error)
            return
        v.receipts = list(e.value)
        s = v.session
        if s is not None:
            s.end(EndReason.DONE)
            self._emit("record_session", session=s, event="visit_end")
            self.ended.append(s)
        v.history.clear()
        self._go(S.DONE, push=False)
        v.printed = "printing"
        self._emit("print_receipt", receipts=list(v.receipts), name=v.receipt_person[0], id_text=v.receipt_person[1])
        self._emit("wake_sync")

    def _printed(self, e: Result) -> None:
        if e.kind in ("print_receipt", "print_ticket"):
            self.visit.printed = "printed" if e.error is None and e.value else "failed"

    # --- tickets ---------------------------------------------------------------------------------------------
    def _ticket_lane(self) -> str:
        s = self.visit.session
        if s is not None and (s.mode is Mode.PRIORITY or s.is_elderly):
            return "priority"
        return "normal"

    def _ticket_tap(self, e: Tap) -> None:
        if e.key == "take":
            self._take_ticket()

    def _ticket_card(self, e: CardInserted) -> None:
        record = e.record
        if record.card_type is CardType.BADGE or self.visit.busy:
            record.wipe()
            return
        s = self._new_session()
        if s.principal is None:
            s.identify(record)
        else:
            record.wipe()
        self._take_ticket()

    def _take_ticket(self) -> None:
        v = self.visit
        if v.busy or v.ticket is not None:
            return  # a double tap never issues two: one request id per visit, and nothing while one is out
        v.busy = True
        v.ticket_request = v.ticket_request or new_id()
        s = v.session
        self._emit("take_ticket", session=s, lane=self._ticket_lane(), request_id=v.ticket_request,
                   helper_id=s.helper.helper_id if s is not None and s.helper else None)

    def _ticket_result(self, e: Result) -> None:
        v = self.visit
        if e.kind != "take_ticket":
            return
        v.busy = False
        if e.error is not None:
            self._problem(e.error)
            return
        v.ticket = e.value
        self._go(S.TICKET_DONE, push=False)
        v.printed = "printing"
        self._emit("print_ticket", ticket=e.value)

    # --- batch (批量办理) ----------------------------------------------------------------------------------------
    def batch_items(self) -> list[Item]:
        """Services offered for a batch: those a person need not do in person and whose only question is a
        phone number (the care home's, asked once for the whole batch)."""
        out = []
        for i in self.catalog.items_for(elderly=True):
            asked = [self.catalog.field(f) for f in i.fields if self.catalog.field(f).from_card is None]
            if not i.personal_only and i.kind == "apply" and all(f.kind == "phone" for f in asked):
                out.append(i)
        return out[:6]

    def _batch_item_tap(self, e: Tap) -> None:
        v = self.visit
        if e.key not in {i.code for i in self.batch_items()} or v.busy:
            return
        v.batch_item = e.key
        asked = [f for f in self.catalog.merged_fields([e.key]) if f.from_card is None]
        if asked:
            v.batch_typing = "phone"
            self._go(S.BATCH_TYPED)
        else:
            self._batch_start()

    def _batch_start(self) -> None:
        v = self.visit
        if self.helper is None or v.batch_item is None:
            return
        v.busy = True
        values = {"phone": v.batch_phone} if v.batch_phone else {}
        self._emit("batch_start", item_code=v.batch_item, helper=self.helper, form_values=values)

    def _batch_started(self, e: Result) -> None:
        v = self.visit
        v.busy = False
        if e.kind != "batch_start":
            return
        if e.error is not None:
            self._problem(e.error)
            return
        v.batch_typing = "id"
        self._go(S.BATCH_LIST)

    def _batch_card(self, e: CardInserted) -> None:
        if e.record.card_type is CardType.BADGE:
            e.record.wipe()
            return
        self._emit("batch_add", record=e.record)

    def _batch_tap(self, e: Tap) -> None:
        if e.key == "type_id":
            self.visit.batch_typing = "id"
            self._go(S.BATCH_TYPED)

    def _batch_typed_next(self, e: Next) -> None:
        v = self.visit
        value = e.value.strip().upper()
        if v.batch_typing == "phone":
            if not values.valid_phone(value):
                self._problem(tx.PHONE_INCOMPLETE)
                return
            v.batch_phone = value
            self._batch_start()
            return
        if not validate_id_number(value):
            self._problem(tx.TYPED_ID_BAD)
            return
        self._emit("batch_add_typed", number=value)

    def _batch_typed_result(self, e: Result) -> None:
        v = self.visit
        if e.kind == "batch_start":
            self._batch_started(e)
            return
        if e.kind != "batch_add_typed":
            return
        if e.error is not None:
            self._problem(e.error)
            return
        v.batch_entries.append(e.value)
        self.state = S.BATCH_LIST
        if v.history and v.history[-1] is S.BATCH_LIST:
            v.history.pop()
        v.problem = e.value.error if not e.value.ok else None

    def _batch_submit(self, _e: Next) -> None:
        v = self.visit
        if v.busy:
            return
        if not v.batch_entries:
            self._problem(tx.BATCH_EMPTY)
            return
        v.busy = True
        self._emit("batch_finish")

    def _batch_result(self, e: Result) -> None:
        v = self.visit
        if e.kind in ("batch_add", "batch_add_typed"):
            if e.error is not None:
                self._problem(e.error)
                return
            v.batch_entries.append(e.value)
            v.problem = e.value.error if not e.value.ok else None
            return
        if e.kind != "batch_finish":
            return
        v.busy = False
        if e.error is not None:
            self._problem(e.error)
            return
        v.batch_summary = e.value
        self._go(S.BATCH_DONE, push=False)

    def _batch_finish(self, _e: Next) -> None:
        self.visit.wipe()
        self.visit = Visit(history=[S.HOME])
        self.token = next(self._tokens)
        self.state = S.STAFF_MENU if self.helper is not None else S.HOME

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
        from kiosk.journey.views import build_view

        return build_view(self)


def _helper_of(value: Any) -> Helper:
    """A roster member (or a Helper already) as the Helper the session records."""
    return value.as_helper() if hasattr(value, "as_helper") else value  # type: ignore[no-any-return]


def masked_phone_question(phone: str) -> Message:
    m = mask_phone(phone)
    return Message(f"{m} 是您的电话吗？", f"Is {m} your phone number?")
