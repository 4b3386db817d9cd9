"""First screens: Home menu, Identify (card), Proxy (the agent's card, then the other person's, then the
authorization), Health check, queue ticket, and Call volunteer. Each renders its state's view model."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.journey import Tap
from kiosk.journey.view import View
from kiosk.locale import phrase
from kiosk.messages import BLANK, Message
from ui import icons
from ui.picture import Picture
from ui.screens.base import Screen
from ui.widgets import ChoiceGrid, current_theme, label, set_role


class _TileScreen(Screen):
    """A screen whose content is a grid of the view's choices (tapping one sends `Tap(key)`)."""

    portrait_columns = 2
    landscape_columns = 3

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.grid = ChoiceGrid(columns=2)
        self.grid.chosen.connect(lambda key: self.win.send(Tap(key)))

    def _set_tiles(self, vm: View, icons_map: dict[str, str] | None = None) -> None:
        self.grid.set_columns(self.portrait_columns if self.win.portrait else self.landscape_columns)
        self.grid.set_choices(self.choices(vm, icons_map), keep_page=True)
        self.grid.setVisible(bool(vm.choices))

    def enter(self, vm: View) -> None:
        self.grid.page = 0
        self.render(vm)


class HomeScreen(_TileScreen):
    """The choices, and a large picture of where to lay the card (the quickest way in): beside the tiles in
    landscape, under them in portrait. It takes only the room the tiles leave: every tile stays on the first page
    (where that leaves too little, there is no picture and the prompt still says where the card goes)."""

    name = "home"
    landscape_columns = 3  # as many columns as keep every tile on the first page, up to three

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.picture = Picture()
        self.picture.setObjectName("CardPicture")
        self.caption = label(role="strong")
        self.caption.setObjectName("CardPictureCaption")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.side = QWidget()  # the picture and its words
        col = self._side_col = QVBoxLayout(self.side)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.picture, 1)
        col.addWidget(self.caption, 0)
        self.row = QHBoxLayout()
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.addWidget(self.grid, 3)
        self.body.addLayout(self.row, 1)
        self._portrait: bool | None = None
        self._wanted = False  # the view has a picture to show (the reader works)

    def render(self, vm: View) -> None:
        self._place_picture()
        self._set_tiles(vm)
        caption = vm.picture_caption
        name = vm.picture
        shown = self._wanted = bool(name) and caption is not None
        if shown:
            self.picture.show_picture(str(name), current_theme().palette)
            self.caption.setText(self.t(caption) if isinstance(caption, Message) else "")
        self.side.setVisible(shown)
        self._fit()

    def _place_picture(self) -> None:
        """Beside the tiles (landscape) or under them (portrait)."""
        portrait = self.win.portrait
        if portrait == self._portrait:
            return
        self._portrait = portrait
        self.row.removeWidget(self.side)
        self.body.removeWidget(self.side)
        if portrait:
            self.body.addWidget(self.side, 0)
        else:
            self.row.addWidget(self.side, 2)

    def _fit(self) -> None:
        """Portrait: the picture gets the height below the tiles once every tile has its place (or none)."""
        if not self._wanted or self.height() <= 0 or self.width() <= 0:
            self.side.setVisible(self._wanted)
            return
        if not self.win.portrait:  # beside the tiles, when they all still fit there (else the tiles come first)
            self.side.setMinimumHeight(0)
            self.side.setMaximumHeight(16777215)
            beside = (self.width() - self.row.spacing()) * 3 // 5
            self.side.setVisible(self.grid.fits_on_one_page(beside, self.height()))
            return
        t = current_theme()
        need = self.grid.height_for_all(self.width())
        free = self.height() - need - t.gap_px
        words = self.caption.heightForWidth(self.width()) if self.caption.text() else 0
        if free < words + 3 * t.icon_px:  # too little room for a picture worth the name: the tiles come first
            self.side.setVisible(False)
            return
        self.side.setFixedHeight(free)
        self.side.setVisible(True)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit()

    def apply_theme(self) -> None:
        super().apply_theme()
        self._side_col.setSpacing(current_theme().gap_px // 2)
        self.row.setSpacing(current_theme().gap_px * 2)
        if self.picture.name:
            self.picture.show_picture(self.picture.name, current_theme().palette)


class _PictureRow:
    """A large picture of what to do (a card on the reader, a code at the camera) beside its words."""

    def __init__(self, screen: Screen) -> None:
        self.row = QHBoxLayout()
        self.pic = QLabel()
        self.pic.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.hint = label(role="body")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)  # beside the picture's top
        self.row.addWidget(self.pic, 0, Qt.AlignmentFlag.AlignTop)
        self.row.addWidget(self.hint, 1)

    def show(self, icon: str, text: str) -> None:
        """The picture `icon` beside `text`; no picture for an empty `icon`."""
        t = current_theme()
        self.pic.setVisible(bool(icon))
        if icon:
            self.pic.setPixmap(icons.pixmap(icon, t.palette.text, round(t.icon_px * 2.2)))
        self.row.setSpacing(t.gap_px)
        self.hint.setText(text)
        self.hint.setVisible(bool(text))


class IdentifyScreen(_TileScreen):
    name = "identify"

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.card = _PictureRow(self)
        self.body.addLayout(self.card.row)
        self.body.addWidget(self.grid, 1)

    def render(self, vm: View) -> None:
        if vm.cards is not None and not vm.cards.card_readable:  # the prompt says why, and what works instead
            self.card.show("", "")
        else:
            self.card.show("card", self.t(phrase("ui.start.id_card_social_security")))
        self._set_tiles(vm)


class ProxyScreen(_TileScreen):
    """Acting for someone else (代办): the agent's card, then the other person's (or the typed ID number), then
    an authorization covering the chosen services. Problems are said plainly, with a volunteer one tap away."""

    name = "proxy"
    _STAGES: ClassVar[dict[str, str]] = {"proxy_agent": "agent", "proxy_principal": "principal",
                                         "proxy_checking": "checking", "proxy_code": "code"}

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.read_ok = label(role="done")
        self.read_ok.setObjectName("PersonName")  # a name stays as on the card (Chinese) in either language
        self.read_ok.hide()
        self.card = _PictureRow(self)
        self.card.hint.setObjectName("ProxyHint")
        self.body.addWidget(self.read_ok)
        self.body.addLayout(self.card.row)
        self.body.addWidget(self.grid, 1)

    @property
    def stage(self) -> str:
        return self._STAGES.get(self.win.journey.state.value, "agent")

    def render(self, vm: View) -> None:
        hint = {
            "proxy_agent": phrase("ui.start.first_own_id_card"),
            "proxy_principal": phrase("ui.start.now_take_card_back"),
            "proxy_checking": phrase("ui.start.checking_authorization"),
            "proxy_code": phrase("ui.start.no_authorization_registered_you"),
        }.get(vm.state, BLANK)
        cards = vm.cards
        unreadable = vm.state == "proxy_code" and cards is not None and cards.code_readable is False
        if unreadable:  # no code can be read here: neither the code's picture nor a word about showing one
            hint = phrase("ui.start.hint.no_authorization_registered_you")
        no_card = cards is not None and not cards.card_readable and vm.state in ("proxy_agent", "proxy_principal")
        if no_card:  # the reader was lost: the prompt says why and what works instead
            self.card.show("", "")
        else:
            self.card.show("" if unreadable else "qr" if vm.state == "proxy_code" else "card", self.t(hint))
        agent = cards.agent_name if cards is not None else None
        other = cards.principal_name if cards is not None else None
        if agent:
            read = phrase("ui.start.read.card_has_been_read", agent=agent)
            lines = ["✓ " + self.t(read)]
            if other:  # the second card too: the person acted for
                lines.append("✓ " + self.t(phrase("ui.start.other_persons_card", other=other)))
            self.read_ok.setText("\n".join(lines))
            self.read_ok.show()
        else:
            self.read_ok.clear()
            self.read_ok.hide()
        self._set_tiles(vm)

    def wipe(self) -> None:
        self.read_ok.clear()
        self.read_ok.hide()


class HealthScreen(_TileScreen):
    """The hall asks for a health check: a code at the camera, or a staff member's check of ID or paper proof."""

    name = "health"

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.body.addWidget(self.grid, 1)

    @property
    def waiting_for(self) -> str | None:
        """The way of confirming chosen (staff check or paper), as the view marks it."""
        return next((c.key for c in self.win.journey.view().choices if c.selected), None)

    def render(self, vm: View) -> None:
        self._set_tiles(vm)


class TicketScreen(_TileScreen):
    name = "ticket"

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.body.addWidget(self.grid, 1)

    def render(self, vm: View) -> None:
        self._set_tiles(vm)


class TicketDoneScreen(Screen):
    """The number, very large (larger still for the priority lane), its lane, and whether it printed."""

    name = "ticket_done"

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.number = label(role="big", wrap=False)
        self.number.setObjectName("TicketNumber")
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

    @property
    def print_state(self) -> str:
        return self.win.journey.view().printed

    def render(self, vm: View) -> None:
        self.number.setText(vm.big)
        set_role(self.number, "huge" if vm.ticket is not None and vm.ticket.lane == "priority" else "big")
        lane = vm.ticket.lane_text if vm.ticket is not None else None
        self.lane.setText(self.t(lane) if isinstance(lane, Message) else "")
        self.printed.setText(self.t({
            "printing": phrase("ui.start.printing_ticket"),
            "printed": phrase("ui.start.take_printed_ticket"),
            "failed": phrase("ui.start.printer_not_working_remember")}.get(vm.printed)))

    def wipe(self) -> None:
        for w in (self.number, self.lane, self.printed):
            w.clear()


class HelpScreen(Screen):
    """Calling a volunteer: what is true now (calling, where the desk is, who claimed it, or offline)."""

    name = "help"

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.status = label(role="big")
        self.status.setObjectName("HelpStatus")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = label(role="body")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addStretch(1)
        self.body.addWidget(self.status)
        self.body.addWidget(self.detail)
        self.body.addStretch(1)

    def inline_instruction(self, vm: View) -> bool:
        return True  # the status below is the instruction, in big type

    def render(self, vm: View) -> None:
        status = vm.calling.status if vm.calling is not None else None
        detail = vm.calling.detail if vm.calling is not None else None
        words = self.t(status) if isinstance(status, Message) else ""
        set_role(self.status, "big" if len(words) <= 40 else "heading")  # a long sentence in heading type
        self.status.setText(words)
        text = self.t(detail) if isinstance(detail, Message) else ""
        self.detail.setText(text)
        self.detail.setVisible(bool(text))
