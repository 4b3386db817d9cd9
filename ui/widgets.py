"""Kiosk widgets: the big icon+text button, a paged grid of at most six choices, a row-wrapping button bar,
and the on-screen digit keypad. Sizes come from the current `Theme`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.linebreak import Joiner, unjoin
from ui import icons
from ui.i18n import ui_text
from ui.theme import FONT_FAMILY, Theme

MAX_CHOICES = 6
_theme = Theme()


class Activity(QObject):
    """The last time someone touched the kiosk. Every button reports its presses here (everything a citizen
    can do is a button), which avoids an application-wide Python event filter on every Qt event."""

    touched = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.last = time.monotonic()

    def touch(self) -> None:
        self.last = time.monotonic()
        self.touched.emit()


_activity: Activity | None = None


def activity() -> Activity:
    global _activity
    if _activity is None:
        _activity = Activity()
    return _activity


def current_theme() -> Theme:
    return _theme


def set_current_theme(theme: Theme) -> None:
    global _theme
    _theme = theme


class Label(QLabel):
    """A QLabel whose Chinese lines break by the rules (`kiosk.linebreak`): the text is shown with word joiners
    where no break may fall, and `text()` gives it back as it was set."""

    def setText(self, text: str) -> None:
        super().setText(_joiner.join(text))

    def text(self) -> str:
        return unjoin(super().text())


_joiner = Joiner()


def set_words(words: Sequence[str]) -> None:
    """The words no line may break inside, besides the kiosk's own (the service catalog's short names)."""
    global _joiner
    _joiner = Joiner(words)


def label(text: str = "", role: str = "body", wrap: bool = True) -> QLabel:
    lab = Label()
    lab.setText(text)
    lab.setProperty("role", role)
    lab.setWordWrap(wrap)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    return lab


class BigButton(QPushButton):
    """A button that always shows an icon and words; the words wrap instead of being cut off.

    kinds: primary (main action), choice (an option tile), nav (Back/Home/...), small (header controls),
    key (keypad digit: the digit is its own picture, so no extra icon).
    """

    def __init__(self, icon: str, text: str = "", kind: str = "choice", *, vertical: bool = False,
                 wrap: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.icon_name = icon
        self.height_factor = 1.0  # keypad keys grow where there is room (portrait)
        self.setProperty("kind", kind)
        self.setProperty("selected", False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        direction = QBoxLayout.Direction.TopToBottom if vertical else QBoxLayout.Direction.LeftToRight
        self._box = QBoxLayout(direction, self)
        self.icon_label = QLabel()
        self.icon_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text_label = Label()
        self.text_label.setText(text)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setWordWrap(wrap)
        align = Qt.AlignmentFlag.AlignCenter if vertical or kind == "key" else (
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.text_label.setAlignment(align)
        for w in (self.icon_label, self.text_label):
            w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        if kind != "key":
            self._box.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignCenter)
        else:
            self.icon_label.hide()
        self._box.addWidget(self.text_label, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.pressed.connect(activity().touch)
        self.apply_theme(current_theme())

    # --- content ------------------------------------------------------------------------------------
    def set_vertical(self, vertical: bool) -> None:
        """Icon above the words (narrow buttons) or beside them (saves height)."""
        self._box.setDirection(QBoxLayout.Direction.TopToBottom if vertical else QBoxLayout.Direction.LeftToRight)
        self._box.setAlignment(self.icon_label, Qt.AlignmentFlag.AlignCenter)
        self.text_label.setAlignment(Qt.AlignmentFlag.AlignCenter if vertical else
                                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._update_size()

    def set_text(self, text: str) -> None:
        self.text_label.setText(text)
        self.setAccessibleName(text)
        self._update_size()

    def label_text(self) -> str:
        return self.text_label.text()

    def set_icon(self, name: str) -> None:
        self.icon_name = name
        self._paint_icon()

    def set_selected(self, selected: bool) -> None:
        self.setProperty("selected", selected)
        self.style().unpolish(self)
        self.style().polish(self)
        for w in (self.icon_label, self.text_label):
            self.style().unpolish(w)
            self.style().polish(w)
        self._paint_icon()

    def is_selected(self) -> bool:
        return bool(self.property("selected"))

    # --- sizing -------------------------------------------------------------------------------------
    def min_height(self) -> int:
        t = self._theme
        if self.kind == "small":
            return round(t.body_px * 2.0)
        return round(t.button_px * self.height_factor)

    def apply_theme(self, theme: Theme) -> None:
        self._theme = theme
        g = theme.gap_px
        self._box.setContentsMargins(g, g // 2, g, g // 2)
        self._box.setSpacing(g // 2 if self.kind != "small" else g // 3)
        self._paint_icon()
        self._update_size()

    def _colour(self) -> str:
        p = self._theme.palette
        if self.is_selected():
            return p.selected_text
        if self.kind == "light":
            return p.light_text
        return p.primary_text if self.kind == "primary" else p.secondary_text

    def _paint_icon(self) -> None:
        size = self._theme.icon_px if self.kind != "small" else round(self._theme.body_px * 1.1)
        self.icon_label.setPixmap(icons.pixmap(self.icon_name, self._colour(), size))
        self.icon_label.setFixedSize(size, size)

    def _update_size(self) -> None:
        """Minimum size from the icon and words, set once when they change (not a Python sizeHint override:
        layouts ask for hints hundreds of times, and each call into Python waits for the GIL behind the
        driver and sync threads)."""
        self.text_label.ensurePolished()
        self._box.invalidate()
        hint = self._box.totalSizeHint()
        width = hint.width() if not self.text_label.wordWrap() else self._box.totalMinimumSize().width()
        self.natural_width = width  # what its words need (a bar may give it a fixed, wider place)
        self.setMinimumSize(width, max(hint.height(), self.min_height()))
        self.updateGeometry()


@dataclass(frozen=True)
class Choice:
    key: str
    icon: str
    text: str
    selected: bool = False


class ChoiceGrid(QWidget):
    """Up to six option tiles at a time; when there are more, the last two tiles turn the page.

    Columns (up to `columns`) and rows are worked out from the space the grid is given and the words on the
    tiles (at most two lines each), so larger text means fewer tiles per page, never squeezed or cut ones.
    """

    chosen = Signal(str)

    def __init__(self, columns: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = columns  # the most columns allowed
        self._choices: list[Choice] = []
        self.page = 0
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._buttons: list[BigButton] = []
        self._pool: list[BigButton] = []
        self._plans: dict[tuple[object, ...], tuple[int, int, int]] = {}
        self._built_for: tuple[object, ...] | None = None
        self._plan_cache: tuple[int, int, int] = (1, 0, 2)
        self._pending = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    # --- sizing ---------------------------------------------------------------------------------------
    def _texts(self) -> list[str]:
        return [c.text for c in self._choices] + [ui_text("ui.pages.previous"),
                                                ui_text("ui.pages.more", page=99, pages=99)]

    def _lines(self, cols: int, width: int | None = None) -> int:
        """Lines the longest tile text needs when the grid has `cols` columns."""
        t = current_theme()
        if width is None:
            width = self.width() if self.width() > 0 else 1800
        tile_w = (width - (cols - 1) * t.gap_px) // cols
        avail = tile_w - t.icon_px - 2 * t.gap_px - t.gap_px // 2 - 8
        if avail < t.body_px * 3:
            return 99
        font = QFont(FONT_FAMILY)
        font.setPixelSize(t.body_px)
        fm = QFontMetrics(font)
        line = fm.lineSpacing()
        need = 1
        for text in self._texts():
            r = fm.boundingRect(QRect(0, 0, avail, 100000), int(Qt.TextFlag.TextWordWrap), text)
            need = max(need, math.ceil(r.height() / line))
        return need

    def _tile_height(self, lines: int) -> int:
        t = current_theme()
        font = QFont(FONT_FAMILY)
        font.setPixelSize(t.body_px)
        line = QFontMetrics(font).lineSpacing()
        return max(t.button_px, lines * line + t.gap_px + 16)

    def plan(self) -> tuple[int, int, int]:
        """(columns, tile height, tiles per page) for the current size and choices."""
        key = (current_theme(), self.columns, self.width(), self.height(), tuple(self._texts()))
        cached = self._plans.get(key)
        if cached is None:
            cached = self._plans[key] = self._compute_plan()
            if len(self._plans) > 64:
                self._plans.pop(next(iter(self._plans)))
        return cached

    def capacity_at(self, width: int, height: int) -> int:
        """How many tiles one page would hold in a grid `width` × `height`."""
        return self._compute_plan(width, height)[2]

    def fits_on_one_page(self, width: int, height: int) -> bool:
        """Whether every choice would show at once in a grid `width` × `height` (no page to turn)."""
        return self._compute_plan(width, height)[2] >= len(self._choices)

    def _compute_plan(self, width: int | None = None, height: int | None = None) -> tuple[int, int, int]:
        t = current_theme()
        n = max(1, len(self._choices))
        if height is None:
            height = self.height() if self.height() > 0 else 600
        best: tuple[int, int, int] | None = None
        for cols in range(1, max(1, self.columns) + 1):
            lines = self._lines(cols, width)
            if lines > 2 and cols > 1:
                break  # more columns only make the words wrap more
            h = self._tile_height(min(lines, 2) if lines <= 2 else lines)
            rows = max(1, (height + t.gap_px) // (h + t.gap_px))
            cap = max(1, min(MAX_CHOICES, rows * cols))
            if best is None or cap > best[2] or (cap == best[2] and n > cap):
                best = (cols, h, cap)
            if n <= cap:
                best = (cols, h, cap)
                break
        assert best is not None
        return best

    def height_for_all(self, width: int) -> int:
        """The height that shows every choice on one page in one column `width` wide (a screen that gives the
        rest of its height to something else keeps its tiles where they are and all on one page)."""
        t = current_theme()
        font = QFont(FONT_FAMILY)
        font.setPixelSize(t.body_px)
        fm = QFontMetrics(font)
        avail = max(1, width - t.icon_px - 2 * t.gap_px - t.gap_px // 2 - 8)
        lines = max([math.ceil(fm.boundingRect(QRect(0, 0, avail, 100000), int(Qt.TextFlag.TextWordWrap), c.text)
                               .height() / fm.lineSpacing()) for c in self._choices] or [1])
        n = max(1, len(self._choices))
        return n * self._tile_height(lines) + (n - 1) * t.gap_px

    def tile_height(self) -> int:
        return self._plan_cache[1] or self.plan()[1]

    def capacity(self) -> int:
        return self.plan()[2]

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self._tile_height(2))

    def sizeHint(self) -> QSize:
        return QSize(400, self._tile_height(2) * 2 + current_theme().gap_px)

    # --- content --------------------------------------------------------------------------------------
    def set_choices(self, choices: list[Choice], *, keep_page: bool = False) -> None:
        page = self.page if keep_page else 0
        if list(choices) == self._choices and page == self.page and self._buttons and \
                self._built_for == self._key():
            return  # nothing changed: keep the tiles (rebuilding costs GUI time on every screen entry)
        self._choices = list(choices)
        self.page = page
        self._rebuild()

    def _key(self) -> tuple[object, ...]:
        return (current_theme(), self.columns, self.plan())

    def choices(self) -> list[Choice]:
        return list(self._choices)

    def set_columns(self, columns: int) -> None:
        if columns != self.columns:
            self.columns = columns
            self._rebuild()

    def pages(self) -> int:
        return len(self._bounds(len(self._choices), self._plan_cache[2]))

    @staticmethod
    def _bounds(n: int, cap: int) -> list[tuple[int, int]]:
        """(first, end) of the choices on each page: as many as fit, with a "More" tile only where there is a
        next page and a "Previous page" tile only where there is a previous one (never a tile that does
        nothing)."""
        if n <= cap:
            return [(0, n)]
        cap = max(cap, 3)
        out: list[tuple[int, int]] = []
        start = 0
        while start < n:
            first = not out
            if n - start <= cap - (0 if first else 1):  # the rest fits beside a "Previous page" tile
                out.append((start, n))
                break
            room = cap - (1 if first else 2)
            out.append((start, start + room))
            start += room
        return out

    def visible_buttons(self) -> list[BigButton]:
        return [b for b in self._buttons if b.isVisible()]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.plan() != self._plan_cache and not self._pending:
            # Not inside the layout pass that is resizing us: rebuild on the next event-loop turn.
            self._pending = True
            QTimer.singleShot(0, self, self._deferred_rebuild)

    def _deferred_rebuild(self) -> None:
        self._pending = False
        if self.plan() != self._plan_cache:
            self._rebuild()

    def _rebuild(self) -> None:
        for b in self._buttons:
            self._layout.removeWidget(b)
        self._buttons = []
        cols, h, cap = self._plan_cache = self.plan()
        self._built_for = self._key()
        bounds = self._bounds(len(self._choices), cap)
        pages = len(bounds)
        self.page = min(self.page, pages - 1)
        first, end = bounds[self.page]
        shown = self._choices[first:end]
        theme = current_theme()
        self._layout.setSpacing(theme.gap_px)
        specs: list[tuple[str, str, str, bool]] = [(c.key, c.icon, c.text, c.selected) for c in shown]
        nav: list[tuple[str, str, str, bool]] = []
        if self.page > 0:
            nav.append(("__prev", "up", ui_text("ui.pages.previous"), False))
        if self.page < pages - 1:
            nav.append(("__next", "down", ui_text("ui.pages.more", page=self.page + 1, pages=pages), False))
        if nav and cols > 1 and len(specs) % cols and (len(specs) % cols) + len(nav) > cols \
                and math.ceil(len(specs) / cols) + 1 <= max(1, cap // cols):
            specs += [("", "", "", False)] * (cols - len(specs) % cols)  # page tiles together on the last row
        specs += nav
        used = 0
        for i, (key, icon, text, selected) in enumerate(specs):
            if not key:
                continue
            # Tiles are reused: creating and styling new buttons is the costly part of entering a screen.
            if used < len(self._pool):
                b = self._pool[used]
            else:
                b = BigButton(icon, "", "choice")
                b.clicked.connect(lambda _=False, btn=b: self._clicked(btn.property("choice_key")))
                self._pool.append(b)
            used += 1
            b.setProperty("choice_key", key)
            b.set_text(text)
            if b.is_selected() != selected:
                b.set_selected(selected)
            b.set_icon(icon if not selected else "check")
            b.setFixedHeight(h)
            self._layout.addWidget(b, i // cols, i % cols)
            b.show()  # now, not at the next event-loop turn (taps may follow at once)
            self._buttons.append(b)
        for b in self._pool[used:]:
            b.hide()
            b.set_text("")
            b.setProperty("choice_key", "")
        for c in range(3):
            self._layout.setColumnStretch(c, 1 if c < cols else 0)
            self._layout.setColumnMinimumWidth(c, 0)
        rows_used = math.ceil(len(specs) / cols) if specs else 0
        for r in range(MAX_CHOICES + 1):
            self._layout.setRowStretch(r, 0)
        self._layout.setRowStretch(rows_used, 1)

    def _clicked(self, key: str) -> None:
        if key == "__prev":
            self.page = max(0, self.page - 1)
            self._rebuild()
        elif key == "__next":
            self.page = min(self.pages() - 1, self.page + 1)
            self._rebuild()
        else:
            self.chosen.emit(key)


class FlowBar(QWidget):
    """Buttons in as few rows as fit the width (landscape: one row; portrait or larger text: two).

    The primary action (`keep_place`) has a place of its own: the right end of the bottom row, as wide as a
    fixed share of the bar (wider only when its words need it), there whether it is shown or not. So on every
    screen of one panel the same rectangle holds the main forward action or nothing, and a habitual tap there
    never lands on another button (e.g. "呼叫志愿者" where "提交" was a moment ago).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[QWidget] = []
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(0, 0, 0, 0)
        self._rows: list[QHBoxLayout] = []
        self._plan: list[int] = []
        self._pending = False
        self._hidden: set[int] = set()
        self._keeps: QWidget | None = None
        self._beside: list[QWidget] = []

    def set_widgets(self, widgets: Sequence[QWidget]) -> None:
        self._items = list(widgets)
        self._hidden = set()
        for w in widgets:
            w.setParent(self)
            w.show()
        self._plan = []
        self.relayout()

    def set_shown(self, widget: QWidget, shown: bool) -> None:
        """Show or hide one of the buttons (hidden ones take no place in the rows, but the primary's place)."""
        if (id(widget) not in self._hidden) == shown and widget.isHidden() != shown:
            return  # unchanged: no relayout (the window sets every button on each render)
        if shown:
            self._hidden.discard(id(widget))
        else:
            self._hidden.add(id(widget))
        widget.setVisible(shown)
        self._plan = []
        self.relayout()

    def keep_place(self, widget: QWidget, beside: Sequence[QWidget] = ()) -> None:
        """`widget` (the primary action) gets the bottom-right place, kept empty while it is hidden; the place
        leaves room for the buttons usually `beside` it on one row (landscape), so it costs no second row."""
        self._keeps = widget
        self._beside = list(beside)
        policy = widget.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        widget.setSizePolicy(policy)
        self._plan = []
        self.relayout()

    def place_width(self, width: int) -> int:
        """The primary's share of a bar `width` wide: a third of a portrait bar (two rows there), a quarter of a
        landscape one, or less when the words of the usual buttons beside it (larger text, English) need the
        room: the same for every screen of one panel, language and text size."""
        gap = current_theme().gap_px
        portrait = width < 1400
        # Portrait: two rows, the last two of the usual buttons share the primary's row.
        usual = self._beside[-2:] if portrait else self._beside
        beside = sum(int(getattr(w, "natural_width", w.minimumWidth())) + gap for w in usual)
        share = round(width / 3) if portrait else round(width / 4)
        return max(round(width / 8), min(share, width - beside))

    def primary_place(self) -> QRect:
        """The rectangle (in this bar) that holds the primary action or nothing, on every screen of this panel."""
        w = self.place_width(self.width())
        h = self._keeps.height() if self._keeps is not None else 0
        return QRect(self.width() - w, self.height() - h, w, h)

    def _visible(self) -> list[QWidget]:
        return [w for w in self._items if id(w) not in self._hidden]

    @staticmethod
    def _plan_for(widths: list[int], width: int, gap: int) -> list[int]:
        plan: list[int] = []
        row_w = 0
        count = 0
        for need_w in widths:
            need = need_w + (gap if count else 0)
            if count and row_w + need > width:
                plan.append(count)
                row_w, count = need_w, 1
            else:
                row_w += need
                count += 1
        if count:
            plan.append(count)
        return plan

    def relayout(self) -> None:
        gap = current_theme().gap_px
        self._outer.setSpacing(gap)
        width = self.width() if self.width() > 0 else 1920
        keep = self._keeps
        others = [w for w in self._visible() if w is not keep]
        widths = [w.minimumWidth() for w in others]
        if keep is not None:
            slot = max(self.place_width(width), int(getattr(keep, "natural_width", 0)))
            if keep.minimumWidth() != slot or keep.maximumWidth() != slot:
                keep.setFixedWidth(slot)
            widths.append(slot)  # always last: the bottom row's right end
        plan = self._plan_for(widths, width, gap)
        if plan == self._plan and len(self._rows) == len(plan):
            return
        if len(plan) == 1 and len(self._rows) == 1 and self._rows[0].count() == len(self._items):
            self._plan = plan  # still one row holding every button: hidden ones simply take no room
            return
        self._plan = plan
        for row in self._rows:
            while row.count():
                row.takeAt(0)
            self._outer.removeItem(row)
            row.setParent(None)
            row.deleteLater()
        self._rows = []
        hidden = [w for w in self._items if id(w) in self._hidden and w is not keep]
        i = 0
        for r, n in enumerate(plan):
            row = QHBoxLayout()
            row.setSpacing(gap)
            last = r == len(plan) - 1
            if len(plan) == 1:  # every button in its order (shown later, a hidden one appears in its place)
                chunk = [w for w in self._items if w is not keep]
            else:
                count = n - (1 if last and keep is not None else 0)
                chunk = others[i:i + count]
                i += count
                if last:
                    chunk += hidden
            for w in chunk:
                row.addWidget(w, 1)
            if last and keep is not None:
                if not any(id(w) not in self._hidden for w in chunk):
                    row.addStretch(1)  # the primary alone on its row: still at the right end
                row.addWidget(keep, 0)
            self._outer.addLayout(row)
            self._rows.append(row)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self._deferred)

    def _deferred(self) -> None:
        self._pending = False
        self.relayout()


class Keypad(QWidget):
    """Digits only (phone numbers, account numbers, dates): nobody is asked to type Chinese text.

    Laid out like a telephone (1 2 3 / 4 5 6 / 7 8 9 / Delete 0 Clear), the keypad older people know. For an
    18-character ID number the Clear key gives its place to X (the check character some ID numbers end with).
    """

    typed = Signal(str)  # the whole value after each key

    ROWS = (("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9"), ("del", "0", "clear"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = ""
        self.max_length = 11
        self.allow_x = False
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, BigButton] = {}
        for k in [k for row in self.ROWS for k in row] + ["X"]:
            if k == "del":
                b = BigButton("delete", "", "choice", vertical=False, wrap=False)
            elif k == "clear":
                b = BigButton("clear", "", "choice", vertical=False, wrap=False)  # not a checkbox: it empties
            else:
                b = BigButton("", k, "key", wrap=False)
            b.clicked.connect(lambda _=False, key=k: self._press(key))
            self.buttons[k] = b
        for r, row in enumerate(self.ROWS):
            for c, k in enumerate(row):
                self._grid.addWidget(self.buttons[k], r, c)
        self._grid.addWidget(self.buttons["X"], 3, 2)  # same cell as Clear: only one of them is shown
        for c in range(3):
            self._grid.setColumnStretch(c, 1)
        self.set_allow_x(False)
        self.retranslate()
        self.apply_theme()

    def set_allow_x(self, allow: bool) -> None:
        """Offer X (ID numbers) in place of Clear, or Clear (everything else)."""
        self.allow_x = allow
        self.buttons["X"].setVisible(allow)
        self.buttons["clear"].setVisible(not allow)

    def apply_theme(self) -> None:
        self._grid.setSpacing(current_theme().gap_px)
        for b in self.buttons.values():
            f = b.text_label.font()
            if b.kind == "key":
                b.text_label.setStyleSheet(f"font-size: {round(current_theme().body_px * 1.3)}px; font-weight: bold;")
            b.text_label.setFont(f)

    def set_key_height(self, factor: float) -> None:
        """Keys `factor` times the standard button height (never smaller than it)."""
        for b in self.buttons.values():
            b.height_factor = max(1.0, factor)
            b._update_size()

    def retranslate(self) -> None:
        self.buttons["del"].set_text(ui_text("ui.keypad.delete"))
        self.buttons["clear"].set_text(ui_text("ui.keypad.clear"))

    def reset(self, max_length: int = 11, *, allow_x: bool = False) -> None:
        self.value = ""
        self.max_length = max_length
        self.set_allow_x(allow_x)

    def _press(self, key: str) -> None:
        if key == "del":
            self.value = self.value[:-1]
        elif key == "clear":
            self.value = ""
        elif key == "X" and not self.allow_x:
            return
        elif len(self.value) < self.max_length:
            self.value += key
        self.typed.emit(self.value)


def set_role(widget: QWidget, role: str) -> None:
    """Change a label's style role (e.g. body → error) and re-apply the style sheet to it."""
    if widget.property("role") != role:
        widget.setProperty("role", role)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def set_role_kind(button: BigButton, kind: str) -> None:
    """Change a button's kind (e.g. nav ↔ small) and re-apply the style sheet to it."""
    button.setProperty("kind", kind)
    button.style().unpolish(button)
    button.style().polish(button)
    button.apply_theme(current_theme())


def discard_labels(layout: Any, labels: list[Any]) -> None:
    """Take dynamic labels out of `layout`: wiped and hidden now (no personal text lingers on screen), the objects
    themselves deleted at the next event-loop turn. Empties `labels`."""
    for lab in labels:
        layout.removeWidget(lab)
        lab.clear()
        lab.hide()
        lab.deleteLater()
    labels.clear()
