"""The plain view model of a state: what a front end shows and which intents it may send. Texts are
`Message`s (zh_CN and en); the front end picks the language, never the words."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.journey.materials_words import MaterialLine
from kiosk.messages import Message
from kiosk.services import Receipt


@dataclass(frozen=True)
class ChoiceView:
    key: str
    icon: str
    text: Message
    selected: bool = False


@dataclass(frozen=True)
class KeypadView:
    """A keypad on screen: what is typed there goes back in `Next(value)`."""

    max_length: int
    allow_x: bool = False
    secret: bool = False  # a PIN: shown as dots
    value: str = ""  # what the journey already holds for this field (e.g. after Back)
    expects: Message | None = None  # what is to be typed (e.g. 11位手机号码), shown while the box is empty


@dataclass(frozen=True)
class WhoseView:
    """Whose card was read, where the choosing begins ("是 陈*芳 本人吗？")."""

    text: Message
    first: bool = False  # two cards were read (代办): said before anything is chosen, even where room is short


@dataclass(frozen=True)
class CardsView:
    """The 代办 screens' cards: the agent's and the other person's (masked), and whether a code can be read."""

    agent_name: str | None = None
    principal_name: str | None = None  # a typed number has no name: its masked number instead
    code_readable: bool | None = None  # on the code step only
    card_readable: bool = True  # the reader can read a card now (else no card is asked for)


@dataclass(frozen=True)
class MaterialsView:
    item: str  # the item whose materials page this is
    lines: tuple[MaterialLine, ...] = ()  # what satisfied each material (the card, shared data) or where paper goes


@dataclass(frozen=True)
class QuestionView:
    number: int  # this question, counted from 1
    of: int  # all questions
    label: Message
    kind: str | None = None  # what the keypad takes: phone | date | id | digits (None: tiles answer it)


@dataclass(frozen=True)
class SummaryView:
    """What the review says beside its rows."""

    services: Message
    who: Message | None = None  # "张* 代 李** 办理。" on a 代办 visit
    helper: Message | None = None  # the helper's name in each language


@dataclass(frozen=True)
class TicketView:
    lane: str  # normal | priority | difficult
    lane_text: Message


@dataclass(frozen=True)
class CallView:
    """The volunteer call's state, in words."""

    status: Message
    detail: Message


@dataclass(frozen=True)
class View:
    state: str
    screen: str  # which screen renders it
    title: Message
    prompt: Message
    choices: tuple[ChoiceView, ...] = ()
    rows: tuple[tuple[Message, str | Message], ...] = ()  # label → already masked value (or words)
    row_values: tuple[Message, ...] = ()  # batch rows: each person's outcome, shown beside their row
    problem: Message | None = None
    banner: Message | None = None  # e.g. "志愿者 张三 协助中", "读卡器暂不可用…"
    big: str = ""  # a ticket number
    next: Message | None = None  # the primary button's words; None = no primary button
    next_icon: str = "next"
    back: bool = False
    home: bool = False
    help: bool = False
    difficult: bool = False
    green: bool = False  # "转绿色通道": signed-in staff switch the visit under way into priority mode
    sign_out: bool = False
    step: tuple[int, int] | None = None
    keypad: KeypadView | None = None
    busy: bool = False
    columns_hint: int = 0  # 1 = one tile per row (long item names); 0 = the screen decides
    picture: str = ""  # a large picture: card_on_reader (home) | take_card
    picture_caption: Message | None = None
    whose: WhoseView | None = None
    chosen: Message | None = None  # "已选 2 项" once something is chosen
    catalog_icons: bool = False  # the tiles carry the catalog's own icons
    cards: CardsView | None = None
    materials: MaterialsView | None = None
    question: QuestionView | None = None
    summary: SummaryView | None = None
    ticket: TicketView | None = None
    calling: CallView | None = None
    printed: str = ""  # the receipt's or ticket's printing: "" | printing | printed | failed
    receipts: tuple[Receipt, ...] = ()  # what was submitted (the done screen lists their 受理号)
