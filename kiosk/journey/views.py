"""What every state's view shares: the defaults, the banner, whose card was read, the step counter, and
`build_view`, which runs the state's own builder (in its flow's module) between them. A control is offered only
when a tap on it does something."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from kiosk.catalog.model import Catalog, FormField, Text
from kiosk.identity import mask_id_number, mask_phone
from kiosk.identity.record import IdentityRecord
from kiosk.journey import texts as tx
from kiosk.journey.materials import pages as material_pages
from kiosk.journey.states import DETOURS, DIFFICULT_FROM, JourneySettings, State, Visit
from kiosk.journey.values import takes_id_number
from kiosk.journey.view import (
    CallView,
    CardsView,
    ChoiceView,
    KeypadView,
    MaterialsView,
    QuestionView,
    SummaryView,
    TicketView,
    View,
    WhoseView,
)
from kiosk.locale import phrase
from kiosk.messages import BLANK, Message
from kiosk.services import Receipt
from kiosk.session import Helper, Mode

M = Message


class Journey(Protocol):
    """What the views' common parts read of the journey (`kiosk.journey.core.Core`), named here so that the core
    may build its views without this module importing it back."""

    catalog: Catalog
    settings: JourneySettings
    visit: Visit
    helper: Helper | None
    devices: dict[str, tuple[bool, Message | None]]

    @property
    def state(self) -> State: ...
    @property
    def screen(self) -> str: ...
    def may_green_channel(self) -> bool: ...
    def _served(self) -> IdentityRecord | None: ...
    def _device_ok(self, name: str) -> bool: ...


J = TypeVar("J", bound=Journey)


@dataclass
class Draft:
    """A view while its state's builder (in the state's flow module) fills it; `build_view` freezes it."""

    title: Message
    prompt: Message
    back: bool
    home: bool
    help: bool
    choices: list[ChoiceView] = field(default_factory=list)
    rows: list[tuple[Message, str | Message]] = field(default_factory=list)
    row_values: list[Message] = field(default_factory=list)  # batch rows: each person's outcome, beside their row
    next: Message | None = None
    icon: str = "next"
    keypad: KeypadView | None = None
    big: str = ""
    picture: str = ""
    picture_caption: Message | None = None
    whose: WhoseView | None = None
    chosen: Message | None = None
    catalog_icons: bool = False
    cards: CardsView | None = None
    materials: MaterialsView | None = None
    question: QuestionView | None = None
    summary: SummaryView | None = None
    ticket: TicketView | None = None
    calling: CallView | None = None
    printed: str = ""
    receipts: tuple[Receipt, ...] = ()


def then(first: Message, second: Message) -> Message:
    """Two sentences as one prompt."""
    return phrase("journey.views.two_sentences", first=first, second=second)


def words(t: Text) -> Message:
    """A catalog text (item, category, question, option) as the view's bilingual message."""
    return M(t.zh, t.en)


def masked_phone_question(phone: str) -> Message:
    m = mask_phone(phone)
    return phrase("journey.views.phone_number", m=m)


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def bilingual(name: str) -> Message:
    """A roster display name such as "张三 Zhang San" in each language (as written when there is one form)."""
    words = name.split()
    zh = " ".join(w for w in words if _CJK.search(w))
    en = " ".join(w for w in words if not _CJK.search(w))
    return M(zh or name, en or name)


def _banner(j: Journey) -> Message | None:
    parts: list[Message] = []
    h = j.helper
    if h is not None:
        who = bilingual(h.display_name)
        parts.append(phrase("journey.assisted", role=tx.ROLES[h.role.value], name=who))
    s = j.visit.session
    if s is not None and s.mode is Mode.PRIORITY:
        parts.append(tx.PRIORITY_ON)
    elif s is not None and h is not None and h.role.value == "staff" and s.is_elderly and \
            j.state.value in ("categories", "items", "materials", "form", "review"):
        # Age from the card: the green channel is suggested to the staff member (they decide).
        age = j.settings.elderly_age
        parts.append(M(tx.ELDERLY_SUGGESTED.zh.format(age=age), tx.ELDERLY_SUGGESTED.en.format(age=age)))
    # A reader that cannot read is said in the prompt of each screen that would ask for a card, with what still
    # works there (a banner saying it too read twice on one screen, in the green of "assisted").
    if not parts:
        return None
    return M(" · ".join(p.zh for p in parts), " · ".join(p.en for p in parts))


def whose(j: Journey) -> WhoseView | None:
    """"是 陈*芳 本人吗？" where the list begins: whose card was read (masked as on the review screen); for an
    agent, the person acted for."""
    served = j._served()
    if served is None or not served.display_name:
        return None
    name = served.display_name
    if j.visit.proxy_pending or (j.visit.session is not None and j.visit.session.agent is not None):
        # two cards were read: which one counts is said before anything is chosen
        return WhoseView(phrase("journey.views.acting_right_person", name=name),
                         first=True)
    return WhoseView(phrase("journey.views.s_card", name=name))


# The part of a visit's path each state belongs to: the step counter (第2步/共4步) counts these parts, so two screens
# of one part share its number (the agent's card and the checking of it) and two parts never share one. States
# not listed are not on a path: home, detours (help, a difficult case), the ends (done, tickets), staff panels.
_PART: dict[State, str] = {
    State.IDENTIFY: "identify", State.PROXY_AGENT: "identify", State.PROXY_PRINCIPAL: "identify",  # ① and ②
    State.PROXY_TYPED: "identify", State.HEALTH: "health", State.HEALTH_WAITING: "health",
    State.CATEGORIES: "choose", State.ITEMS: "choose", State.SAME_ITEM_TODAY: "choose", State.PROXY_CHECKING: "choose",
    State.PROXY_CODE: "authorize", State.PROXY_PAPER: "authorize", State.MATERIALS: "materials", State.FORM: "form",
    State.REVIEW: "review",
}
_PATH_FLOWS = ("business", "elderly", "print")  # the ways into an application; a ticket or a call is one screen


def path(j: Journey) -> list[str]:
    """The parts of the path this visit has chosen, in order ([] where there is none). Before the services are
    chosen the materials and the form are counted (most services have both); once chosen, a materials page that
    asks nothing or a form with no question left drops out, so the count only ever shrinks."""
    v = j.visit
    s = v.session
    if v.flow not in _PATH_FLOWS or s is None or s.ended is not None:
        return []
    proxy = v.proxy_pending or s.agent is not None
    parts = ["identify"]  # acting for someone, both cards are this one step (the screen numbers them ① ②)
    if j.settings.health_check_required:
        parts.append("health")
    parts.append("choose")
    if proxy and v.authorize_asked:
        parts.append("authorize")
    chosen = list(s.selected_items)
    if not chosen or material_pages(j.catalog, chosen, s.principal):
        parts.append("materials")
    if not chosen or any(not f.from_card for f in j.catalog.merged_fields(chosen)):
        parts.append("form")
    return [*parts, "review"]


def step_of(j: Journey) -> tuple[int, int] | None:
    """(this step, all steps) of the chosen path, or None where the person is on no path."""
    part = _PART.get(j.state)
    parts = path(j) if part is not None else []
    if part not in parts:
        return None
    return parts.index(part) + 1, len(parts)


_NO_VOLUNTEER_CALL = (State.HELP, State.SIGNIN, State.SIGNIN_LOCKED, State.STAFF_MENU, State.PRIORITY_CONFIRM,
                      State.BATCH_ITEM, State.BATCH_LIST, State.BATCH_TYPED, State.BATCH_DONE)


def build_view(j: J, builder: Callable[[J, Draft], None] | None) -> View:
    """The current state's view: the defaults every state shares, then its flow's builder, then the controls
    that depend on who is at the kiosk."""
    st = j.state
    v = j.visit
    name = st.value
    d = Draft(title=tx.TITLES.get(name, tx.TITLES.get(j.screen, M(name, name))), prompt=tx.PROMPTS.get(name, BLANK),
              back=bool(v.history) or st in DETOURS, home=st is not State.HOME, help=st not in _NO_VOLUNTEER_CALL)
    if builder is not None:
        builder(j, d)
    identified = v.session is not None and v.session.principal is not None
    green = j.may_green_channel()
    helpable = d.help
    if green:  # a staff member is already at the kiosk: their "转绿色通道" takes the volunteer call's place
        helpable = False
    if j.helper is not None and j.helper.role.value == "staff":  # staff at the kiosk do not call a volunteer
        helpable = False
    return View(state=name, screen=j.screen, title=d.title, prompt=d.prompt, choices=tuple(d.choices),
                rows=tuple(d.rows), problem=v.problem, banner=_banner(j), big=d.big, next=d.next, next_icon=d.icon,
                back=d.back, home=d.home, help=helpable, difficult=st in DIFFICULT_FROM and identified, green=green,
                sign_out=j.helper is not None and st is State.HOME, step=step_of(j), keypad=d.keypad, busy=v.busy,
                picture=d.picture, picture_caption=d.picture_caption, whose=d.whose, chosen=d.chosen,
                catalog_icons=d.catalog_icons, cards=d.cards, materials=d.materials, question=d.question,
                summary=d.summary, ticket=d.ticket, calling=d.calling, printed=d.printed, receipts=d.receipts,
                row_values=tuple(d.row_values))


def display_value(f: FormField, value: str) -> str | Message:
    if f.kind == "choice":
        return next((M(c.zh, c.en) for c in f.choices if c.zh == value), value)
    if f.kind == "phone":
        return mask_phone(value)
    if takes_id_number(f):
        return mask_id_number(value)
    if f.kind == "digits":
        return value[:4] + "*" * (len(value) - 8) + value[-4:] if len(value) > 8 else "*" * len(value)
    return value
