"""The one merged form (一张表: each field asked once, card fields pre-filled, only what is missing asked, digits
on a keypad, a known phone confirmed in one tap), the review, and the done screen with the printed receipt."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk.journey import Timeout
from kiosk.journey.view import View
from kiosk.locale import phrase
from kiosk.messages import Message
from kiosk.services import Receipt
from ui.screens.base import Screen
from ui.screens.start import _TileScreen
from ui.widgets import Keypad, current_theme, discard_labels, label, set_role


class KeypadBox(QWidget):
    """The typed number (grouped for reading) above or beside a telephone keypad."""

    def __init__(self) -> None:
        super().__init__()
        self.value_label = label(role="field", wrap=False)
        self.value_label.setObjectName("FormValue")
        self.keypad = Keypad()
        self.keypad.typed.connect(self._typed)
        self.secret = False
        self.id_number = False
        lay = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        lay.setContentsMargins(0, 0, 0, 0)
        self._lay = lay
        self.value_box = QWidget()
        col = QVBoxLayout(self.value_box)
        col.setContentsMargins(0, 0, 0, 0)
        self._col = col
        self.hint = label(role="body")
        self.hint.setObjectName("FormHint")
        col.addWidget(self.value_label)
        col.addWidget(self.hint)
        col.addStretch(1)
        lay.addWidget(self.value_box, 0, Qt.AlignmentFlag.AlignTop)
        lay.addWidget(self.keypad, 0, Qt.AlignmentFlag.AlignTop)
        lay.addStretch(1)
        self.value_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.keypad.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._for: object = None
        self.expects = ""  # what is to be typed, shown (muted) while nothing is typed yet

    def set_expects(self, text: str) -> None:
        """Say in the empty box what it expects (11位手机号码, 18位身份证号码, …)."""
        self.expects = text
        self._typed(self.keypad.value)

    def load(self, key: object, max_length: int, *, allow_x: bool, secret: bool, value: str = "") -> None:
        """A new question: fresh keypad (keeping what was typed when the same question is shown again)."""
        if key == self._for:
            return
        self._for = key
        self.secret = secret
        self.id_number = allow_x
        self.keypad.reset(max_length, allow_x=allow_x)
        self.keypad.value = value
        self._typed(value)

    def _typed(self, value: str) -> None:
        # Empty: what it expects, in the same box (lighter, smaller) so it still reads as the place to type.
        set_role(self.value_label, "field" if value or not self.expects else "field_hint")
        if not value and self.expects:
            self.value_label.setText(self.expects)
            return
        self.value_label.setText("●" * len(value) if self.secret and value else
                                 _grouped(value, id_number=self.id_number))

    def apply_theme(self, portrait: bool, scale: float) -> None:
        t = current_theme()
        self.keypad.apply_theme()
        # Taller keys are easier to hit where the height allows (portrait most).
        self.keypad.set_key_height((1.4 if portrait else 1.25) / scale)
        self._lay.setSpacing(t.gap_px * 2)
        self._col.setSpacing(t.gap_px)
        self._lay.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        self._lay.setStretch(0, 0 if portrait else 2)
        self._lay.setStretch(1, 0 if portrait else 3)
        self._lay.setStretch(2, 1 if portrait else 0)
        self.value_label.setMinimumHeight(round(t.heading_px * 1.9))

    def wipe(self) -> None:
        self._for = None
        self.keypad.reset()
        self.value_label.clear()
        self.hint.clear()


class FormScreen(_TileScreen):
    name = "form"

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.keys = KeypadBox()
        self.keypad = self.keys.keypad
        self.value_label = self.keys.value_label
        self.body.addWidget(self.keys, 1)
        self.body.addWidget(self.grid, 1)
        self._question: tuple[int, int] | None = None

    @property
    def field(self) -> Any:
        return self.win.journey.field

    @property
    def error(self) -> str:
        p = self.win.journey.view().problem
        return self.t(p) if p is not None else ""

    def inline_instruction(self, vm: View) -> bool:
        return not self.win.portrait and vm.keypad is not None

    def heading(self, vm: View) -> Message:
        # Landscape keypad: the question count moves beside the number (one heading line leaves the keys room).
        if self.inline_instruction(vm) and vm.question is not None:
            return vm.question.label
        return vm.title

    def show_instruction(self, text: str, problem: bool) -> None:
        set_role(self.keys.hint, "error" if problem else "body")
        q = self._question
        if q is not None and q[1] > 1 and not problem:
            text = self.t(phrase("ui.details.question", q=q[0], q2=q[1])) + text
        self.keys.hint.setText(text)

    def render(self, vm: View) -> None:
        q = vm.question
        self._question = (q.number, q.of) if q is not None else None
        self.keys.hint.setVisible(self.inline_instruction(vm))
        kp = vm.keypad
        if kp is None:
            self.keys.hide()
            self._set_tiles(vm)
            return
        self.grid.hide()
        self.keys.show()
        self.keypad.retranslate()
        self.keys.load((vm.state, self._question, q.kind if q is not None else None), kp.max_length,
                       allow_x=kp.allow_x, secret=kp.secret, value=kp.value)
        self.keys.set_expects(self.t(kp.expects) if kp.expects is not None else "")

    def typed_value(self) -> str:
        return self.keypad.value

    def apply_theme(self) -> None:
        super().apply_theme()
        self.keys.apply_theme(self.win.portrait, self.win.scale)

    def wipe(self) -> None:
        self.keys.wipe()
        self.grid.set_choices([])


def _grouped(value: str, *, id_number: bool = False) -> str:
    """Digits in groups (138 0013 8000 reads better than 13800138000); a space keeps the box's height.
    An ID number reads as region, birth date, sequence: 440106 19540315 1232."""
    if not value:
        return " "
    if id_number:
        return " ".join(p for p in (value[:6], value[6:14], value[14:]) if p)
    if value.startswith("1") and len(value) <= 11:  # mobile numbers read 3-4-4 while being typed
        return " ".join(p for p in (value[:3], value[3:7], value[7:]) if p)
    return " ".join(value[i:i + 4] for i in range(0, len(value), 4))


class ReviewScreen(Screen):
    name = "review"

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.box = QWidget()
        self.grid = QGridLayout(self.box)
        self.grid.setContentsMargins(0, 0, 0, 0)
        # Acting for someone: one plain sentence saying who acts for whom (masked names, as on the card).
        self.who = label(role="strong")
        self.who.setObjectName("PersonName")
        self.who.hide()
        self.body.addWidget(self.who)
        self.body.addWidget(self.box)
        self.body.addStretch(1)
        self._labels: list[QLabel] = []

    def render(self, vm: View) -> None:
        discard_labels(self.grid, self._labels)
        summary = vm.summary
        who = summary.who if summary is not None else None
        if who is not None:
            self.who.setText(self.t(who))
            self.who.show()
        else:
            self.who.clear()
            self.who.hide()
        t = current_theme()
        self.grid.setHorizontalSpacing(t.gap_px)
        self.grid.setVerticalSpacing(t.gap_px // 2)
        services = summary.services if summary is not None else None
        helper = summary.helper if summary is not None else None
        helped_by = phrase("journey.views.helped_by")
        rows = [(self.t(k), self.t(services) if i == 0 and isinstance(services, Message) else
                 self.t(helper) if k == helped_by and isinstance(helper, Message) else
                 self.t(v) if isinstance(v, Message) else v)
                for i, (k, v) in enumerate(vm.rows)]
        people = {1, 2} if who is not None else {1}
        pairs_per_row = 2 if not self.win.portrait and len(rows) > 4 else 1
        r = col = 0
        for i, (name, value) in enumerate(rows):
            k = label(self.t(phrase("ui.details.row_label", label=name)), role="muted", wrap=False)
            v = label(value, role="body")
            # A person's name stays as on the card (Chinese) in either language.
            v.setObjectName("PersonName" if i in people or name == self.t(helped_by) else "ReviewValue")
            if i in people or i < 2 or pairs_per_row == 1:
                self.grid.addWidget(k, r, 0, Qt.AlignmentFlag.AlignTop)
                self.grid.addWidget(v, r, 1, 1, 3)
                r += 1
            else:
                self.grid.addWidget(k, r, col * 2, Qt.AlignmentFlag.AlignTop)
                self.grid.addWidget(v, r, col * 2 + 1)
                col += 1
                if col == pairs_per_row:
                    col = 0
                    r += 1
            self._labels += [k, v]
        for c in range(4):
            self.grid.setColumnStretch(c, 1 if c % 2 else 0)

    def spoken_extra(self, vm: View) -> str:
        rows = "。".join(lab.text() for lab in self._labels)
        return f"{self.who.text()} {rows}" if self.who.text() else rows

    def wipe(self) -> None:
        discard_labels(self.grid, self._labels)
        self.who.clear()
        self.who.hide()


class DoneScreen(Screen):
    name = "done"

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.numbers = label(role="strong")
        self.numbers.setObjectName("ReceiptNumbers")
        self.printed = label(role="body")
        self.countdown = label(role="muted")
        self.body.addWidget(self.numbers)
        self.body.addWidget(self.printed)
        self.body.addWidget(self.countdown)
        self.body.addStretch(1)
        self._deadline = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._tick)

    @property
    def print_state(self) -> str:
        return self.win.journey.view().printed

    @property
    def receipts(self) -> list[Receipt]:
        return list(self.win.journey.view().receipts)

    def enter(self, vm: View) -> None:
        self._deadline = time.monotonic() + self.win.done_seconds
        self._timer.start()
        self.render(vm)

    def render(self, vm: View) -> None:
        lang = self.win.lang
        catalog = self.win.deps.catalog
        self.numbers.setText("\n".join(
            phrase("ui.details.receipt_line", item=catalog.item(r.item_code).name, number=r.number).get(lang)
            for r in self.receipts))
        self.printed.setText(self.t({
            "printing": phrase("ui.details.printing_receipt"),
            "printed": phrase("ui.details.take_printed_receipt_below"),
            "failed": phrase("ui.details.printer_not_working_ask")}
            .get(vm.printed)))
        self._show_countdown()

    def _show_countdown(self) -> None:
        left = max(0, round(self._deadline - time.monotonic()))
        self.countdown.setText(self.t(phrase("ui.details.returning_start_seconds", left=left)))

    def _tick(self) -> None:
        if self.win.current != "done":
            self._timer.stop()
            return
        self._show_countdown()
        if time.monotonic() >= self._deadline:
            self._timer.stop()
            self.win.send(Timeout())

    def wipe(self) -> None:
        self._timer.stop()
        for w in (self.numbers, self.printed, self.countdown):
            w.clear()


class PanelScreen(_TileScreen):
    """The staff and case states (sign-in, staff menu, green channel, paper authorization, batch, difficult case,
    typed ID numbers): rows of masked values, a big number, a keypad or tiles — whatever the view holds."""

    name = "panel"

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.big = label(role="huge", wrap=False)
        self.big.setObjectName("TicketNumber")
        self.big.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sub = label(role="heading")
        self.sub.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.box = QWidget()
        self.rows = QGridLayout(self.box)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.keys = KeypadBox()
        self.keypad = self.keys.keypad
        self.picture = QLabel()  # e.g. a card lifted off the reader ("请取回您的身份证")
        self.picture.setObjectName("Picture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.picture)
        self.body.addWidget(self.big)
        self.body.addWidget(self.sub)
        # The list of people (batch) beside the tiles in landscape, above them in portrait.
        self.content = QWidget()
        self._content = QBoxLayout(QBoxLayout.Direction.TopToBottom, self.content)
        self._content.setContentsMargins(0, 0, 0, 0)
        self._content.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        self._content.addWidget(self.keys, 1)
        self._content.addWidget(self.grid, 1)
        self.body.addWidget(self.content, 1)
        self.body.addStretch(0)  # takes the room when there is only a number to show (kept together above)
        self._labels: list[QLabel] = []

    def inline_instruction(self, vm: View) -> bool:
        return not self.win.portrait and vm.keypad is not None

    def show_instruction(self, text: str, problem: bool) -> None:
        set_role(self.keys.hint, "error" if problem else "body")
        self.keys.hint.setText(text)

    def render(self, vm: View) -> None:
        picture = vm.picture
        if picture:
            from ui.icons import pixmap

            t = current_theme()
            side = min(self.win.width(), self.win.height()) // 3
            self.picture.setPixmap(pixmap(picture, t.palette.text, side))
        self.picture.setVisible(bool(picture))
        self.big.setText(vm.big)
        self.big.setVisible(bool(vm.big))
        lane = vm.ticket.lane_text if vm.ticket is not None else None
        self.sub.setText(self.t(lane) if vm.big else "")
        self.sub.setVisible(bool(self.sub.text()))
        discard_labels(self.rows, self._labels)
        t = current_theme()
        self.rows.setHorizontalSpacing(t.gap_px)
        self.rows.setVerticalSpacing(t.gap_px // 2)
        values = vm.row_values
        for r, (k, v) in enumerate(vm.rows):
            value = self.t(values[r]) if r < len(values) else v
            a = label(self.t(k), role="muted", wrap=True)
            a.setObjectName("PersonName")
            b = label(str(value), role="body")
            b.setObjectName("PersonName")
            self.rows.addWidget(a, r, 0, Qt.AlignmentFlag.AlignTop)
            self.rows.addWidget(b, r, 1)
            self._labels += [a, b]
        self.rows.setColumnStretch(1, 1)
        self.box.setVisible(bool(vm.rows))
        kp = vm.keypad
        self.keys.hint.setVisible(self.inline_instruction(vm))
        if kp is not None:
            self.keys.show()
            self.keypad.retranslate()
            # A refusal (wrong PIN, bad ID number) clears the keys for the next try.
            self.keys.load((vm.state, vm.problem), kp.max_length, allow_x=kp.allow_x,
                           secret=kp.secret, value=kp.value)
            self.keys.set_expects(self.t(kp.expects) if kp.expects is not None else "")
        else:
            self.keys.hide()
            self.keys.wipe()
        self._set_tiles(vm)
        shown = bool(vm.rows or vm.keypad or vm.choices)
        self.content.setVisible(shown)
        self.body.setStretch(self.body.count() - 1, 0 if shown or isinstance(picture, str) else 1)

    def typed_value(self) -> str:
        return self.keypad.value if self.keys.isVisible() else ""

    def apply_theme(self) -> None:
        super().apply_theme()
        self.keys.apply_theme(self.win.portrait, self.win.scale)
        self._content.setSpacing(current_theme().gap_px)
        self._content.setDirection(QBoxLayout.Direction.TopToBottom if self.win.portrait
                                   else QBoxLayout.Direction.LeftToRight)

    def wipe(self) -> None:
        discard_labels(self.rows, self._labels)
        self.keys.wipe()
        self.big.clear()
        self.sub.clear()

