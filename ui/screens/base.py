"""What every screen has: a heading, an instruction line (also its spoken prompt), a content area, and hooks
the window calls (enter, retranslate, wipe, the Next action)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.prompts import prompts
from ui.widgets import current_theme

if TYPE_CHECKING:
    from ui.window import KioskWindow


class Screen(QWidget):
    name = "screen"

    def __init__(self, win: KioskWindow) -> None:
        super().__init__()
        self.win = win
        self.setProperty("role", "page")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(current_theme().gap_px)

    # --- texts --------------------------------------------------------------------------------------
    def title(self) -> str:
        raise NotImplementedError

    def instruction(self) -> str:
        return prompts().get(self.name, "")

    def step_name(self) -> str:
        """The screen whose step number this one shows (第2步/共5步)."""
        return self.name

    def inline_instruction(self) -> bool:
        """True when this screen shows its instruction itself (`show_instruction`) instead of the window's line
        under the heading (the landscape keypad needs that height)."""
        return False

    def show_instruction(self, text: str) -> None:
        """Show the instruction inside the screen (only called when `inline_instruction()` is true)."""

    def spoken_extra(self) -> str:
        """Dynamic words read after the fixed prompt (e.g. the chosen items' names)."""
        return ""

    def retranslate(self) -> None:
        """Re-read every text (language switch)."""

    def apply_theme(self) -> None:
        self.body.setSpacing(current_theme().gap_px)

    # --- life cycle -----------------------------------------------------------------------------------
    def enter(self) -> None:
        """Called each time the screen is shown."""

    def wipe(self) -> None:
        """Forget everything personal shown or held by this screen."""

    def next_action(self) -> tuple[str, str] | None:
        """(label, icon) of the Next button, or None when this screen has no Next."""
        return None

    def on_next(self) -> None:
        pass
