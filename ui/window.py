"""The kiosk window: status strip, banner, step indicator, heading and instruction, the current screen, and the
bar with Back / Home / Read aloud / Call volunteer / 这件事我办不了 / Next. It holds no journey rule: device
events and taps go to the journey (`kiosk.journey`), its effects run on the worker, and the current state's view
model is rendered. The window keeps only what is the front end's: language, text size, voice, idle overlay.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QGridLayout, QStackedWidget, QVBoxLayout, QWidget

from drivers.events import ReaderEvent, ReaderEventKind, ScanEvent
from kiosk.identity.record import CardType
from kiosk.journey import (
    Back,
    Badge,
    CallHelp,
    CardError,
    CardInserted,
    CardRemoved,
    CodeScanned,
    DeviceStatus,
    Difficult,
    Event,
    GreenChannel,
    Home,
    Idle,
    Journey,
    JourneySettings,
    Next,
    SignOut,
    View,
)
from kiosk.journey.work import WorkContext
from kiosk.linebreak import catalog_words
from kiosk.locale import phrase
from kiosk.messages import KioskError, Message
from kiosk.session import Session
from sync.status import SteadyNetwork, SyncStatus
from ui.host import Deps
from ui.i18n import Languages, ui_text
from ui.idle import IdleOverlay
from ui.journey import EffectRunner
from ui.screens.base import Screen
from ui.status_strip import StatusStrip
from ui.theme import SCALES, theme_for
from ui.widgets import (
    BigButton,
    ChoiceGrid,
    FlowBar,
    activity,
    label,
    set_current_theme,
    set_role,
    set_role_kind,
    set_words,
)

log = logging.getLogger(__name__)


class KioskWindow(QWidget):
    def __init__(self, deps: Deps, *, width: int = 1920, height: int = 1080, idle_seconds: float | None = None,
                 warning_seconds: float | None = None, done_seconds: float | None = None) -> None:
        super().__init__()
        self.setObjectName("KioskWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.deps = deps
        set_words(catalog_words(deps.catalog))  # no line breaks inside the catalog's short names
        cfg = deps.config
        self.idle_seconds = idle_seconds if idle_seconds is not None else cfg.timeouts.idle_seconds
        self.done_seconds = done_seconds if done_seconds is not None else cfg.timeouts.done_return_seconds
        self.journey = Journey(deps.catalog, JourneySettings.from_config(cfg))
        from kiosk.tickets import TicketNumbering

        self.effects = EffectRunner(self, WorkContext(cfg.kiosk_id, deps.catalog, deps.verify_code,
                                                      TicketNumbering.from_config(cfg),
                                                      numbering_for=lambda store: TicketNumbering.for_kiosk(cfg,
                                                                                                            store),
                                                      remote_phone=deps.known_phone_remote,
                                                      badge_pin=deps.badge_pin))
        self._shown: tuple[str, str] = ("", "")  # (state, screen) last rendered
        self._said: str = ""
        self._closed = False
        self._long_heading = False
        self.prewarmed = False
        self._prewarm_due = False
        self._warm: set[str] = set()  # screens made and laid out
        self.scale = float(cfg.ui.text_scale)
        self._panel = (width, height)
        app = QApplication.instance()
        self.languages = Languages.of(app)
        self.languages.set(cfg.ui.language)
        self.theme = theme_for(width, height, cfg.ui.panel_diagonal_inches, cfg.ui.dpi, self.scale)
        set_current_theme(self.theme)
        sheet = self.theme.style_sheet()
        if isinstance(app, QApplication) and app.styleSheet() != sheet:  # a new sheet re-polishes every widget
            app.setStyleSheet(sheet)
        # The kiosk is exactly the panel: layouts must fit it (the tour checks), never grow past the glass.
        self.setFixedSize(width, height)
        self._themed = False  # screens made from now on are themed as they are made
        self._build()
        self.activity = activity()
        self.activity.touch()
        self.activity.touched.connect(self._on_activity)
        self._warning_seconds = warning_seconds if warning_seconds is not None else cfg.timeouts.idle_warning_seconds
        self._overlay: IdleOverlay | None = None  # made after the first paint (`prewarm`) or on first use
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()
        deps.bridge.reader_event.connect(self._on_reader)
        deps.bridge.scan_event.connect(self._on_scan)
        self.network = SteadyNetwork()  # one steadied truth for the strip and the journey (help screen)
        deps.bridge.sync_status.connect(self.set_sync_status)
        deps.bridge.device_status.connect(self._on_device_status)
        self.apply_theme()
        self.render()

    # --- construction ---------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.strip = StatusStrip(self.deps.config.display_name)
        outer.addWidget(self.strip)
        self.banner = label(role="banner", wrap=True)
        self.banner.setObjectName("Banner")
        self.banner.hide()
        outer.addWidget(self.banner)
        self.page = QWidget()
        self.page.setProperty("role", "page")
        outer.addWidget(self.page, 1)
        col = QVBoxLayout(self.page)
        self._col = col
        self._build_header(col)
        self.nav = FlowBar()
        self.nav.setObjectName("NavBar")
        self.heading = label(role="heading")
        self.heading.setObjectName("Heading")
        self.instruction = label(role="body")
        self.instruction.setObjectName("Instruction")
        col.addWidget(self.instruction)
        self.stack = _CurrentPageStack()
        self.stack.setObjectName("ScreenStack")
        col.addWidget(self.stack, 1)
        self._build_bar()
        col.addWidget(self.nav)
        self._arrange_header()
        # Only the screen shown first is made before the first paint; the others after it, one per turn of the
        # event loop (`prewarm`), or when first shown (a quicker cold start).
        self.screens = _Screens(self._make_screen, _screen_classes())
        self.screens.make(self.current)

    def _build_header(self, col: QVBoxLayout) -> None:
        """The header row's controls: language and text size (placed by `_arrange_header`)."""
        header = QGridLayout()
        self._header = header
        self.step_label = self.strip.step_label
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

    def _build_bar(self) -> None:
        """The bar's buttons, each sending its intent to the journey."""
        self.back_button = BigButton("back", "", "nav", vertical=True, wrap=False)
        self.home_button = BigButton("home", "", "nav", vertical=True, wrap=False)
        # Landscape: Read aloud sits with the language and text size (the bar keeps one row for the journey's
        # buttons); portrait: in the bar, which has two rows there anyway.
        self.read_button = BigButton("speaker", "", "nav" if self.portrait else "small", vertical=True, wrap=False)
        self.help_button = BigButton("volunteer", "", "nav", vertical=True, wrap=False)
        self.difficult_button = BigButton("todo", "", "nav", vertical=True, wrap=False)
        self.green_button = BigButton("heart", "", "nav", vertical=True, wrap=False)  # staff only (view.green)
        self.signout_button = BigButton("back", "", "nav", vertical=True, wrap=False)
        self.next_button = BigButton("next", "", "primary", vertical=True, wrap=False)
        self._nav = {"BackButton": self.back_button, "HomeButton": self.home_button, "ReadButton": self.read_button,
                     "HelpButton": self.help_button, "DifficultButton": self.difficult_button,
                     "GreenButton": self.green_button,
                     "SignOutButton": self.signout_button, "NextButton": self.next_button}
        for name, b in self._nav.items():
            b.setObjectName(name)
        self.back_button.clicked.connect(lambda: self.send(Back()))
        self.home_button.clicked.connect(lambda: self.send(Home()))
        self.read_button.clicked.connect(self.read_aloud)
        self.help_button.clicked.connect(lambda: self.send(CallHelp()))
        self.difficult_button.clicked.connect(lambda: self.send(Difficult()))
        self.green_button.clicked.connect(lambda: self.send(GreenChannel()))
        self.signout_button.clicked.connect(lambda: self.send(SignOut()))
        self.next_button.clicked.connect(lambda: self.send(Next(self.screens[self.current].typed_value())))

    def _make_screen(self, cls: type[Screen]) -> Screen:
        """A screen made on first use: in the stack, and in the window's theme as if it had been there all along."""
        screen = cls(self)
        self.stack.addWidget(screen)
        if self._themed:
            self._theme_screen(screen)
        return screen

    def _theme_screen(self, screen: Screen) -> None:
        for b in screen.findChildren(BigButton):
            b.apply_theme(self.theme)
        screen.apply_theme()
        for grid in screen.findChildren(ChoiceGrid):
            grid._rebuild()

    # --- the journey -------------------------------------------------------------------------------------
    @property
    def current(self) -> str:
        """The screen showing the current state."""
        return self.journey.screen

    @property
    def session(self) -> Session | None:
        return self.journey.session

    def send(self, event: Event) -> None:
        """Give an event to the journey, run what it asks for, show where it is now."""
        if self._closed:
            return  # a worker's late answer after the window closed: nobody to show it to
        try:
            effects = self.journey.handle(event)
        except KioskError as exc:  # a rule of the core refusing: its plain words on screen
            self.journey.refused(exc.message)
            effects = []
        self.effects.run(effects)
        self.render()

    def render(self) -> None:
        """Show the journey's current state: its screen, the chrome around it, and speak a new prompt."""
        vm = self.journey.view()
        screen = self.screens[vm.screen]
        shown = (vm.state, vm.screen)
        if shown != self._shown:
            left = self._shown[1]
            if left and left != vm.screen:
                self.screens[left].wipe()
            if self.journey.session is None:
                self._forget()
            self._shown = shown
            self.stack.setCurrentWidget(screen)
            self._chrome(vm, screen)  # first: the bar's rows decide the room the screen's tiles get
            self.stack.updateGeometry()
            self._settle(screen)
            screen.enter(vm)
            if self._overlay is not None:
                self._overlay.stop()
        else:
            self._chrome(vm, screen)
            screen.render(vm)
        words = self._instruction_text(vm)
        if words != self._said:
            self._said = words
            if self.deps.voice.enabled and words:
                self.deps.voice.say(words, self.lang)

    def _forget(self) -> None:
        """Nothing of an ended visit stays in the front end: screens wiped, voice queue and clipboard cleared."""
        self.deps.voice.forget()
        for s in self.screens.made():
            s.wipe()
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.clear()

    def _instruction_text(self, vm: View) -> str:
        return (vm.problem or vm.prompt).get(self.lang)

    def _chrome(self, vm: View, screen: Screen) -> None:
        lang = self.lang
        if vm.step is None:
            self.step_label.clear()
            self.step_label.hide()
        else:
            self.step_label.setText(ui_text("ui.window.step", step=vm.step[0], steps=vm.step[1]))
            self.step_label.show()
        heading = screen.heading(vm).get(lang)
        self.heading.setText(heading)
        if not self.portrait:
            self._fit_heading(heading)
        text = self._instruction_text(vm)
        set_role(self.instruction, "error" if vm.problem is not None else "body")
        inline = screen.inline_instruction(vm)
        if inline:
            screen.show_instruction(text, vm.problem is not None)
        self.instruction.setText(text)
        self.instruction.setVisible(not inline and bool(text))
        self.banner.setText(vm.banner.get(lang) if vm.banner is not None else "")
        self.banner.setVisible(vm.banner is not None)
        if vm.next is not None:
            self.next_button.set_text(vm.next.get(lang))
            self.next_button.set_icon(vm.next_icon)
        shown = {self.back_button: vm.back, self.home_button: vm.home, self.help_button: vm.help,
                 self.difficult_button: vm.difficult, self.green_button: vm.green, self.signout_button: vm.sign_out,
                 self.next_button: vm.next is not None and not vm.busy}
        if self.portrait:
            shown[self.read_button] = True
        for b, on in shown.items():
            self.nav.set_shown(b, on)
        self.nav.relayout()  # words change widths (Next → Submit): rows re-planned only when they must

    # --- device events: forwarded -------------------------------------------------------------------------
    def _on_reader(self, event: ReaderEvent) -> None:
        if event.kind is ReaderEventKind.IDENTITY and event.record is not None:
            record = event.record
            if record.card_type is CardType.BADGE:
                uid = record.uid or ""
                record.wipe()
                self.send(Badge(uid))
            else:
                self.send(CardInserted(record))
        elif event.kind is ReaderEventKind.CARD_REMOVED:
            self.send(CardRemoved())
        elif event.kind is ReaderEventKind.ERROR and event.error is not None:
            self.send(CardError(event.error.message))

    def _on_scan(self, event: ScanEvent) -> None:
        self.send(CodeScanned(event.payload))

    def _on_device_status(self, device: str, ok: bool, message: Any) -> None:
        self.send(DeviceStatus(device, ok, message if isinstance(message, Message) else None))

    def set_sync_status(self, status: SyncStatus) -> None:
        """The worker's status, steadied once (`sync.status.SteadyNetwork`), for the strip and the journey."""
        status = self.network.steady(status, time.monotonic())
        self.strip.set_status(status)
        if self.journey.devices.get("network", (None, None))[0] is not status.online:
            self.send(DeviceStatus("network", status.online))

    # --- language, text size ------------------------------------------------------------------------
    @property
    def lang(self) -> str:
        return self.languages.current

    def toggle_language(self) -> None:
        self.set_language("en" if self.lang == "zh_CN" else "zh_CN")

    def set_language(self, lang: str) -> None:
        self.languages.set(lang)
        self.retranslate()

    def retranslate(self) -> None:
        # The button names the language it switches to, written in that language, so anyone can find it.
        self.lang_button.set_text(ui_text("ui.window.other_language"))
        self.scale_button.set_text(self._scale_words())
        self.back_button.set_text(ui_text("ui.window.back"))
        self.home_button.set_text(ui_text("ui.window.home"))
        self.read_button.set_text(ui_text("ui.window.read_aloud"))
        self.help_button.set_text(ui_text("ui.window.call_volunteer"))
        self.difficult_button.set_text(phrase("ui.window.i_cant_do_here").get(self.lang))
        self.green_button.set_text(phrase("ui.window.green_channel").get(self.lang))
        self.signout_button.set_text(phrase("ui.window.sign_out").get(self.lang))
        self.strip.lang = self.lang
        self.strip.refresh()
        if self._overlay is not None:
            self._overlay.retranslate()
        self._said = ""
        vm = self.journey.view()
        screen = self.screens[vm.screen]
        screen.render(vm)
        self._chrome(vm, screen)

    def _scale_words(self) -> str:
        """The size in use now and what a tap does (bigger, or back to normal from the largest size). English at
        the largest size is short: a landscape header row has room for about 16 letters beside a heading."""
        i = SCALES.index(self.scale) if self.scale in SCALES else 0
        return ui_text(("ui.window.text_normal", "ui.window.text_large", "ui.window.text_xl")[i])

    def _next_scale(self) -> float:
        i = SCALES.index(self.scale) if self.scale in SCALES else 0
        return SCALES[(i + 1) % len(SCALES)]

    def cycle_scale(self) -> None:
        self.set_scale(self._next_scale())

    def set_scale(self, scale: float) -> None:
        self.scale = scale
        self.theme = self.theme.with_scale(scale)
        self.apply_theme()

    def apply_theme(self) -> None:
        set_current_theme(self.theme)
        app = QApplication.instance()
        sheet = self.theme.style_sheet()
        if isinstance(app, QApplication) and app.styleSheet() != sheet:  # a new sheet re-polishes every widget
            app.setStyleSheet(sheet)
        t = self.theme
        self._col.setContentsMargins(t.margin_px, t.gap_px, t.margin_px, t.margin_px)
        self._col.setSpacing(t.gap_px)
        self._header.setHorizontalSpacing(t.gap_px * 2)
        self._header.setVerticalSpacing(t.gap_px)
        self._arrange_header()
        self.strip.apply_theme()
        for b in self.findChildren(BigButton):
            b.apply_theme(t)
        for b in self._nav.values():
            b.set_vertical(self.portrait)
        self.read_button.set_vertical(self.portrait)
        if self._overlay is not None:
            self._overlay.apply_theme()
        for s in self.screens.made():
            s.apply_theme()
        for grid in self.findChildren(ChoiceGrid):
            grid._rebuild()
        self._themed = True
        self.retranslate()
        self.nav.relayout()

    def _arrange_header(self) -> None:
        """Landscape: heading, language, text size and Read aloud share one row (height is scarce there) unless
        the heading would wrap beside them; portrait: the controls on a row, the heading full width below,
        Read aloud in the bar."""
        h = self._header
        two_rows = self.portrait or self._long_heading
        for w in (self.heading, self.lang_button, self.scale_button, self.read_button):
            h.removeWidget(w)
        for c in range(4):
            h.setColumnStretch(c, 0)
        kind = "nav" if self.portrait else "small"
        if self.read_button.kind != kind:
            self.read_button.kind = kind
            set_role_kind(self.read_button, kind)
        self.read_button.set_vertical(self.portrait)
        nav = [self.back_button, self.home_button, self.help_button, self.difficult_button, self.green_button,
               self.signout_button, self.next_button]
        if self.portrait:
            nav.insert(2, self.read_button)
        if two_rows:
            h.addWidget(self.lang_button, 0, 1)
            h.addWidget(self.scale_button, 0, 2)
            if not self.portrait:
                h.addWidget(self.read_button, 0, 3)
            h.addWidget(self.heading, 1, 0, 1, 4)
            h.setColumnStretch(0, 1)
        else:
            h.addWidget(self.heading, 0, 0)
            h.addWidget(self.lang_button, 0, 1)
            h.addWidget(self.scale_button, 0, 2)
            h.addWidget(self.read_button, 0, 3)
            h.setColumnStretch(0, 1)
        self.nav.set_widgets(nav)
        # The bottom-right place belongs to the main forward action: when a screen has none it stays empty, so
        # a habitual tap there never lands on another button (e.g. "这件事我办不了" on the phone question).
        self.nav.keep_place(self.next_button, [self.back_button, self.home_button, self.help_button,
                                               self.difficult_button])
        self.read_button.setVisible(True)

    def _fit_heading(self, text: str) -> None:
        """Landscape: give a heading that would wrap beside the controls a row of its own."""
        from PySide6.QtGui import QFontMetrics

        # Their minimum widths (set from their words); `width()` means nothing before the first layout.
        controls = sum(b.minimumWidth() for b in (self.lang_button, self.scale_button, self.read_button))
        room = self._panel[0] - 2 * self.theme.margin_px - controls - 6 * self.theme.gap_px
        font = self.heading.font()
        font.setPixelSize(self.theme.heading_px)
        long = QFontMetrics(font).horizontalAdvance(text) > room
        if long != self._long_heading:
            self._long_heading = long
            self._arrange_header()

    def set_panel(self, width: int, height: int) -> None:
        """Lay out for another panel (tour: landscape ↔ portrait)."""
        cfg = self.deps.config.ui
        self._panel = (width, height)
        self.theme = theme_for(width, height, cfg.panel_diagonal_inches, cfg.dpi, self.scale)
        self.setFixedSize(width, height)
        self.apply_theme()

    @property
    def portrait(self) -> bool:
        return self._panel[1] > self._panel[0]

    # --- idle, voice -----------------------------------------------------------------------------------
    @property
    def overlay(self) -> IdleOverlay:
        """The idle warning ("还需要更多时间吗？"), made on first use, in the window's theme and language."""
        if self._overlay is None:
            overlay = self._overlay = IdleOverlay(self, self._warning_seconds)
            overlay.expired.connect(lambda: self.send(Idle()))
            overlay.kept.connect(self._on_activity)
            overlay.ended.connect(lambda: self.send(Idle()))  # "不用了，结束办理": the visit ends now
            overlay.apply_theme()
            overlay.retranslate()
        return self._overlay

    def _on_activity(self) -> None:
        s = self.journey.session
        if s is not None and s.ended is None:
            s.touch()

    def _on_tick(self) -> None:
        self.strip.refresh()
        if (self._overlay is not None and self._overlay.isVisible()) or not self.journey.times_idle:
            return
        if time.monotonic() - self.activity.last >= self.idle_seconds:
            self.overlay.start()
            self.deps.voice.say(self.overlay.prompt(), self.lang)

    def read_aloud(self) -> None:
        vm = self.journey.view()
        screen = self.screens[vm.screen]
        text = " ".join(t for t in (vm.title.get(self.lang), self._instruction_text(vm), screen.spoken_extra(vm))
                        if t)
        self.deps.voice.say(text, self.lang, with_cantonese=True)

    # --- Qt ---------------------------------------------------------------------------------------------
    def closeEvent(self, event: Any) -> None:
        self._closed = True
        super().closeEvent(event)

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        if not self.prewarmed and not self._prewarm_due:
            # After the first paint, not at show: making and laying out the other screens would delay the home
            # screen. One screen per turn of the event loop: taps and watchdog pings are served in between.
            self._prewarm_due = True
            QTimer.singleShot(0, self, self._prewarm_next)

    def _prewarm_next(self) -> None:
        if not self._closed and self._prewarm_one():
            QTimer.singleShot(0, self, self._prewarm_next)

    def prewarm(self) -> None:
        """Make every screen and lay it out now at the stack's size (Qt does it only when each is first shown),
        so entering a screen later, e.g. on a card read, costs the GUI thread little."""
        while self._prewarm_one():
            pass

    def _prewarm_one(self) -> bool:
        """Make (if needed) and lay out the next screen not yet warm; False once every screen is."""
        from kiosk.journey.states import SCREEN

        name = next((n for n in self.screens if n not in self._warm), None)
        if name is None:
            if self._overlay is None:
                self.overlay.ensurePolished()  # made now, not when a visitor first pauses
                return True
            self.prewarmed = True
            return False
        screen = self.screens[name]
        self._settle(screen)
        if screen is not self.stack.currentWidget() and name in ("categories", "items"):
            # Their tiles built now (lists of services: nobody's data) are reused when a card brings them up.
            first_state = next(state for state, shown in SCREEN.items() if shown == name)
            screen.render(self.journey.preview(first_state))
        for grid in screen.findChildren(ChoiceGrid):
            grid._deferred_rebuild()
        self._warm.add(name)
        return True

    def _settle(self, screen: Screen) -> None:
        """Give `screen` the stack's room now, not at the next layout pass: a screen entered or warmed at a
        stale size lays out its tiles for that size (home paged for one turn after a visit; a tap then missed)."""
        own = self.layout()
        if own is not None:
            own.activate()
        if screen.size() != self.stack.size():
            screen.resize(self.stack.size())
        lay = screen.layout()
        if lay is not None:
            lay.activate()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        overlay = getattr(self, "_overlay", None)  # the first resize comes before the window has its parts
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


def _screen_classes() -> list[type[Screen]]:
    from ui.screens.details import DoneScreen, FormScreen, PanelScreen, ReviewScreen
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

    return [HomeScreen, IdentifyScreen, ProxyScreen, HealthScreen, CategoriesScreen, ItemsScreen, MaterialsScreen,
            FormScreen, ReviewScreen, DoneScreen, TicketScreen, TicketDoneScreen, HelpScreen, PanelScreen]


class _Screens(Mapping[str, Screen]):
    """The window's screens by name, each made on first use (`make`): reading one makes it, iterating names
    every screen; `made()` is the screens that exist (theme and wipe touch only those)."""

    def __init__(self, make: Callable[[type[Screen]], Screen], classes: list[type[Screen]]) -> None:
        self._make = make
        self._classes = {cls.name: cls for cls in classes}
        self._made: dict[str, Screen] = {}

    def make(self, name: str) -> Screen:
        screen = self._made.get(name)
        if screen is None:
            screen = self._made[name] = self._make(self._classes[name])
        return screen

    def __getitem__(self, name: str) -> Screen:
        return self.make(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._classes)

    def __len__(self) -> int:
        return len(self._classes)

    def made(self) -> list[Screen]:
        return list(self._made.values())
