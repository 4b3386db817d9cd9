"""The journey's vocabulary: its states, which screen shows each, the flows' steps, the short lists, the
effects it asks for, its settings, and what one visit holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Self

from kiosk import authorizations as _paper
from kiosk import difficult as _difficult
from kiosk import green_channel as _green
from kiosk.badge import reads_badges
from kiosk.identity.record import IdentityRecord
from kiosk.locale import phrase
from kiosk.messages import Message
from kiosk.rights import Action
from kiosk.session import Helper, Session


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
    TAKE_CARD = "take_card"
    SAME_ITEM_TODAY = "same_item_today"


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
    S.TAKE_CARD: "panel", S.SAME_ITEM_TODAY: "panel",
}

# Where the visitor's card may come off without ending the visit: nothing personal is on screen yet or any
# more, the agent is swapping cards, a staff badge is expected, or a typed number stands in for a card.
CARD_MAY_LEAVE = frozenset({S.HOME, S.DONE, S.TICKET_DONE, S.HELP, S.PROXY_AGENT, S.PROXY_PRINCIPAL, S.PROXY_TYPED,
                            S.PROXY_PAPER, S.HEALTH_WAITING, S.SIGNIN, S.SIGNIN_LOCKED, S.STAFF_MENU,
                            S.PRIORITY_CONFIRM, S.BATCH_ITEM, S.BATCH_LIST, S.BATCH_TYPED, S.BATCH_DONE,
                            S.DIFFICULT_CASE_DONE, S.TICKET, S.IDENTIFY, S.TAKE_CARD})
# States after which "这件事我办不了" is offered (someone is identified and a case can be opened); signed-in staff
# may also switch the visit into the green channel from these.
DIFFICULT_FROM = frozenset({S.CATEGORIES, S.ITEMS, S.MATERIALS, S.FORM, S.REVIEW, S.PROXY_CHECKING, S.PROXY_CODE,
                            S.PROXY_PAPER, S.HEALTH, S.HEALTH_WAITING, S.PROXY_PRINCIPAL, S.PROXY_TYPED})
# Where signed-in staff may switch a visit under way into the green channel: the person's own visit (a proxy
# visit keeps its 代办 mode, which priority would replace).
GREEN_FROM = frozenset({S.HEALTH, S.HEALTH_WAITING, S.CATEGORIES, S.ITEMS, S.MATERIALS, S.FORM, S.REVIEW})
STAFF_STATES = frozenset({S.SIGNIN, S.SIGNIN_LOCKED, S.STAFF_MENU, S.PRIORITY_CONFIRM, S.BATCH_ITEM, S.BATCH_LIST,
                          S.BATCH_TYPED, S.BATCH_DONE})
# Where the idle timer does not run: nothing to protect (home without a helper) or the screen returns by itself.
# "请取回您的身份证" waits for the card itself: only lifting it ends it.
NOT_TIMED = frozenset({S.DONE, S.TICKET_DONE, S.TAKE_CARD})
# Detours: Back from them returns to the screen they were opened on (they are never pushed on the history).
DETOURS = (S.HELP, S.DIFFICULT_CASE)
# Where ending a visit leads: home, or first "请取回您的身份证" while a person's card lies on the reader.
ENDS = (S.HOME, S.TAKE_CARD)

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


_DEFAULT_DESK = phrase("journey.states._default_desk")


@dataclass(frozen=True)
class JourneySettings:
    kiosk_id: str = "demo-kiosk-01"
    elderly_age: int = 60
    health_check_required: bool = False
    idle_seconds: int = 60
    help_desk: Message = _DEFAULT_DESK
    known_phone_lookup: bool = True
    health_kinds: tuple[str, ...] | None = None  # config `health_check.accepted_kinds` (None: the rule's default)
    badges: bool = True  # the card reader reads staff badges (PC/SC); a SAM ID-card reader cannot (kiosk.badge)
    code_scanner: bool = True  # a code scanner is configured (`scanner.driver` is not "none")

    @classmethod
    def from_config(cls, cfg: Any) -> JourneySettings:
        hall = getattr(cfg, "hall", None)
        desk = cls.help_desk
        if hall is not None and getattr(hall, "help_desk_location_zh", None):
            desk = Message(hall.help_desk_location_zh, getattr(hall, "help_desk_location_en", "") or
                           hall.help_desk_location_zh)
        return cls(kiosk_id=cfg.kiosk_id, elderly_age=cfg.elderly_age,
                   health_check_required=cfg.ui.health_check_required, idle_seconds=cfg.timeouts.idle_seconds,
                   help_desk=desk, health_kinds=tuple(cfg.health_check.accepted_kinds),
                   badges=reads_badges(cfg.card_reader.driver),
                   code_scanner=cfg.scanner.driver != "none")


class Part:
    """One flow's own part of a visit (a typed sub-record): `ProxyPart.of(visit)` is that visit's, made on first
    use; it goes (and its records are wiped) with the visit. A new flow adds its part without touching `Visit`."""

    def wipe(self) -> None:
        """Drop what this part holds of a person (called when the visit ends)."""

    @classmethod
    def of(cls, visit: Visit) -> Self:
        got = visit.parts.get(cls)
        if not isinstance(got, cls):
            got = cls()
            visit.parts[cls] = got
        return got


@dataclass
class Visit:
    """What every flow of one visit shares; each flow keeps the rest in its own `Part`. Dropped (and its records
    wiped) when the visit ends."""

    flow: str = "business"
    session: Session | None = None
    history: list[State] = field(default_factory=list)
    problem: Message | None = None
    busy: bool = False
    selected: list[str] = field(default_factory=list)
    proxy_pending: bool = False  # acting for someone whose card (or typed number) is not yet authorized
    proxy_principal: IdentityRecord | None = None  # that person, until the session holds them
    authorize_asked: bool = False  # none registered: the agent is asked for one (a step of the path)
    done_today: dict[str, str] = field(default_factory=dict)  # item → receipt_no submitted today by this person
    printed: str = ""  # "" | printing | printed | failed
    ticket: dict[str, Any] | None = None
    ticket_request: str | None = None
    parts: dict[type[Part], Part] = field(default_factory=dict)

    def wipe(self) -> None:
        if self.proxy_principal is not None:
            self.proxy_principal.wipe()
        self.proxy_principal = None
        self.done_today.clear()
        self.ticket = None
        for part in self.parts.values():
            part.wipe()


def helper_of(value: Any) -> Helper:
    """A roster member (or a Helper already) as the Helper the session records."""
    helper: Helper = value.as_helper() if hasattr(value, "as_helper") else value
    return helper


