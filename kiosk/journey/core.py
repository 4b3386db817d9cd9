"""The journey's engine, free of any one flow: the navigation map's entries (`On`, `Flow`, merged by `merge` into a
`Nav`) and `Core`, which routes each event by (state, event) through the merged map and changes state in one place
(`Core._go`), refusing a target the map does not declare."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kiosk.catalog.model import Catalog
from kiosk.clock import CHINA_TZ, Clock, system_clock
from kiosk.identity.record import CardType, IdentityRecord
from kiosk.journey import texts as tx
from kiosk.journey.events import CardInserted, CardRemoved, Event, Result
from kiosk.journey.states import DETOURS, GREEN_FROM, NOT_TIMED, SCREEN, Effect, JourneySettings, S, State, Visit
from kiosk.journey.view import View
from kiosk.journey.views import Draft, build_view, step_of
from kiosk.messages import Message
from kiosk.rights import Action, allowed, require
from kiosk.session import EndReason, Helper, Mode, Session

Handler = Callable[["Core", Any], None]  # (journey, the event its row answers)
Builder = Callable[["Core", Draft], None]  # fills the state's view draft
Enter = Callable[["Core"], None]  # runs on entering a state (e.g. the help request is sent)


@dataclass(frozen=True)
class On:
    """One entry of the map: the callable that answers the event, and the states it may lead to. `returns`: it may
    also go back along the visit's history (Back), to a screen the visit has already shown."""

    handler: Handler
    targets: tuple[State, ...] = ()
    returns: bool = False


def on(handler: Handler, *targets: State, returns: bool = False) -> On:
    return On(handler, targets, returns)


Row = Mapping[str, On]  # event key → entry; the key of a Result is "result:<kind>" (routed by what it answers)


def key_of(event: Event) -> str:
    return f"result:{event.kind}" if isinstance(event, Result) else event.name


@dataclass(frozen=True)
class Flow:
    """A flow's part of the map: its states' rows, the rows it adds to every state, its views, its entry steps."""

    name: str
    table: Mapping[State, Row] = field(default_factory=dict)
    everywhere: Row = field(default_factory=dict)
    views: Mapping[State, Builder] = field(default_factory=dict)
    enter: Mapping[State, Enter] = field(default_factory=dict)


@dataclass(frozen=True)
class Nav:
    """The merged map of every flow (what `Core` routes by)."""

    table: dict[State, dict[str, On]]
    everywhere: dict[str, On]
    views: dict[State, Builder]
    enter: dict[State, Enter]


def merge(*flows: Flow) -> Nav:
    """The flows' maps as one (Electrum's `navmap_merge`); two flows answering the same (state, event) is an error."""
    nav = Nav({}, {}, {}, {})
    for f in flows:
        for state, row in f.table.items():
            mine = nav.table.setdefault(state, {})
            for key, entry in row.items():
                if key in mine:
                    raise ValueError(f"{f.name}: {state.value} {key} is answered twice")
                mine[key] = entry
        for key, entry in f.everywhere.items():
            if key in nav.everywhere:
                raise ValueError(f"{f.name}: {key} (every state) is answered twice")
            nav.everywhere[key] = entry
        for state, build in f.views.items():
            if state in nav.views:
                raise ValueError(f"{f.name}: {state.value} has two views")
            nav.views[state] = build
        for state, step in f.enter.items():
            if state in nav.enter:
                raise ValueError(f"{f.name}: {state.value} has two entry steps")
            nav.enter[state] = step
    return nav


class UndeclaredTransitionError(RuntimeError):
    """A handler led somewhere its entry in the map does not declare (a bug: the map and the drawing would lie)."""

    def __init__(self, source: State, key: str, target: State) -> None:
        super().__init__(f"{source.value} --{key}--> {target.value} is not declared in the journey's map")
        self.source, self.key, self.target = source, key, target


class Core:
    """One kiosk's journey over a merged map: feed it events, run the effects it returns, render `view()`."""

    def __init__(self, nav: Nav, catalog: Catalog, settings: JourneySettings | None = None, *,
                 clock: Clock = system_clock,
                 allow: Callable[[Helper | None, Action], object] | None = None) -> None:
        self.nav = nav
        self.catalog = catalog
        self.settings = settings or JourneySettings()
        self.clock = clock
        self._state: State = S.HOME
        self.visit = Visit()
        self.helper: Helper | None = None  # signed in at this kiosk (until sign-out or idle)
        self.devices: dict[str, tuple[bool, Message | None]] = {}
        self._tokens = itertools.count(1)
        self.token = next(self._tokens)
        self._effects: list[Effect] = []
        self._allow = allow or require  # kiosk.rights.require: raises KioskError when refused
        self._entry: tuple[str, On] | None = None  # the entry now answering an event (what `_go` checks against)
        self.ended: list[Session] = []  # sessions ended (for the front end to record; drained by it)
        self.card_on_reader = False  # a person's card lies on the reader (the reader reports lifting it)

    @property
    def state(self) -> State:
        return self._state

    # --- the loop ---------------------------------------------------------------------------------------------
    def entry(self, event: Event) -> On | None:
        """The map's entry for `event` in the current state: the state's row, else the rows every state has."""
        key = key_of(event)
        return self.nav.table.get(self._state, {}).get(key) or self.nav.everywhere.get(key)

    def handle(self, event: Event) -> list[Effect]:
        """Apply `event` in the current state; return the effects to run (their answers come back as Result)."""
        self._effects = []
        if isinstance(event, CardInserted):
            self.card_on_reader = event.record.card_type is not CardType.BADGE
        elif isinstance(event, CardRemoved):
            self.card_on_reader = False
        if isinstance(event, Result) and event.token != self.token:
            return []  # an answer for an earlier visit: nothing of it may reach this one
        entry = self.entry(event)
        if entry is None:
            if isinstance(event, CardInserted):
                event.record.wipe()  # not asked for a card here: keep nothing
            return []
        self._entry = (key_of(event), entry)
        try:
            entry.handler(self, event)
        finally:
            self._entry = None
        return self._effects

    def handle_all(self, events: list[Event]) -> list[Effect]:
        out: list[Effect] = []
        for e in events:
            out += self.handle(e)
        return out

    def _go(self, state: State, *, push: bool = True, keep_problem: bool = False, back: bool = False) -> None:
        """The one place the state changes: to a target the answering entry declares (or, for an entry that
        `returns`, back along the history); `push` keeps the screen left for Back; the problem shown is cleared."""
        if state is not self._state:
            key, entry = self._entry or ("", None)
            if entry is None or not (state in entry.targets or (back and entry.returns)):
                raise UndeclaredTransitionError(self._state, key, state)
        if push and self._state is not state and self._state not in DETOURS:
            self.visit.history.append(self._state)
        self._state = state
        if not keep_problem:
            self.visit.problem = None
        enter = self.nav.enter.get(state)
        if enter is not None and not back:  # returning to a screen is not entering it anew
            enter(self)

    # --- what the front end reads -------------------------------------------------------------------------
    @property
    def session(self) -> Session | None:
        return self.visit.session

    @property
    def screen(self) -> str:
        return SCREEN[self._state]

    @property
    def flow(self) -> str:
        return self.visit.flow

    @property
    def times_idle(self) -> bool:
        """Whether the idle timer runs now (a visit or a signed-in helper to protect)."""
        if self._state in NOT_TIMED:
            return False
        return self._state is not S.HOME or self.helper is not None or self.visit.session is not None

    def step(self) -> tuple[int, int] | None:
        """(this step, all steps) of the path the visit has chosen, or None (`views.step_of` holds the rule)."""
        return step_of(self)

    def view(self) -> View:
        return build_view(self, self.nav.views.get(self._state))

    def preview(self, state: State) -> View:
        """The view `state` would show for the current (empty) visit: front ends lay out screens ahead of use. Drawn
        from a shallow copy, so this journey's own state never changes for a look."""
        twin = copy.copy(self)
        twin._state = state
        return twin.view()

    def code_scanner_problem(self) -> Message | None:
        """Why no code can be scanned here now (none configured, or the scanner reports a fault), or None when
        a code held up can be read. A screen then does not ask for a code."""
        if not self.settings.code_scanner:
            return tx.NO_CODE_SCANNER
        ok, message = self.devices.get("scanner", (True, None))
        return None if ok else (message or tx.SCANNER_DOWN)

    def green_here(self) -> bool:
        """A person's own visit under way (identified, not 代办, not yet priority) on one of `GREEN_FROM`."""
        v = self.visit
        s = v.session
        return (self._state in GREEN_FROM and s is not None and s.principal is not None and s.agent is None
                and s.mode in (Mode.SELF_SERVICE, Mode.ASSISTED) and not v.proxy_pending
                and v.proxy_principal is None)

    def may_green_channel(self) -> bool:
        """Whether "转绿色通道" is offered on the visit's screen: signed-in staff, the visit not yet in it."""
        return self.green_here() and allowed(self.helper, Action.PRIORITY_MODE)

    def refused(self, message: Message) -> None:
        """A rule of the core refused what was asked (`kiosk.rights`): its plain words are the problem shown."""
        self.visit.problem = message

    def served_is_elderly(self) -> bool:
        p = self._served()
        s = self.visit.session
        day = s.today() if s is not None else self.clock().astimezone(CHINA_TZ).date()
        return bool(p is not None and p.birth_date and p.is_elderly(day, self.settings.elderly_age))

    # --- steps every flow uses ------------------------------------------------------------------------------
    def _emit(self, kind: str, **data: Any) -> None:
        self._effects.append(Effect(kind, self.token, data))

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

    def _new_visit(self, history: list[State] | None = None) -> None:
        """Nothing of this visit is kept: its records wiped, answers still on their way dropped (token)."""
        self.visit.wipe()
        self.visit = Visit(history=list(history or []))
        self.token = next(self._tokens)

    def _reset(self, reason: EndReason) -> None:
        """Back to Home with nothing of this visit left. A card still on the reader is asked back first
        ("请取回您的身份证"): Home shows once it is lifted."""
        v = self.visit
        if v.session is not None and v.session.ended is None:
            v.session.end(reason)
            self._emit("record_session", session=v.session, event="visit_end")
            self.ended.append(v.session)
        self._new_visit()
        self._go(S.TAKE_CARD if self.card_on_reader else S.HOME, push=False)

    def _served(self) -> IdentityRecord | None:
        v = self.visit
        if v.proxy_principal is not None:
            return v.proxy_principal
        return v.session.principal if v.session is not None else None

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

    def _sign_out(self, reason: str, end: EndReason) -> None:
        """The helper signed in here signs out (the next person must not inherit their rights); the visit ends."""
        if self.helper is not None:
            self._emit("sign_out", helper=self.helper, reason=reason)
        self.helper = None
        self._reset(end)
