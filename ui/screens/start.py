"""First screens: Home menu, Identify (card or e-ID code, or acting for someone), Proxy, Health check,
queue ticket, and Call volunteer."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel

from kiosk import authorizations, services
from kiosk.clock import CHINA_TZ
from kiosk.identity.record import IdentityRecord
from kiosk.messages import KioskError, Message
from kiosk.session import Helper
from ui import icons
from ui.i18n import tr
from ui.prompts import prompts
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
            self.win.screens["proxy"].begin()  # type: ignore[attr-defined]
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


class ProxyScreen(Screen):
    """Acting for someone else (代办): the agent's own card, then the card of the person they act for; once the
    services are chosen, an authorization covering them: one registered at the hall, or a grant code shown to
    the camera. Any problem is said plainly on this screen, with a volunteer one tap away."""

    name = "proxy"

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        row = QHBoxLayout()
        self.pic = QLabel()
        self.pic.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.hint = label(role="body")
        self.hint.setObjectName("ProxyHint")
        row.addWidget(self.pic, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.hint, 1)
        self.row = row
        # Reassurance that the agent's own card was read (masked name; a name stays as on the card).
        self.read_ok = label(role="done")
        self.read_ok.setObjectName("PersonName")
        self.read_ok.hide()
        self.error = label(role="error")
        self.error.hide()
        self.grid = ChoiceGrid(columns=2)
        self.grid.chosen.connect(self._chosen)
        self.body.addWidget(self.read_ok)
        self.body.addLayout(row)
        self.body.addWidget(self.error)
        self.body.addWidget(self.grid, 1)
        self.stage = "agent"  # agent | principal | checking | code
        self._problem: Message | None = None

    # --- texts ----------------------------------------------------------------------------------------
    def title(self) -> str:
        return tr("Acting for someone")  # short: one line beside the header buttons, even at 1.5×

    def step_name(self) -> str:
        # The authorization is checked once the services are chosen: still the choosing step.
        return "items" if self.stage in ("checking", "code") else self.name

    def instruction(self) -> str:
        key = {"agent": "proxy", "principal": "proxy_principal", "checking": "proxy_checking",
               "code": "proxy_code"}[self.stage]
        return prompts()[key]

    def retranslate(self) -> None:
        w = self.win
        if self.stage == "agent":
            self.hint.setText("① " + tr("First your own ID card: lay it flat on the reader below the screen."))
        elif self.stage == "principal":
            self.hint.setText("② " + tr("Now take your card back and lay the ID card of the person you act for "
                                        "on the reader."))
        elif self.stage == "checking":
            self.hint.setText(tr("Checking the authorization…"))
        else:
            self.hint.setText(tr("No authorization is registered for you two. An authorization code from the "
                                 "service desk also works."))
        agent = w.session.principal if w.session is not None else None
        if self.stage == "principal" and agent is not None:
            self.read_ok.setText("✓ " + tr("Your card has been read: %1").replace("%1", agent.display_name))
            self.read_ok.show()
        else:
            self.read_ok.clear()
            self.read_ok.hide()
        t = current_theme()
        size = round(t.icon_px * 2.2)
        self.pic.setPixmap(icons.pixmap("qr" if self.stage == "code" else "card", t.palette.text, size))
        self.row.setSpacing(t.gap_px)
        if self._problem is not None:
            self.error.setText(self._problem.get(w.lang))
        self.grid.set_columns(2 if w.portrait else 3)
        self.grid.set_choices([Choice("volunteer", "volunteer", tr("Call a volunteer to help me"))]
                              if self._problem is not None or self.stage == "code" else [])

    def enter(self) -> None:
        self.retranslate()

    def wipe(self) -> None:
        self.stage = "agent"
        self._problem = None
        self.error.clear()
        self.error.hide()
        self.hint.clear()
        self.read_ok.clear()
        self.read_ok.hide()
        self.grid.set_choices([])

    # --- what happens -----------------------------------------------------------------------------------
    def begin(self) -> None:
        """From Identify: start with the agent's own card."""
        self.stage = "agent"
        self._clear_problem()
        self.win.proxy_pending = True

    def _clear_problem(self) -> None:
        self._problem = None
        self.error.clear()
        self.error.hide()

    def _show_problem(self, msg: Message) -> None:
        self._problem = msg
        self.error.setText(msg.get(self.win.lang))
        self.error.show()
        self.retranslate()
        self.win.refresh_chrome()
        self.win.deps.voice.say(msg.get(self.win.lang), self.win.lang)

    def _set_stage(self, stage: str) -> None:
        self.stage = stage
        self.retranslate()
        self.win.refresh_chrome()
        if self.win.deps.voice.enabled:
            self.win.deps.voice.say(self.instruction(), self.win.lang)

    def card_error(self, error: KioskError) -> None:
        self._show_problem(error.message)

    def accept_card(self, record: IdentityRecord) -> None:
        w = self.win
        session = w.ensure_session()
        problem = _card_problem(record, session.today())
        if problem is not None:
            record.wipe()
            self._show_problem(problem)
            return
        self._clear_problem()
        if self.stage == "agent":
            session.identify(record)  # the agent is the one at the kiosk
            self._set_stage("principal")
        elif self.stage == "principal":
            agent = session.principal
            if agent is not None and agent.id_number and agent.id_number.upper() == (record.id_number or "").upper():
                record.wipe()
                self._show_problem(Message("这是您本人的证件。请放被代办人的身份证",
                                           "This is your own card. Please place the ID card of the person you "
                                           "act for."))
                return
            if w.proxy_principal is not None:
                w.proxy_principal.wipe()
            w.proxy_principal = record
            self.stage = "agent"
            w.after_identified()
        else:
            record.wipe()  # an authorization is awaited here, not a card

    def check_authorization(self) -> None:
        """Services chosen: look for a registered authorization covering them (worker thread)."""
        w = self.win
        session = w.ensure_session()
        principal, agent = w.proxy_principal, session.principal
        if principal is None or agent is None:
            return
        self._clear_problem()
        self.stage = "checking"
        if w.current != "proxy":
            w.go("proxy")
        else:
            self.retranslate()
            w.refresh_chrome()
        items = list(session.selected_items)
        day = session.today()
        p_id, a_id = principal.id_number or "", agent.id_number or ""
        w.deps.runner.submit(lambda store: authorizations.find_registered(store, p_id, a_id, items, day),
                             self._registered, self._check_failed)

    def _registered(self, auth: authorizations.Authorization | None) -> None:
        if self.win.current != "proxy" or self.stage != "checking":
            return
        if auth is None:
            self._set_stage("code")
            return
        self._authorized(auth)

    def _check_failed(self, error: BaseException) -> None:
        self.stage = "code"
        self._show_problem(self.win.show_error(error))

    def accept_verdict(self, verdict: Any) -> None:
        """A code shown to the camera while an authorization is awaited (checked on the worker thread)."""
        w = self.win
        session = w.session
        if self.stage != "code" or session is None or w.proxy_principal is None or session.principal is None:
            return
        if verdict is None:
            self._show_problem(Message("暂时无法核验授权码，请呼叫志愿者", "Authorization codes cannot be checked "
                                                                "right now. Please call a volunteer."))
            return
        if not verdict.ok:
            # The verdict's own words speak of ID cards and counters; here the question is the authorization.
            self._show_problem(Message("这个码不能作为代办授权码使用（可能不是授权码，或已过期）。可以呼叫志愿者帮忙。",
                                       "This code cannot be used as an authorization code (it may be another "
                                       "kind of code, or expired). A volunteer can help."))
            return
        until = verdict.expires_at.astimezone(CHINA_TZ).date() if verdict.expires_at else session.today()
        try:
            auth = authorizations.from_grant_claims(verdict.claims or {}, w.proxy_principal.id_number or "",
                                                    session.principal.id_number or "",
                                                    list(session.selected_items), until)
        except KioskError as exc:
            self._show_problem(exc.message)
            return
        self._authorized(auth)

    def _authorized(self, auth: authorizations.Authorization) -> None:
        w = self.win
        session = w.ensure_session()
        principal = w.proxy_principal
        if principal is None:
            return
        items = list(session.selected_items)
        session.start_proxy(principal, auth.id)
        session.select_items(items)
        w.proxy_principal = None  # the session holds it now (and wipes it at the end)
        w.proxy_pending = False
        kiosk_id = w.deps.config.kiosk_id
        session_id = session.id
        w.deps.runner.submit(lambda store: authorizations.record_use(store, auth, kiosk_id, session_id))
        self.stage = "agent"
        self._clear_problem()
        w.screens["materials"].start()  # type: ignore[attr-defined]
        w.go("materials")

    def _chosen(self, key: str) -> None:
        if key == "volunteer":
            self.win.call_volunteer()


def _card_problem(record: IdentityRecord, today: Any) -> Message | None:
    if record.id_number_valid is False:
        return Message("证件号码校验不通过，请找工作人员帮助", "The ID number did not pass its check. Please ask the "
                                                     "staff for help.")
    if record.is_expired(today):
        return Message("证件已过期，请到人工窗口办理", "This card has expired. Please go to a staffed counter.")
    return None


class HelpScreen(_HelpCalled):
    name = "help"

    def title(self) -> str:
        return tr("Call a volunteer")


# Health screen choices → the method the core records (and submits with each transaction).
_HEALTH_METHODS = {"code": "code", "staff_id_check": "id_card_staff", "paper_proof": "paper_proof"}


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
