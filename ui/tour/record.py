"""What the tour records of each state besides its picture: every visible button and label as data (screens.json),
for the rules checked from data and for diffs between runs."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt


def screen_data(win: Any) -> dict[str, Any]:
    """Every visible button and label of the window as data: key, words, rectangle, enabled; words, font size,
    colours."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QLabel, QWidget

    from ui.widgets import BigButton

    def rect(w: QWidget) -> list[int]:
        p = w.mapTo(win, QPoint(0, 0))
        return [p.x(), p.y(), w.width(), w.height()]

    def background(w: QWidget) -> str:
        node: QWidget | None = w
        while node is not None:
            if node.autoFillBackground() or node.testAttribute(Qt.WidgetAttribute.WA_StyledBackground) or \
                    node.property("role") == "banner":
                return node.palette().color(node.backgroundRole()).name()
            node = node.parentWidget()
        return win.palette().color(win.backgroundRole()).name()

    buttons = []
    labels = []
    for w in win.findChildren(QWidget):
        if not w.isVisible():
            continue
        if isinstance(w, BigButton):
            key = w.property("choice_key") or w.objectName() or w.label_text()
            buttons.append({"key": key, "text": w.label_text(), "rect": rect(w), "enabled": w.isEnabled()})
        elif isinstance(w, QLabel) and w.text() and not isinstance(w.parentWidget(), BigButton):
            labels.append({"text": w.text(), "font_px": w.font().pixelSize(),
                           "color": w.palette().color(w.foregroundRole()).name(), "background": background(w)})
    return {"buttons": buttons, "labels": labels}
