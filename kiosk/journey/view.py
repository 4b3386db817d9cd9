"""The plain view model of a state: what a front end shows and which intents it may send. Texts are
`Message`s (zh_CN and en); the front end picks the language, never the words."""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.messages import Message


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
class View:
    state: str
    screen: str  # which screen renders it
    title: Message
    prompt: Message
    choices: tuple[ChoiceView, ...] = ()
    rows: tuple[tuple[Message, str | Message], ...] = ()  # label → already masked value (or words)
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
    extra: dict[str, object] = field(default_factory=dict)
