"""The one merged form (一张表: each field asked once, card fields pre-filled, only what is missing asked,
digits on a keypad), the review, and the done screen with the printed receipt and the way back home."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk import services
from kiosk.catalog.model import FormField
from kiosk.identity import mask_id_number, mask_phone
from kiosk.session import EndReason
from ui.i18n import tr
from ui.journey import mask_digits, takes_id_number, valid_date, valid_id, valid_phone
from ui.printing import print_doc, receipt_doc
from ui.screens.base import Screen
from ui.widgets import Choice, ChoiceGrid, Keypad, current_theme, discard_labels, label


class FormScreen(Screen):
    name = "form"

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.value_label = label(role="field", wrap=False)
        self.value_label.setObjectName("FormValue")
        self.keypad = Keypad()
        self.keypad.typed.connect(self._typed)
        self.grid = ChoiceGrid(columns=2)
        self.grid.chosen.connect(self._chose)
        # Typing part (value + keypad, pushed to the top) and choosing part (answer tiles): one is shown.
        self.keys_box = QWidget()
        keys = QBoxLayout(QBoxLayout.Direction.TopToBottom, self.keys_box)
        keys.setContentsMargins(0, 0, 0, 0)
        self._keys_layout = keys
        # The typed number, and in landscape the instruction under it (four rows of keys need the height the
        # instruction line would take above the screen).
        self.value_box = QWidget()
        value_col = QVBoxLayout(self.value_box)
        value_col.setContentsMargins(0, 0, 0, 0)
        self._value_col = value_col
        self.hint = label(role="body")
        self.hint.setObjectName("FormHint")
        value_col.addWidget(self.value_label)
        value_col.addWidget(self.hint)
        value_col.addStretch(1)
        keys.addWidget(self.value_box, 0, Qt.AlignmentFlag.AlignTop)
        keys.addWidget(self.keypad, 0, Qt.AlignmentFlag.AlignTop)
        keys.addStretch(1)
        self.value_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.keypad.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.body.addWidget(self.keys_box, 1)
        self.body.addWidget(self.grid, 1)
        self.questions: list[FormField] = []
        self.index = 0
        self.answers: dict[str, str] = {}
        self.error: str | None = None

    def start(self) -> int:
        """Pre-fill from the card, list the questions still open; returns how many there are."""
        session = self.win.ensure_session()
        person = session.principal
        fields = self.win.deps.catalog.merged_fields(list(session.selected_items))
        self.questions = []
        self.answers = {}
        self.index = 0
        self.error = None
        for f in fields:
            if f.from_card:
                value = getattr(person, f.from_card, None) if person is not None else None
                if isinstance(value, dt.date):
                    value = value.isoformat()
                if value:
                    session.set_form_value(f.code, str(value))
                # A card field the card lacks is completed at the counter: citizens never type Chinese here.
                continue
            self.questions.append(f)
        return len(self.questions)

    @property
    def field(self) -> FormField | None:
        return self.questions[self.index] if 0 <= self.index < len(self.questions) else None

    def title(self) -> str:
        f = self.field
        if f is None:
            return tr("Your details")
        label_text = f.label.get(self.win.lang)
        if len(self.questions) > 1 and not self.inline_instruction():
            return tr("%1 (question %2 of %3)").replace("%1", label_text).replace("%2", str(self.index + 1)) \
                .replace("%3", str(len(self.questions)))
        return label_text

    def instruction(self) -> str:
        if self.error:
            return self.error
        f = self.field
        if f is not None and f.kind == "phone":
            return tr("Type your phone number with the number keys.")
        if f is not None and f.kind == "date":
            return tr("Type the date as year, month, day: for example 20261201.")
        if f is not None and takes_id_number(f):
            return tr("Type the ID number with the number keys. If it ends in X, touch X.")
        if f is not None and f.kind == "digits":
            return tr("Type the number with the number keys.")
        return super().instruction()

    def inline_instruction(self) -> bool:
        f = self.field
        return not self.win.portrait and f is not None and f.kind != "choice"

    def show_instruction(self, text: str) -> None:
        # The question count moves here from the heading, which then fits the row beside the header buttons.
        if len(self.questions) > 1:
            text = tr("Question %1 of %2.").replace("%1", str(self.index + 1)) \
                .replace("%2", str(len(self.questions))) + ("" if self.win.lang == "zh_CN" else " ") + text
        self.hint.setText(text)

    def retranslate(self) -> None:
        f = self.field
        self.hint.setVisible(self.inline_instruction())
        if f is None:
            self.keys_box.hide()
            self.grid.hide()
            return
        lang = self.win.lang
        if f.kind == "choice":
            self.keys_box.hide()
            self.grid.show()
            self.grid.set_columns(2 if self.win.portrait else 3)
            chosen = self.answers.get(f.code)
            self.grid.set_choices([Choice(str(i), "yes" if c.zh == chosen else "empty_box", c.get(lang),
                                          c.zh == chosen) for i, c in enumerate(f.choices)], keep_page=True)
        else:
            self.grid.hide()
            self.keys_box.show()
            self.keypad.retranslate()
            self.value_label.setText(_grouped(self.keypad.value, id_number=takes_id_number(f)))

    def apply_theme(self) -> None:
        super().apply_theme()
        t = current_theme()
        self.keypad.apply_theme()
        # Taller keys are easier to hit where the height allows (portrait most); at larger text sizes the keys
        # are already that tall.
        self.keypad.set_key_height((1.4 if self.win.portrait else 1.25) / self.win.scale)
        self._keys_layout.setSpacing(t.gap_px * 2)
        self._value_col.setSpacing(t.gap_px)
        # Landscape: the typed number beside the keypad (height is scarce); portrait: above it.
        self._keys_layout.setDirection(QBoxLayout.Direction.TopToBottom if self.win.portrait
                                       else QBoxLayout.Direction.LeftToRight)
        self._keys_layout.setStretch(0, 0 if self.win.portrait else 2)
        self._keys_layout.setStretch(1, 0 if self.win.portrait else 3)
        # Portrait: the stretch below pushes both to the top; landscape: no gap at the right, the keys get it.
        self._keys_layout.setStretch(2, 1 if self.win.portrait else 0)
        self.value_label.setMinimumHeight(round(t.heading_px * 1.9))

    def enter(self) -> None:
        self._load_field()
        self.retranslate()

    def _load_field(self) -> None:
        f = self.field
        if f is not None and f.kind != "choice":
            self.keypad.reset(f.max_length if f.kind != "date" else 8, allow_x=takes_id_number(f))
            self.keypad.value = self.answers.get(f.code, "")

    def _typed(self, value: str) -> None:
        f = self.field
        self.value_label.setText(_grouped(value, id_number=f is not None and takes_id_number(f)))
        if self.error:
            self.error = None
            self.win.refresh_chrome()

    def _chose(self, key: str) -> None:
        f = self.field
        if f is None:
            return
        choice = f.choices[int(key)]
        self.answers[f.code] = choice.zh  # stored in the catalog's canonical language
        self.error = None
        self.retranslate()
        self.win.refresh_chrome()

    def _check(self, f: FormField, value: str) -> str | None:
        if f.kind == "choice":
            return None if value else tr("Please touch one of the answers.")
        if not value:
            return None if not f.required else tr("Please type the number first.")
        if f.kind == "phone" and not valid_phone(value):
            return tr("This phone number looks incomplete. Please check it.")
        if f.kind == "date" and valid_date(value) is None:
            return tr("This date does not exist. Please type year, month and day, for example 20261201.")
        if takes_id_number(f) and not valid_id(value):
            return tr("This ID number is not right: it has 18 characters. Please check it.")
        if f.kind == "digits" and not (6 <= len(value) <= f.max_length):
            return tr("This number looks too short. Please check it.")
        return None

    def next_action(self) -> tuple[str, str] | None:
        return tr("Next"), "next"

    def on_next(self) -> None:
        f = self.field
        if f is None:
            self.win.go("review")
            return
        value = self.answers.get(f.code, "") if f.kind == "choice" else self.keypad.value
        problem = self._check(f, value)
        if problem:
            self.error = problem
            self.win.refresh_chrome()
            self.win.deps.voice.say(problem, self.win.lang)
            return
        self.answers[f.code] = value
        session = self.win.ensure_session()
        if f.kind == "date":
            day = valid_date(value)
            session.set_form_value(f.code, day.isoformat() if day else value)
        else:
            session.set_form_value(f.code, value)
        if self.index + 1 < len(self.questions):
            self.index += 1
            self._load_field()
            self.retranslate()
            self.win.refresh_chrome()
            self.win.deps.voice.say(self.title(), self.win.lang)
            return
        self.win.go("review")

    def back_within(self) -> bool:
        return False

    def wipe(self) -> None:
        self.questions = []
        self.answers = {}
        self.index = 0
        self.error = None
        self.keypad.reset()
        self.value_label.clear()
        self.hint.clear()
        self.grid.set_choices([])


def _grouped(value: str, *, id_number: bool = False) -> str:
    """Digits in groups of four (138 0013 8000 reads better than 13800138000); a space keeps the box's height.
    An ID number reads as region, birth date, sequence: 440106 19540315 1232."""
    if not value:
        return " "
    if id_number:
        return " ".join(p for p in (value[:6], value[6:14], value[14:]) if p)
    if value.startswith("1") and len(value) <= 11:  # mobile numbers read 3-4-4 while being typed
        return " ".join(p for p in (value[:3], value[3:7], value[7:]) if p)
    return " ".join(value[i:i + 4] for i in range(0, len(value), 4))


def _display_value(f: FormField, value: str, lang: str) -> str:
    if f.kind == "choice":
        return next((c.get(lang) for c in f.choices if c.zh == value), value)
    if f.kind == "phone":
        return mask_phone(value)
    if takes_id_number(f):
        return mask_id_number(value)
    if f.kind == "digits":
        return mask_digits(value)
    return value


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
        self.error: str | None = None
        self.busy = False

    def title(self) -> str:
        return tr("Please check")

    def instruction(self) -> str:
        if self.error:
            return self.error
        if self.busy:
            return tr("Submitting…")
        return super().instruction()

    def _clear(self) -> None:
        discard_labels(self.grid, self._labels)

    def rows(self) -> list[tuple[str, str]]:
        session = self.win.session
        if session is None or session.principal is None:
            return []
        lang = self.win.lang
        catalog = self.win.deps.catalog
        p = session.principal
        out = [(tr("Services"), "、".join(catalog.item(c).name.get(lang) for c in session.selected_items)
                if lang == "zh_CN" else "; ".join(catalog.item(c).name.get(lang) for c in session.selected_items)),
               (tr("Applicant"), f"{p.display_name}  {p.display_id_number}")]
        a = session.agent
        if a is not None:
            # Said plainly who acts for whom (masked, like the applicant).
            out.append((tr("Acting for the applicant"), f"{a.display_name}  {a.display_id_number}"))
        asked = self.win.screens["form"].questions  # type: ignore[attr-defined]
        for f in asked:
            value = session.form_values.get(f.code)
            if value:
                out.append((f.label.get(lang), _display_value(f, str(value), lang)))
        return out

    def retranslate(self) -> None:
        self._clear()
        session = self.win.session
        if session is not None and session.agent is not None and session.principal is not None:
            self.who.setText(tr("%1 is acting for %2.").replace("%1", session.agent.display_name)
                             .replace("%2", session.principal.display_name))
            self.who.show()
        else:
            self.who.clear()
            self.who.hide()
        t = current_theme()
        self.grid.setHorizontalSpacing(t.gap_px)
        self.grid.setVerticalSpacing(t.gap_px // 2)
        rows = self.rows()
        people = {1, 2} if session is not None and session.agent is not None else {1}
        # Landscape has room for two columns of answers after the full-width services and applicant rows.
        pairs_per_row = 2 if not self.win.portrait and len(rows) > 4 else 1
        r = 0
        col = 0
        for i, (name, value) in enumerate(rows):
            k = label(name + tr(":"), role="muted", wrap=False)
            v = label(value, role="body")
            # The applicant's name stays as on the card (Chinese) in either language.
            v.setObjectName("PersonName" if i in people else "ReviewValue")
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

    def enter(self) -> None:
        self.error = None
        self.busy = False
        self.retranslate()

    def spoken_extra(self) -> str:
        rows = "。".join(f"{a} {b}" for a, b in self.rows())
        return f"{self.who.text()} {rows}" if self.who.text() else rows

    def next_action(self) -> tuple[str, str] | None:
        return tr("Submit"), "send"

    def on_next(self) -> None:
        if self.busy:
            return
        w = self.win
        session = w.session
        if session is None:
            return
        self.busy = True
        w.refresh_chrome()
        catalog = w.deps.catalog
        kiosk_id = w.deps.config.kiosk_id
        name, id_text = session.principal.display_name, session.principal.display_id_number  # type: ignore[union-attr]
        w.deps.runner.submit(lambda store: services.submit_items(store, session, catalog, kiosk_id),
                             lambda receipts: self._submitted(receipts, name, id_text), self._failed)

    def _submitted(self, receipts: list[services.Receipt], name: str, id_text: str) -> None:
        self.busy = False
        self.win.wake_sync()
        done = self.win.screens["done"]
        done.show_receipts(receipts, name, id_text)  # type: ignore[attr-defined]
        if self.win.session is not None:
            self.win.session.end(EndReason.DONE)
        self.win.history.clear()
        self.win.go("done")

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.error = self.win.show_error(error).get(self.win.lang)
        self.win.refresh_chrome()

    def wipe(self) -> None:
        self._clear()
        self.who.clear()
        self.who.hide()
        self.error = None
        self.busy = False


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
        self.receipts: list[services.Receipt] = []
        self.print_state = ""
        self._deadline = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._tick)

    def title(self) -> str:
        return tr("Done. Thank you!")

    def show_receipts(self, receipts: list[services.Receipt], name: str, id_text: str) -> None:
        self.receipts = list(receipts)
        self.print_state = "printing"
        doc = receipt_doc(self.win, self.receipts, name, id_text)
        print_doc(self.win, doc, receipts[0].receipt_no if receipts else "receipt", self._printed)

    def _printed(self, ok: bool) -> None:
        if not self.receipts:
            return
        self.print_state = "printed" if ok else "failed"
        self.retranslate()

    def retranslate(self) -> None:
        if not self.receipts:
            return
        lang = self.win.lang
        catalog = self.win.deps.catalog
        self.numbers.setText("\n".join(f"{catalog.item(r.item_code).name.get(lang)}: {r.receipt_no}"
                                       for r in self.receipts))
        self.printed.setText({"printing": tr("Printing your receipt…"),
                              "printed": tr("Please take your printed receipt below the screen."),
                              "failed": tr("The printer is not working. Please ask at the service desk for "
                                           "your receipt.")}.get(self.print_state, ""))
        self._tick()

    def enter(self) -> None:
        self._deadline = time.monotonic() + self.win.done_seconds
        self._timer.start()
        self.retranslate()

    def _tick(self) -> None:
        left = max(0, round(self._deadline - time.monotonic()))
        self.countdown.setText(tr("Returning to the start in %1 seconds").replace("%1", str(left)))
        if self.win.current == "done" and time.monotonic() >= self._deadline and self._timer.isActive():
            self._timer.stop()
            self.win.reset(EndReason.DONE)

    def next_action(self) -> tuple[str, str] | None:
        return tr("Finish"), "yes"

    def on_next(self) -> None:
        self.win.reset(EndReason.DONE)

    def wipe(self) -> None:
        self._timer.stop()
        self.receipts = []
        self.print_state = ""
        for w in (self.numbers, self.printed, self.countdown):
            w.clear()
