"""Choosing services: categories, the item list (elderly high-frequency items first for people over the
elderly age; several may be chosen), and per item the materials (waived ones shown as done)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QWidget

from kiosk.journey.view import View
from ui import icons
from ui.screens.base import Screen
from ui.screens.start import _TileScreen
from ui.widgets import current_theme, discard_labels, label

_CATEGORY_ICONS = {"pension": "pension", "medical": "medical", "care": "care", "card": "card", "flower": "flower",
                   "home": "home_cat"}


class CategoriesScreen(_TileScreen):
    name = "categories"

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.whose_label = label(role="strong")  # "是 陈*芳 本人吗？": whose card was read
        self.whose_label.setObjectName("PersonName")
        self.body.addWidget(self.whose_label)
        self.body.addWidget(self.grid, 1)

    def render(self, vm: View) -> None:
        whose = vm.whose.text if vm.whose is not None else None
        self.whose_label.setText(self.t(whose))
        self.whose_label.setVisible(whose is not None)
        self._set_tiles(vm, _CATEGORY_ICONS)

    def wipe(self) -> None:
        self.whose_label.clear()


class ItemsScreen(_TileScreen):
    """Item names are long: one per row in portrait, two in landscape."""

    name = "items"
    portrait_columns = 1
    landscape_columns = 2

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        # One line above the list, there from the start: whose card was read on the left, "已选 N 项" on the
        # right once something is chosen (its room is kept, so choosing never pushes the tiles down).
        self.whose_label = label(role="body", wrap=False)  # one body line: no taller than 已选 N 项 was
        self.whose_label.setObjectName("PersonName")
        self.chosen_label = label(role="body", wrap=False)
        self.chosen_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        line = QWidget()
        row = QHBoxLayout(line)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.whose_label, 1)
        row.addWidget(self.chosen_label, 0)
        self._line = line
        self._line_decided = False
        self.body.addWidget(line)
        self.body.addWidget(self.grid, 1)

    def render(self, vm: View) -> None:
        self._set_tiles(vm)
        chosen, whose = vm.chosen, vm.whose.text if vm.whose is not None else None
        self.whose_label.setText(self.t(whose))
        self.chosen_label.setText(self.t(chosen))
        self.chosen_label.setMinimumHeight(self.chosen_label.fontMetrics().height())
        # Decided once, as the screen is entered, and never changed while it shows: choosing must not move the
        # tiles under the finger (issue 18: "已选 1 项" pushed every item down by a line). Whose card was read
        # is always said where the list begins (a relative with two cards must see which one counts); the English
        # prompt is one line at 1.5x portrait so that the line costs no tile there. Without a name the line only
        # carries "已选 N 项", so it stays away where it would cost a row.
        if not self._line_decided:
            self._line_decided = True
            self._line.setVisible(vm.whose is not None or not self._line_costs_a_row())

    def enter(self, vm: View) -> None:
        self._line_decided = False  # a new entry: decide again for this size, language and text
        super().enter(vm)

    def _line_costs_a_row(self) -> bool:
        g = self.grid
        if g.width() <= 0 or g.height() <= 0:
            return False  # not laid out yet: keep the line (the layout settles with it in place)
        line = self._line.sizeHint().height() + self.body.spacing()
        shown = self._line.isVisible()
        with_line = g.height() if shown else g.height() - line
        without = g.height() + line if shown else g.height()
        return g.capacity_at(g.width(), with_line) < g.capacity_at(g.width(), without)

    def spoken_extra(self, vm: View) -> str:
        return "，".join(c.text.get(self.win.lang) for c in vm.choices if c.selected)

    def wipe(self) -> None:
        self.chosen_label.clear()
        self.whose_label.clear()


class MaterialsScreen(Screen):
    """One chosen item at a time: what it needs, what is already done electronically, where paper goes."""

    name = "materials"

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.item_label = label(role="strong")
        self.item_label.setObjectName("MaterialsItem")
        self.list_box = QWidget()
        self.rows = QGridLayout(self.list_box)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.body.addWidget(self.item_label)
        self.body.addWidget(self.list_box)
        self.body.addStretch(1)
        self._labels: list[QLabel] = []

    def render(self, vm: View) -> None:
        discard_labels(self.rows, self._labels)
        shown = vm.materials
        if shown is None:
            self.item_label.clear()
            return
        self.item_label.setText(self.win.deps.catalog.item(shown.item).name.get(self.win.lang))
        t = current_theme()
        self.rows.setHorizontalSpacing(t.gap_px)
        self.rows.setVerticalSpacing(t.gap_px // 2)
        for r, line in enumerate(shown.lines):
            icon, role = ("check", "done") if line.done else ("todo", "todo")
            text = self.t(line.text)
            pic = QLabel()
            colour = t.palette.done_text if role == "done" else t.palette.todo_text
            pic.setPixmap(icons.pixmap(icon, colour, t.icon_px))
            pic.setFixedSize(t.icon_px, t.icon_px)
            pic.setAlignment(Qt.AlignmentFlag.AlignTop)
            lab = label(text, role=role)
            self.rows.addWidget(pic, r, 0, Qt.AlignmentFlag.AlignTop)
            self.rows.addWidget(lab, r, 1)
            self._labels += [pic, lab]
        self.rows.setColumnStretch(1, 1)

    def spoken_extra(self, vm: View) -> str:
        return " ".join(lab.text() for lab in self._labels if lab.text())

    def wipe(self) -> None:
        discard_labels(self.rows, self._labels)
        self.item_label.clear()
