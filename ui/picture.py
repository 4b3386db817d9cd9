"""Drawn pictures (SVG files in ui/pictures/, coloured from the theme) and a widget that shows one as large as its
place allows, keeping its proportions (the home screen's card on the reader)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, QSize
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.theme import Palette

_DIR = Path(__file__).with_name("pictures")


@lru_cache(maxsize=16)
def _source(name: str) -> str:
    return (_DIR / f"{name}.svg").read_text(encoding="utf-8")


def svg(name: str, palette: Palette) -> bytes:
    """The picture `name` in the theme's colours (lines in the text colour, the card in the primary colour)."""
    text = _source(name)
    for token, colour in (("CARD_TEXT", palette.primary_text), ("CARD", palette.primary_bg),
                          ("PLATE", palette.secondary_bg), ("TEXT", palette.text)):
        text = text.replace(f'"{token}"', f'"{colour}"')
    return text.encode("utf-8")


class Picture(QWidget):
    """One drawn picture, centred and scaled to the widget (it asks for no size: it fills what it is given)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self._renderer = QSvgRenderer(self)
        self.name = ""

    def show_picture(self, name: str, palette: Palette) -> None:
        self.name = name
        self._renderer.load(QByteArray(svg(name, palette)))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(0, 0)

    def drawn_rect(self) -> QRectF:
        """Where the picture is drawn inside the widget (its proportions kept)."""
        box = self._renderer.viewBoxF()
        if box.isEmpty() or self.width() <= 0 or self.height() <= 0:
            return QRectF()
        scale = min(self.width() / box.width(), self.height() / box.height())
        w, h = box.width() * scale, box.height() * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._renderer.isValid():
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._renderer.render(painter, self.drawn_rect())
        painter.end()
