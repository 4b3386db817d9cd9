"""The kiosk window: status strip, step indicator, heading and instruction, the current screen, and the
bar with Back / Home / Read aloud / Call volunteer / Next on every screen. It owns navigation, the session's
life (start, idle, reset and wipe), the language and the text size.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QGridLayout, QStackedWidget, QVBoxLayout, QWidget

from drivers.events import ReaderEvent, ReaderEventKind, ScanEvent
from drivers.printer import ReceiptPrinter
from kiosk.catalog.model import Catalog
from kiosk.config import KioskConfig
from kiosk.identity.record import CardType, IdentityRecord
from kiosk.messages import KioskError, Message
from kiosk.session import EndReason, Session
from sync.status import SyncStatus
from ui.adapters import DeviceBridge, TaskRunner
from ui.i18n import Languages, tr
from ui.idle import IdleOverlay
from ui.journey import step_of
from ui.screens.base import Screen
from ui.status_strip import StatusStrip
from ui.theme import SCALES, theme_for
from ui.voice import Voice
from ui.widgets import BigButton, ChoiceGrid, FlowBar, activity, label, set_current_theme

log = logging.getLogger(__name__)


@dataclass
class Deps:
    """Everything the window works with; built by `ui.app` (demo, kiosk) or by tests."""

    config: KioskConfig
    catalog: Catalog
    runner: TaskRunner
    printer: ReceiptPrinter
    voice: Voice
    bridge: DeviceBridge
    reader: Any = None  # a driver with insert()/remove() in the demo (simulated reader), else None
    verify_code: Any = None  # callable(payload, store) -> kiosk.codes Verdict (run on the worker), or None
    wake_sync: Any = None  # callable() asking the sync worker to deliver now (after a submission)


class KioskWindow(QWidget):
    def __init__(self, deps: Deps, *, width: int = 1920, height: int = 1080, idle_seconds: float | None = None,
                 warning_seconds: float | None = None, done_seconds: float | None = None) -> None:
        super().__init__()
        self.setObjectName("KioskWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.deps = deps
        cfg = deps.config
        self.idle_seconds = idle_seconds if idle_seconds is not None else cfg.timeouts.idle_seconds
        self.done_seconds = done_seconds if done_seconds is not None else cfg.timeouts.done_return_seconds
        self.session: Session | None = None
        self.flow = "business"
        self.history: list[str] = []
        self.current = "home"
        self.health_method: str | None = None
        # Acting for someone (代办): the card of the person acted for, held until an authorization is found.
        self.proxy_principal: IdentityRecord | None = None
        self.proxy_pending = False
        self.prewarmed = False
        self.scale = float(cfg.ui.text_scale)
        self._panel = (width, height)
        app = QApplication.instance()
        self.languages = Languages.of(app)
        self.languages.set(cfg.ui.language)
        self.theme = theme_for(width, height, cfg.ui.panel_diagonal_inches, cfg.ui.dpi, self.scale)
        set_current_theme(self.theme)
        app.setStyleSheet(self.theme.style_sheet())  # type: ignore[union-attr]
        # The kiosk is exactly the panel: layouts must fit it (the tour checks), never grow past the glass.
        self.setFixedSize(width, height)
        self._build()
        self.activity = activity()
        self.activity.touch()
        self.activity.touched.connect(self._on_activity)
        self.overlay = IdleOverlay(self, warning_seconds if warning_seconds is not None
                                   else cfg.timeouts.idle_warning_seconds)
        self.overlay.expired.connect(lambda: self.reset(EndReason.IDLE))
        self.overlay.kept.connect(self._on_activity)
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()
        deps.bridge.reader_event.connect(self._on_reader)
        deps.bridge.scan_event.connect(self._on_scan)
        deps.bridge.sync_status.connect(self.strip.set_status)
        self.apply_theme()
        self.retranslate()
        self.go("home", push=False)

    # --- construction ---------------------------------------------------------------------------------
    def _build(self) -> None:
        from ui.screens.details import DoneScreen, FormScreen, ReviewScreen
        from ui.screens.services import CategoriesScreen, ItemsScreen, MaterialsScreen
        from ui.screens.start import (
            HealthScreen,
            HelpScreen,
            HomeScreen,
            IdentifyScreen,
            ProxyScreen,
            TicketDoneScreen,
            TicketScreen,
        )

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.strip = StatusStrip(self.deps.config.display_name)
        outer.addWidget(self.strip)
        self.page = QWidget()
        self.page.setProperty("role", "page")
        outer.addWidget(self.page, 1)
        col = QVBoxLayout(self.page)
        self._col = col
        header = QGridLayout()
        self._header = header
        self.step_label = label(role="body", wrap=False)
        self.step_label.setObjectName("StepIndicator")
        self.lang_button = BigButton("globe", "", "small", wrap=False)
        self.lang_button.setObjectName("LangButton")
        self.lang_button.setSizePolicy(self.lang_button.sizePolicy().horizontalPolicy().Fixed,
                                       self.lang_button.sizePolicy().verticalPolicy())
        self.lang_button.clicked.connect(self.toggle_language)
        self.scale_button = BigButton("textsize", "", "small", wrap=False)
        self.scale_button.setObjectName("ScaleButton")
        self.scale_button.setSizePolicy(self.lang_button.sizePolicy())
        self.scale_button.clicked.connect(self.cycle_scale)
        col.addLayout(header)
        self.heading = label(role="heading")
        self.heading.setObjectName("Heading")
        self.instruction = label(role="body")
        self.instruction.setObjectName("Instruction")
        self._arrange_header()
        col.addWidget(self.instruction)
        self.stack = _CurrentPageStack()
        self.stack.setObjectName("ScreenStack")
        col.addWidget(self.stack, 1)
        self.back_button = BigButton("back", "", "nav", vertical=True, wrap=False)
        self.home_button = BigButton("home", "", "nav", vertical=True, wrap=False)
        self.read_button = BigButton("speaker", "", "nav", vertical=True, wrap=False)
        self.help_button = BigButton("volunteer", "", "nav", vertical=True, wrap=False)
        self.next_button = BigButton("next", "", "primary", vertical=True, wrap=False)
        for name, b in (("BackButton", self.back_button), ("HomeButton", self.home_button),
                        ("ReadButton", self.read_button), ("HelpButton", self.help_button),
                        ("NextButton", self.next_button)):
            b.setObjectName(name)
        self.back_button.clicked.connect(self.back)
        self.home_button.clicked.connect(lambda: self.reset(EndReason.HOME))
        self.read_button.clicked.connect(self.read_aloud)
        self.help_button.clicked.connect(self.call_volunteer)
        self.next_button.clicked.connect(lambda: self.screens[self.current].on_next())
        self.nav = FlowBar()
        self.nav.setObjectName("NavBar")
        self.nav.set_widgets([self.back_button, self.home_button, self.read_button, self.help_button,
                              self.next_button])
        col.addWidget(self.nav)
        self.screens: dict[str, Screen] = {}
        for cls in (HomeScreen, IdentifyScreen, ProxyScreen, HealthScreen, CategoriesScreen, ItemsScreen,
                    MaterialsScreen, FormScreen, ReviewScreen, DoneScreen, TicketScreen, TicketDoneScreen,
                    HelpScreen):
            screen = cls(self)
            self.screens[screen.name] = screen
            self.stack.addWidget(screen)

    # --- language, text size ------------------------------------------------------------------------
    @property
    def lang(self) -> str:
        return self.languages.current

    def toggle_language(self) -> None:
        self.set_language("en" if self.lang == "zh_CN" else "zh_CN")

    def set_language(self, lang: str) -> None:
        self.languages.set(lang)
        self.retranslate()
        self._say_prompt()

    def retranslate(self) -> None:
        # The button names the language it switches to, written in that language, so anyone can find it.
        self.lang_button.set_text("English" if self.lang == "zh_CN" else "中文")
        nxt = self._next_scale()
        # Says what a tap does: bigger (to 1.25×, 1.5×), or back to normal from the largest size.
        self.scale_button.set_text(tr("Larger text") + f" {self._scale_text(nxt)}" if nxt > self.scale
                                   else tr("Normal text size"))
        self.back_button.set_text(tr("Back"))
        self.home_button.set_text(tr("Home"))
        self.read_button.set_text(tr("Read aloud"))
        self.help_button.set_text(tr("Call a volunteer"))
        self.strip.lang = self.lang
        self.strip.refresh()
        self.overlay.retranslate() if hasattr(self, "overlay") else None
        for s in self.screens.values():
            s.retranslate()
        self._refresh_chrome()

    @staticmethod
    def _scale_text(scale: float) -> str:
        return f"{scale:g}×"

    def _next_scale(self) -> float:
        i = SCALES.index(self.scale) if self.scale in SCALES else 0
        return SCALES[(i + 1) % len(SCALES)]

    def cycle_scale(self) -> None:
        self.set_scale(self._next_scale())

    def set_scale(self, scale: float) -> None:
        self.scale = scale
        self.theme = self.theme.with_scale(scale)
        self.apply_theme()
        self.retranslate()

    def apply_theme(self) -> None:
        set_current_theme(self.theme)
        QApplication.instance().setStyleSheet(self.theme.style_sheet())  # type: ignore[union-attr]
        t = self.theme
        self._col.setContentsMargins(t.margin_px, t.gap_px, t.margin_px, t.margin_px)
        self._col.setSpacing(t.gap_px)
        self._header.setHorizontalSpacing(t.gap_px * 2)
        self._header.setVerticalSpacing(t.gap_px)
        self._arrange_header()
        self.strip.apply_theme()
        for b in self.findChildren(BigButton):
            b.apply_theme(t)
        for b in (self.back_button, self.home_button, self.read_button, self.help_button, self.next_button):
            b.set_vertical(self.portrait)
        if hasattr(self, "overlay"):
            self.overlay.apply_theme()
        for s in self.screens.values():
            s.apply_theme()
        for grid in self.findChildren(ChoiceGrid):
            grid._rebuild()
        self.nav.relayout()

    def _arrange_header(self) -> None:
        """Landscape: heading, step, language and text size share one row (height is scarce there);
        portrait: step and the two controls on a row, the heading full width below."""
        h = self._header
        for w in (self.heading, self.step_label, self.lang_button, self.scale_button):
            h.removeWidget(w)
        for c in range(4):
            h.setColumnStretch(c, 0)
        if self.portrait:
            h.addWidget(self.step_label, 0, 0)
            h.addWidget(self.lang_button, 0, 1)
            h.addWidget(self.scale_button, 0, 2)
            h.addWidget(self.heading, 1, 0, 1, 3)
            h.setColumnStretch(0, 1)
        else:
            h.addWidget(self.heading, 0, 0)
            h.addWidget(self.step_label, 0, 1)
            h.addWidget(self.lang_button, 0, 2)
            h.addWidget(self.scale_button, 0, 3)
            h.setColumnStretch(0, 1)

    def set_panel(self, width: int, height: int) -> None:
        """Lay out for another panel (tour: landscape ↔ portrait)."""
        cfg = self.deps.config.ui
        self._panel = (width, height)
        self.theme = theme_for(width, height, cfg.panel_diagonal_inches, cfg.dpi, self.scale)
        self.setFixedSize(width, height)
        self.apply_theme()
        self.retranslate()

    @property
    def portrait(self) -> bool:
        return self._panel[1] > self._panel[0]

    # --- navigation -----------------------------------------------------------------------------------
    def go(self, name: str, *, push: bool = True) -> None:
        if push and self.current != name:
            self.history.append(self.current)
        self.current = name
        screen = self.screens[name]
        self.stack.setCurrentWidget(screen)
        self.stack.updateGeometry()
        screen.enter()
        self._refresh_chrome()
        self._say_prompt()

    def back(self) -> None:
        if not self.history:
            return
        target = self.history.pop()
        if target == "home":
            self.reset(EndReason.CANCELLED)
            return
        self.current = target
        self.stack.setCurrentWidget(self.screens[target])
        self.stack.updateGeometry()
        self.screens[target].enter()
        self._refresh_chrome()
        self._say_prompt()

    def refresh_chrome(self) -> None:
        self._refresh_chrome()

    def _refresh_chrome(self) -> None:
        screen = self.screens.get(self.current)
        if screen is None:
            return
        step, total = step_of(self.flow, screen.step_name())
        self.step_label.setText(tr("Step %1 of %2").replace("%1", str(step)).replace("%2", str(total)))
        self.heading.setText(screen.title())
        self.instruction.setText(screen.instruction())
        inline = screen.inline_instruction()
        if inline:
            screen.show_instruction(screen.instruction())
        self.instruction.setVisible(not inline)
        action = screen.next_action()
        if action is not None:
            self.next_button.set_text(action[0])
            self.next_button.set_icon(action[1])
        self.nav.set_shown(self.next_button, action is not None)

    # --- session --------------------------------------------------------------------------------------
    def ensure_session(self) -> Session:
        if self.session is None or self.session.ended is not None:
            cfg = self.deps.config
            self.session = Session(idle_seconds=cfg.timeouts.idle_seconds, elderly_age=cfg.elderly_age)
        return self.session

    def start_flow(self, flow: str) -> None:
        self.flow = flow
        self.ensure_session()

    def reset(self, reason: EndReason) -> None:
        """Back to Home with nothing personal left: session ended, screens wiped, clipboard cleared."""
        self.overlay.stop()
        if self.session is not None:
            self.session.end(reason)
        self.session = None
        self.health_method = None
        if self.proxy_principal is not None:
            self.proxy_principal.wipe()
        self.proxy_principal = None
        self.proxy_pending = False
        self.deps.voice.forget()
        for s in self.screens.values():
            s.wipe()
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.clear()
        self.history.clear()
        self.flow = "business"
        self.go("home", push=False)

    def _on_activity(self) -> None:
        if self.session is not None and self.session.ended is None:
            self.session.touch()

    def _on_tick(self) -> None:
        self.strip.refresh()
        if self.overlay.isVisible():
            return
        active = self.session is not None and self.session.ended is None and self.current not in ("home", "done",
                                                                                                "ticket_done")
        if not active:
            return
        import time

        if time.monotonic() - self.activity.last >= self.idle_seconds:
            self.overlay.start()
            self.deps.voice.say(self.overlay.prompt(), self.lang)

    # --- voice, help ----------------------------------------------------------------------------------
    def _say_prompt(self) -> None:
        screen = self.screens.get(self.current)
        if screen is not None and self.deps.voice.enabled:
            self.deps.voice.say(screen.instruction(), self.lang)

    def read_aloud(self) -> None:
        screen = self.screens[self.current]
        text = " ".join(t for t in (screen.title(), screen.instruction(), screen.spoken_extra()) if t)
        self.deps.voice.say(text, self.lang, with_cantonese=True)

    def call_volunteer(self) -> None:
        if self.current != "help":
            if self.current == "home":
                self.flow = "help"
            self.go("help")

    def wake_sync(self) -> None:
        if self.deps.wake_sync is not None:
            self.deps.wake_sync()

    def show_error(self, error: BaseException) -> Message:
        if isinstance(error, KioskError):
            return error.message
        log.error("unexpected error: %s", type(error).__name__)
        return Message("出了点问题，请呼叫志愿者帮助", "Something went wrong. Please call a volunteer.")

    # --- device events --------------------------------------------------------------------------------
    def _on_reader(self, event: ReaderEvent) -> None:
        if event.kind is ReaderEventKind.IDENTITY and event.record is not None:
            self._on_identity(event.record)
        elif event.kind is ReaderEventKind.CARD_REMOVED:
            s = self.session
            # A staff check on the health screen needs the reader for the staff badge: the citizen's card
            # coming off then is expected, not the end of the visit.
            staff_check = self.current == "health" and bool(getattr(self.screens["health"], "waiting_for", None))
            # Acting for someone: the agent takes their own card back to lay down the other person's.
            staff_check = staff_check or (self.current == "proxy" and
                                          getattr(self.screens["proxy"], "stage", "") == "principal")
            if s is not None and s.principal is not None and not staff_check and \
                    self.current not in ("home", "done", "ticket_done", "help"):
                self.reset(EndReason.CARD_REMOVED)
        elif event.kind is ReaderEventKind.ERROR and event.error is not None:
            screen = self.screens[self.current]
            if hasattr(screen, "card_error"):
                screen.card_error(event.error)

    def _on_identity(self, record: IdentityRecord) -> None:
        if record.card_type is CardType.BADGE:
            uid = record.uid or ""
            record.wipe()
            if self.current == "health":
                self._check_badge(uid)
            return
        if self.current == "home":
            self.start_flow("business")
            self.go("identify")
        screen = self.screens[self.current]
        if hasattr(screen, "accept_card"):
            screen.accept_card(record)
        else:
            record.wipe()  # not asked for a card here: keep nothing

    def _check_badge(self, uid: str) -> None:
        """Only badges on the hall's roster (pulled from the hub) may confirm a check; the lookup reads the
        store, so it runs on the worker and the answer comes back to the health screen."""
        from kiosk.roster import Roster

        health = self.screens["health"]

        def refused(exc: BaseException) -> None:
            health._show_error(self.show_error(exc))  # type: ignore[attr-defined]

        self.deps.runner.submit(lambda store: Roster.from_store(store).member_for_badge(uid).as_helper(),
                                health.badge_ok, refused)  # type: ignore[attr-defined]

    def _on_scan(self, event: ScanEvent) -> None:
        name = self.current
        screen = self.screens[name]
        if not hasattr(screen, "accept_verdict"):
            return
        verify = self.deps.verify_code
        if verify is None:
            screen.accept_verdict(None)
            return

        def checked(verdict: Any) -> None:
            if self.current == name:
                screen.accept_verdict(verdict)

        # Verification reads trust data from the store and checks signatures: worker thread.
        self.deps.runner.submit(lambda store: verify(event.payload, store), checked, lambda _e: checked(None))

    def set_sync_status(self, status: SyncStatus) -> None:
        self.strip.set_status(status)

    # --- helpers for screens ----------------------------------------------------------------------------
    def after_identified(self) -> None:
        """Where to go once the applicant is known: health check if required, then services."""
        if self.deps.config.ui.health_check_required and self.health_method is None:
            self.go("health")
            return
        self.go_services()

    def served(self) -> IdentityRecord | None:
        """The person the services are for: the one acted for (代办) once their card is read, else the applicant."""
        if self.proxy_principal is not None:
            return self.proxy_principal
        return self.session.principal if self.session is not None else None

    def served_is_elderly(self) -> bool:
        s = self.ensure_session()
        p = self.served()
        return bool(p is not None and p.birth_date and p.is_elderly(s.today(), s.elderly_age))

    def go_services(self) -> None:
        if self.flow in ("print", "elderly") or self.served_is_elderly():
            self.screens["items"].show_items(category=None)  # type: ignore[attr-defined]
            self.go("items")
        else:
            self.go("categories")

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self, self.prewarm)

    def prewarm(self) -> None:
        """Lay out the hidden screens now at the stack's size (Qt does it only when each is first shown), so
        entering a screen later, e.g. on a card read, costs the GUI thread little."""
        self.layout().activate()
        size = self.stack.size()
        for screen in self.screens.values():
            if screen is not self.stack.currentWidget():
                screen.resize(size)
            if screen.layout() is not None:
                screen.layout().activate()
            for grid in screen.findChildren(ChoiceGrid):
                grid._deferred_rebuild()
        self.prewarmed = True

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        overlay = getattr(self, "overlay", None)  # the first resize comes before the overlay exists
        if overlay is not None and overlay.isVisible():
            overlay.setGeometry(self.rect())


class _CurrentPageStack(QStackedWidget):
    """Asks only for the room the shown screen needs (QStackedWidget asks for the largest of all pages,
    which would squeeze the status strip or the heading for a screen that is not even visible)."""

    def minimumSizeHint(self) -> QSize:
        w = self.currentWidget()
        return w.minimumSizeHint() if w is not None else super().minimumSizeHint()

    def sizeHint(self) -> QSize:
        w = self.currentWidget()
        return w.sizeHint() if w is not None else super().sizeHint()
