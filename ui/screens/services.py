"""Choosing services: categories, the item list (elderly high-frequency items first for people over the
elderly age; several may be chosen), and per item the materials (waived ones shown as done)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from kiosk.catalog.model import Item
from ui import icons
from ui.i18n import tr
from ui.journey import print_items
from ui.screens.base import Screen
from ui.widgets import Choice, ChoiceGrid, current_theme, discard_labels, label

_CATEGORY_ICONS = {"pension": "pension", "medical": "medical", "care": "care", "card": "card", "flower": "flower",
                   "home": "home_cat"}


class CategoriesScreen(Screen):
    name = "categories"

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.grid = ChoiceGrid(columns=2)
        self.grid.chosen.connect(self._chosen)
        self.body.addWidget(self.grid, 1)

    def title(self) -> str:
        return tr("What kind of service?")

    def retranslate(self) -> None:
        lang = self.win.lang
        self.grid.set_columns(2 if self.win.portrait else 3)
        self.grid.set_choices([Choice(c.code, _CATEGORY_ICONS.get(c.icon, "folder"), c.name.get(lang))
                               for c in self.win.deps.catalog.categories], keep_page=True)

    def enter(self) -> None:
        self.retranslate()

    def _chosen(self, code: str) -> None:
        items = self.win.screens["items"]
        items.show_items(category=code)  # type: ignore[attr-defined]
        self.win.go("items")


class ItemsScreen(Screen):
    name = "items"

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.chosen_label = label(role="body")
        self.grid = ChoiceGrid(columns=2)
        self.grid.chosen.connect(self._toggle)
        self.body.addWidget(self.chosen_label)
        self.body.addWidget(self.grid, 1)
        self.category: str | None = None
        self.selected: list[str] = []
        self._error = False

    def show_items(self, category: str | None) -> None:
        self.category = category
        self.grid.page = 0

    def items(self) -> list[Item]:
        w = self.win
        session = w.ensure_session()
        elderly = w.served_is_elderly() or w.flow == "elderly"
        agent = session.agent is not None or w.proxy_pending  # an agent is offered only what allows one
        if w.flow == "print":
            return print_items(w.deps.catalog, elderly=elderly, agent=agent)
        return w.deps.catalog.items_for(elderly=elderly, category=self.category, agent=agent)

    def title(self) -> str:
        session = self.win.session
        if self.win.flow == "print":
            return tr("What would you like to print?")
        if self.win.flow == "elderly" or (session is not None and self.win.served_is_elderly()):
            return tr("Services seniors use most")
        return tr("Choose your services")

    def instruction(self) -> str:
        if self._error:
            return tr("Please choose at least one service first.")
        return super().instruction()

    def retranslate(self) -> None:
        lang = self.win.lang
        self.grid.set_columns(1 if self.win.portrait else 2)
        self.grid.set_choices([Choice(i.code, "business", i.name.get(lang), i.code in self.selected)
                               for i in self.items()], keep_page=True)
        n = len(self.selected)
        self.chosen_label.setText(tr("Chosen: %1").replace("%1", str(n)) if n else tr("Nothing chosen yet."))

    def enter(self) -> None:
        self._error = False
        self.retranslate()

    def spoken_extra(self) -> str:
        lang = self.win.lang
        return "，".join(self.win.deps.catalog.item(c).name.get(lang) for c in self.selected)

    def _toggle(self, code: str) -> None:
        if code in self.selected:
            self.selected.remove(code)
        else:
            self.selected.append(code)
            self.win.deps.voice.say(self.win.deps.catalog.item(code).name.get(self.win.lang), self.win.lang)
        self._error = False
        self.retranslate()
        self.win.refresh_chrome()

    def next_action(self) -> tuple[str, str] | None:
        return tr("Next"), "next"

    def on_next(self) -> None:
        if not self.selected:
            self._error = True
            self.win.refresh_chrome()
            self.win.deps.voice.say(self.instruction(), self.win.lang)
            return
        self.win.ensure_session().select_items(self.selected)
        if self.win.proxy_pending:
            self.win.screens["proxy"].check_authorization()  # type: ignore[attr-defined]
            return
        self.win.screens["materials"].start()  # type: ignore[attr-defined]
        self.win.go("materials")

    def wipe(self) -> None:
        self.selected = []
        self.category = None
        self._error = False
        self.grid.set_choices([])
        self.chosen_label.clear()


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
        self.index = 0
        self._labels: list[QLabel] = []

    def start(self) -> None:
        self.index = 0

    def _codes(self) -> list[str]:
        s = self.win.session
        return list(s.selected_items) if s is not None else []

    def title(self) -> str:
        codes = self._codes()
        if len(codes) > 1:
            return tr("Materials (%1 of %2)").replace("%1", str(self.index + 1)).replace("%2", str(len(codes)))
        return tr("Materials")

    def retranslate(self) -> None:
        discard_labels(self.rows, self._labels)
        codes = self._codes()
        if not codes:
            self.item_label.clear()
            return
        lang = self.win.lang
        catalog = self.win.deps.catalog
        item = catalog.item(codes[min(self.index, len(codes) - 1)])
        window = catalog.department(item.department).window.get(lang)
        self.item_label.setText(item.name.get(lang))
        t = current_theme()
        self.rows.setHorizontalSpacing(t.gap_px)
        self.rows.setVerticalSpacing(t.gap_px // 2)
        for r, m in enumerate(item.materials):
            if m.waived_by:
                icon, role = "check", "done"
                text = tr("%1: done, no paper needed (%2)").replace("%1", m.name.get(lang)) \
                    .replace("%2", m.waived_by[0].source.get(lang))
            else:
                icon, role = "todo", "todo"
                text = tr("%1: please hand it in at %2").replace("%1", m.name.get(lang)).replace("%2", window)
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

    def enter(self) -> None:
        self.retranslate()

    def spoken_extra(self) -> str:
        return " ".join(lab.text() for lab in self._labels if lab.text())

    def next_action(self) -> tuple[str, str] | None:
        return tr("Next"), "next"

    def on_next(self) -> None:
        if self.index + 1 < len(self._codes()):
            self.index += 1
            self.retranslate()
            self.win.refresh_chrome()
            self.win.deps.voice.say(self.spoken_extra(), self.win.lang)
            return
        questions = self.win.screens["form"].start()  # type: ignore[attr-defined]
        self.win.go("form" if questions else "review")

    def wipe(self) -> None:
        self.index = 0
        discard_labels(self.rows, self._labels)
        self.item_label.clear()
