"""What every screen has: a content area that renders the journey's view model of its state and sends the
person's taps back as intents (`win.send`). A screen holds no rule and reads no other screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.journey.view import ChoiceView, View
from kiosk.messages import Message
from ui.widgets import Choice, current_theme

if TYPE_CHECKING:
    from ui.host import Host


class Screen(QWidget):
    name = "screen"

    def __init__(self, win: Host) -> None:
        super().__init__()
        self.win = win
        self.setProperty("role", "page")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(current_theme().gap_px)

    def t(self, m: Message | None) -> str:
        """A view-model text in the kiosk's current language."""
        return m.get(self.win.lang) if m is not None else ""

    def choices(self, vm: View, icons: dict[str, str] | None = None) -> list[Choice]:
        return [_choice(c, self.win.lang, icons) for c in vm.choices]

    # --- hooks the window calls ---------------------------------------------------------------------------------
    def render(self, vm: View) -> None:
        """Show `vm` (called on every change of the journey and on a language switch)."""

    def enter(self, vm: View) -> None:
        """The screen is shown for a new state: reset what belongs to the state shown before, then render."""
        self.render(vm)

    def heading(self, vm: View) -> Message:
        """The heading above the screen (the view's title; a screen may shorten it where it shows the rest)."""
        return vm.title

    def inline_instruction(self, vm: View) -> bool:
        """True when this screen shows the instruction itself (the landscape keypad needs that height)."""
        return False

    def show_instruction(self, text: str, problem: bool) -> None:
        """Show the instruction (or, `problem`, what is wrong) inside the screen (when `inline_instruction()`)."""

    def spoken_extra(self, vm: View) -> str:
        """Dynamic words read after the fixed prompt (e.g. the chosen items' names)."""
        return ""

    def typed_value(self) -> str:
        """What the person typed on this screen's keypad (sent with Next)."""
        return ""

    def apply_theme(self) -> None:
        self.body.setSpacing(current_theme().gap_px)

    def wipe(self) -> None:
        """Forget everything personal shown by this screen."""


def _choice(c: ChoiceView, lang: str, icons: dict[str, str] | None) -> Choice:
    icon = icons.get(c.icon, "folder") if icons is not None else c.icon
    return Choice(c.key, icon, c.text.get(lang), c.selected)
