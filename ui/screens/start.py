"""First screens: Home menu, Identify (card or e-ID code, or acting for someone), Proxy, Health check,
queue ticket, and Call volunteer."""

from __future__ import annotations

import hashlib
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel

from kiosk import services
from kiosk.identity.record import IdentityRecord
from kiosk.messages import KioskError, Message
from kiosk.session import Helper, HelperRole
from ui import icons
from ui.i18n import tr
from ui.screens.base import Screen
from ui.widgets import Choice, ChoiceGrid, current_theme, label


class HomeScreen(Screen):
    name = "home"

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.grid = ChoiceGrid(columns=2)
        self.grid.chosen.connect(self._chosen)
        self.body.addWidget(self.grid, 1)

    def title(self) -> str:
        return tr("Welcome. What would you like to do?")

    def retranslate(self) -> None:
        self.grid.set_columns(2 if self.win.portrait else 3)
        self.grid.set_choices([
            Choice("business", "business", tr("Apply for a service")),
            Choice("print", "print", tr("Look up and print")),
            Choice("ticket", "ticket", tr("Take a queue number")),
            Choice("elderly", "heart", tr("Seniors' services")),
            Choice("volunteer", "volunteer", tr("Call a volunteer")),
        ])

    def enter(self) -> None:
        self.retranslate()

    def _chosen(self, key: str) -> None:
        w = self.win
        if key == "volunteer":
            w.call_volunteer()
        elif key == "ticket":
            w.start_flow("ticket")
            w.go("ticket")
        else:
            w.start_flow(key if key in ("print", "elderly") else "business")
            w.go("identify")


class IdentifyScreen(Screen):
    name = "identify"

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        row = QHBoxLayout()
        self.card_hint = label(role="body")
        self.code_hint = label(role="body")
        # Pictures of what to do, large: a card on the reader, a code held to the camera.
        self.card_pic = QLabel()
        self.code_pic = QLabel()
        for pic, hint in ((self.card_pic, self.card_hint), (self.code_pic, self.code_hint)):
            pic.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
            row.addWidget(pic, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(hint, 1)
        self.row = row
        self.error = label(role="error")
        self.error.hide()
        self.grid = ChoiceGrid(columns=2)
        self.grid.chosen.connect(self._chosen)
        self.body.addLayout(row)
        self.body.addWidget(self.error)
        self.body.addWidget(self.grid, 1)
        self._error_msg: Message | None = None

    def title(self) -> str:
        return tr("Who is applying?")

    def retranslate(self) -> None:
        self.card_hint.setText("① " + tr("ID card or social security card: lay it flat on the reader below "
                                         "the screen."))
        self.code_hint.setText("② " + tr("Electronic ID code: hold your phone up to the camera."))
        self.grid.set_columns(2 if self.win.portrait else 3)
        self.grid.set_choices([Choice("proxy", "proxy", tr("I am acting for someone else"))])
        t = current_theme()
        size = round(t.icon_px * 2.2)
        self.card_pic.setPixmap(icons.pixmap("card", t.palette.text, size))
        self.code_pic.setPixmap(icons.pixmap("qr", t.palette.text, size))
        self.row.setSpacing(t.gap_px)
        if self._error_msg is not None:
            self.error.setText(self._error_msg.get(self.win.lang))

    def enter(self) -> None:
        self.retranslate()

    def wipe(self) -> None:
        self._error_msg = None
        self.error.clear()
        self.error.hide()

    def _show_error(self, msg: Message) -> None:
        self._error_msg = msg
        self.error.setText(msg.get(self.win.lang))
        self.error.show()
        self.win.deps.voice.say(msg.get(self.win.lang), self.win.lang)

    def card_error(self, error: KioskError) -> None:
        self._show_error(error.message)

    def accept_card(self, record: IdentityRecord) -> None:
        session = self.win.ensure_session()
        today = session.today()
        if record.id_number_valid is False:
            record.wipe()
            self._show_error(Message("证件号码校验不通过，请找工作人员帮助", "The ID number did not pass its check. "
                                                                   "Please ask the staff for help."))
            return
        if record.is_expired(today):
            record.wipe()
            self._show_error(Message("证件已过期，请到人工窗口办理", "This card has expired. Please go to a staffed "
                                                            "counter."))
            return
        session.identify(record)
        self.wipe()
        self.win.after_identified()

    def accept_verdict(self, verdict: Any) -> None:
        """A code shown to the camera, already checked on a worker thread (None: checking unavailable)."""
        if verdict is None:
            self._show_error(Message("暂时无法核验电子证照码，请使用实体证件", "Electronic ID codes cannot be checked "
                                                                   "right now. Please use your card."))
        elif not verdict.ok:
            self._show_error(verdict.message)
        else:
            # The core has no mapping from a verified e-ID code to an identity record yet (asked for).
            self._show_error(Message("码已核验。本机暂不能凭码识别身份，请放身份证",
                                     "The code is genuine, but this kiosk cannot identify you by code yet. "
                                     "Please use your card."))

    def _chosen(self, key: str) -> None:
        if key == "proxy":
            self.win.go("proxy")


class _HelpCalled(Screen):
    """Shared by Proxy and Help: records a help request (worker thread) and says a volunteer is coming."""

    kind_note = "help"

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.status = label(role="big")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = label(role="body")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addStretch(1)
        self.body.addWidget(self.status)
        self.body.addWidget(self.detail)
        self.body.addStretch(1)
        self.request_id: str | None = None
        self._state = "idle"

    def enter(self) -> None:
        w = self.win
        self._state = "calling"
        session = w.session
        kiosk_id = w.deps.config.kiosk_id
        note = {"reason": self.kind_note, "screen": w.history[-1] if w.history else "home"}
        w.deps.runner.submit(lambda store: services.request_help(store, session, kiosk_id, note=note),
                             self._called, self._failed)
        self.retranslate()

    def _called(self, request_id: str) -> None:
        self.request_id = request_id
        self._state = "called"
        self.retranslate()

    def _failed(self, error: BaseException) -> None:
        self._state = "failed"
        self.retranslate()

    def retranslate(self) -> None:
        if self._state == "failed":
            self.status.setText(tr("Please wave to the staff at the service desk."))
        elif self._state == "calling":
            self.status.setText(tr("Calling a volunteer…"))
        else:
            self.status.setText(tr("A volunteer is on the way."))
        self.detail.setText(tr("Touch Back to continue where you were."))

    def wipe(self) -> None:
        self.request_id = None
        self._state = "idle"


class ProxyScreen(_HelpCalled):
    name = "proxy"
    kind_note = "proxy"

    def title(self) -> str:
        return tr("Acting for someone else")


class HelpScreen(_HelpCalled):
    name = "help"

    def title(self) -> str:
        return tr("Call a volunteer")


# Health screen choices → the method the core records (and submits with each transaction).
_HEALTH_METHODS = {"code": "code", "staff_id_check": "id_card_staff", "paper_proof": "paper_proof"}


def helper_from_badge(record: IdentityRecord) -> Helper:
    """The helper who confirmed with their badge. Badges carry only a UID and the kiosk has no badge roster, so it
    cannot tell staff from volunteers: it records the lesser role, under a digest of the UID (not the UID)."""
    digest = hashlib.sha256((record.uid or "").encode("ascii", "replace")).hexdigest()[:16]
    return Helper(helper_id=f"badge-{digest}", role=HelperRole.VOLUNTEER)


class HealthScreen(Screen):
    """The hall asks for a health check: a code at the camera, or a staff member's check of ID or paper proof."""

    name = "health"

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.state = label(role="body")
        self.error = label(role="error")
        self.error.hide()
        self.grid = ChoiceGrid(columns=2)
        self.grid.chosen.connect(self._chosen)
        self.body.addWidget(self.state)
        self.body.addWidget(self.error)
        self.body.addWidget(self.grid, 1)
        self.waiting_for: str | None = None

    def title(self) -> str:
        return tr("Health check")

    def retranslate(self) -> None:
        if self.waiting_for:
            self.state.setText(tr("A staff member or volunteer is coming. They confirm by placing their badge "
                                  "on the reader."))
        else:
            self.state.setText(tr("Hold your health code up to the camera."))
        self.grid.set_columns(2 if self.win.portrait else 3)
        self.grid.set_choices([
            Choice("staff_id_check", "shield", tr("No code: staff check my ID card"),
                   self.waiting_for == "staff_id_check"),
            Choice("paper_proof", "paper", tr("I have a paper proof"), self.waiting_for == "paper_proof"),
        ])

    def enter(self) -> None:
        self.retranslate()

    def wipe(self) -> None:
        self.waiting_for = None
        self.error.clear()
        self.error.hide()

    def _chosen(self, key: str) -> None:
        self.waiting_for = key
        session = self.win.session
        kiosk_id = self.win.deps.config.kiosk_id
        self.win.deps.runner.submit(
            lambda store: services.request_help(store, session, kiosk_id, note={"reason": "health_check",
                                                                                "method": key}))
        self.retranslate()

    def badge_ok(self, helper: Helper) -> None:
        """A staff member or volunteer confirmed the chosen way with their badge."""
        if self.waiting_for:
            self._passed(self.waiting_for, helper)

    def _passed(self, key: str, helper: Helper | None) -> None:
        try:
            self.win.ensure_session().record_health_check(_HEALTH_METHODS[key], helper)
        except KioskError as exc:
            self._show_error(exc.message)
            return
        self.win.health_method = key
        self.wipe()
        self.win.go_services()

    def _show_error(self, msg: Message) -> None:
        self.error.setText(msg.get(self.win.lang))
        self.error.show()
        self.win.deps.voice.say(msg.get(self.win.lang), self.win.lang)

    def accept_verdict(self, verdict: Any) -> None:
        if verdict is not None and verdict.ok:
            self._passed("code", None)
            return
        self._show_error(verdict.message if verdict is not None else Message(
            "这个码无法通过核验，请选择下面的其他方式",
            "This code could not be checked. Please choose another way below."))


class TicketScreen(Screen):
    name = "ticket"

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.grid = ChoiceGrid(columns=2)
        self.grid.chosen.connect(self._chosen)
        self.hint = label(role="body")
        self.body.addWidget(self.hint)
        self.body.addWidget(self.grid, 1)

    def title(self) -> str:
        return tr("Take a queue number")

    def retranslate(self) -> None:
        self.hint.setText(tr("Over 60? Place your ID card on the reader for the priority queue."))
        self.grid.set_columns(2 if self.win.portrait else 3)
        self.grid.set_choices([Choice("take", "ticket", tr("Take a number now"))])

    def enter(self) -> None:
        self.retranslate()

    def accept_card(self, record: IdentityRecord) -> None:
        session = self.win.ensure_session()
        session.identify(record)
        self._take()

    def _chosen(self, key: str) -> None:
        self._take()

    def _take(self) -> None:
        w = self.win
        session = w.ensure_session()
        kiosk_id = w.deps.config.kiosk_id
        w.deps.runner.submit(lambda store: services.take_ticket(store, session, kiosk_id), self._taken,
                             self._failed)

    def _taken(self, ticket: dict[str, Any]) -> None:
        done = self.win.screens["ticket_done"]
        done.show_ticket(ticket)  # type: ignore[attr-defined]
        self.win.go("ticket_done")

    def _failed(self, error: BaseException) -> None:
        self.hint.setText(self.win.show_error(error).get(self.win.lang))


class TicketDoneScreen(Screen):
    name = "ticket_done"

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.number = label(role="big", wrap=False)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.lane = label(role="heading")
        self.lane.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.printed = label(role="body")
        self.printed.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addStretch(1)
        self.body.addWidget(self.number)
        self.body.addWidget(self.lane)
        self.body.addWidget(self.printed)
        self.body.addStretch(1)
        self.ticket: dict[str, Any] | None = None
        self.print_state = ""

    def title(self) -> str:
        return tr("Your queue number")

    def show_ticket(self, ticket: dict[str, Any]) -> None:
        from ui.printing import print_ticket

        self.ticket = ticket
        self.print_state = "printing"
        print_ticket(self.win, ticket, self._printed)
        self.retranslate()

    def _printed(self, ok: bool) -> None:
        self.print_state = "printed" if ok else "failed"
        self.retranslate()

    def retranslate(self) -> None:
        t = self.ticket
        if t is None:
            return
        self.number.setText(t["number"])
        self.lane.setText(tr("Priority queue") if t["lane"] == "priority" else tr("Normal queue"))
        self.printed.setText({"printing": tr("Printing your ticket…"),
                              "printed": tr("Please take your printed ticket."),
                              "failed": tr("The printer is not working. Please remember this number.")}
                             .get(self.print_state, ""))

    def next_action(self) -> tuple[str, str] | None:
        return tr("Finish"), "yes"

    def on_next(self) -> None:
        from kiosk.session import EndReason

        self.win.reset(EndReason.DONE)

    def wipe(self) -> None:
        self.ticket = None
        self.print_state = ""
        for w in (self.number, self.lane, self.printed):
            w.clear()
