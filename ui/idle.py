"""Idle handling: any button press counts as activity (`ui.widgets.activity`); after the idle time a
full-screen "Need more time?" with a countdown (the only pop-up the kiosk ever shows): "需要，请再等等我" keeps the
visit, "不用了，结束办理" ends it now; it says the screen will be cleared and the card should be taken. When the
countdown runs out the visit ends the same way (the journey then asks for a card left on the reader)."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from ui.i18n import ui_text
from ui.prompts import prompts
from ui.widgets import BigButton, current_theme, label


class IdleOverlay(QWidget):
    """Covers the whole window; `expired` fires when the countdown reaches zero, `kept` when Yes is touched."""

    expired = Signal()
    kept = Signal()
    ended = Signal()  # "不用了，结束办理": the same end as the countdown running out, at once

    def __init__(self, parent: QWidget, seconds: float) -> None:
        super().__init__(parent)
        self.setObjectName("IdleOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.seconds = seconds
        self._deadline = 0.0
        box = self._box = QVBoxLayout(self)
        self.heading = label(role="big")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.warning = label(role="body")  # what ending means: the screen cleared, the card to take
        self.warning.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown = label(role="heading")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no = BigButton("home", "", "light", vertical=False, wrap=False)
        self.no.setObjectName("IdleEnd")
        self.no.clicked.connect(self._end)
        self.yes = BigButton("yes", "", "primary", vertical=False, wrap=False)
        self.yes.setObjectName("IdleYes")
        self.yes.clicked.connect(self._keep)
        box.addStretch(1)
        box.addWidget(self.heading)
        box.addWidget(self.warning)
        box.addWidget(self.countdown)
        # Side by side in landscape, stacked in portrait; the forward choice (keep going) last: bottom right.
        self._row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._row.addWidget(self.no, 1)
        self._row.addWidget(self.yes, 1)
        box.addLayout(self._row)
        box.addStretch(1)
        self._timer = QTimer(self)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self._tick)
        self.hide()
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(ui_text("ui.idle.heading"))
        self.yes.set_text(ui_text("ui.idle.yes"))
        self.no.set_text(ui_text("ui.idle.no"))
        self.warning.setText(ui_text("ui.idle.warning"))
        self._tick(update_only=True)

    def apply_theme(self) -> None:
        t = current_theme()
        self._box.setContentsMargins(t.margin_px * 2, t.margin_px, t.margin_px * 2, t.margin_px)
        self._box.setSpacing(t.gap_px * 2)
        parent = self.parentWidget()
        portrait = parent is not None and parent.height() > parent.width()
        self._row.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        self._row.setSpacing(t.gap_px * 2)
        for b in (self.yes, self.no):
            b.apply_theme(t)
            b.setFixedHeight(round(t.button_px * 1.3))

    def prompt(self) -> str:
        return prompts()["idle"]

    def start(self) -> None:
        self._deadline = time.monotonic() + self.seconds
        parent = self.parentWidget()
        if parent is not None:  # always the window; a bare overlay (tests) keeps its own size
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self._tick(update_only=True)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self.hide()

    def remaining(self) -> int:
        return max(0, math.ceil(self._deadline - time.monotonic()))

    def _tick(self, update_only: bool = False) -> None:
        left = self.remaining()
        self.countdown.setText(ui_text("ui.idle.countdown", seconds=left))
        if not update_only and self.isVisible() and time.monotonic() >= self._deadline:
            self.stop()
            self.expired.emit()

    def _keep(self) -> None:
        self.stop()
        self.kept.emit()

    def _end(self) -> None:
        self.stop()
        self.ended.emit()
