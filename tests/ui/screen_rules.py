"""Checks of one rendered kiosk state against the screen rules (used on every state of the tour)."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFontMetrics, QImage
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from ui.script import has_cjk
from ui.theme import FONT_FAMILY, MIN_BODY_PX, MIN_BUTTON_PX, MIN_GAP_PX, MIN_HEADING_PX
from ui.widgets import MAX_CHOICES, BigButton

_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

# Every state the tour renders (one PNG each).
TOUR_STATES = {"home", "identify", "identify_card_error", "proxy", "health", "health_waiting_for_staff",
               "categories", "form_keypad_id", "items_elderly", "items_chosen", "materials", "materials_second_item",
               "form_keypad", "form_choice", "review", "done", "take_card", "same_item_today", "ticket", "ticket_done",
               "help", "idle_warning",
               "home_offline", "proxy_principal", "proxy_same_card", "items_proxy", "proxy_code",
               "proxy_code_refused", "review_proxy",
               # volunteers, staff, green channel, tickets, batch handling, difficult cases (issue 10)
               "signin", "signin_locked", "assisted_home", "assisted_review", "proxy_paper", "priority_confirm",
               "ticket_priority", "batch_list", "batch_done", "difficult_case", "difficult_case_done", "staff_menu"}


def visible_widgets(win: QWidget) -> list[QWidget]:
    return [w for w in win.findChildren(QWidget) if w.isVisible()]


def rect_in(win: QWidget, w: QWidget) -> QRect:
    return QRect(w.mapTo(win, QPoint(0, 0)), w.size())


def label_problems(win: QWidget, lab: QLabel) -> list[str]:
    text = lab.text()
    if not text:
        return []
    out = []
    f = lab.font()
    if f.family() != FONT_FAMILY:
        out.append(f"font {f.family()!r}")
    px = f.pixelSize()
    role = lab.property("role")
    minimum = MIN_HEADING_PX if role in ("heading", "big") else MIN_BODY_PX
    if px < minimum:
        out.append(f"{px}px < {minimum}px")
    fm = QFontMetrics(f)
    area = lab.contentsRect()
    if lab.wordWrap():
        need = fm.boundingRect(QRect(0, 0, area.width(), 100000), int(Qt.TextFlag.TextWordWrap), text)
        if need.height() > area.height() + 1 or need.width() > area.width() + 1:
            out.append(f"clipped: needs {need.width()}x{need.height()} has {area.width()}x{area.height()}")
    else:
        lines = text.split("\n")
        need_w = max(fm.horizontalAdvance(line) for line in lines)
        need_h = fm.height() * len(lines)
        if need_w > area.width() + 1 or need_h > area.height() + 1:
            out.append(f"clipped: needs {need_w}x{need_h} has {area.width()}x{area.height()}")
    return out


def check_state(name: str, win: Any, lang: str | None = None) -> list[str]:
    """Every rule problem of the window as shown now, as readable strings (empty list = all good)."""
    problems: list[str] = []
    full = win.rect()
    if (win.width(), win.height()) != win._panel:
        problems.append(f"{name}: window is {win.width()}x{win.height()}, the panel {win._panel}")
    widgets = visible_widgets(win)
    for w in widgets:
        r = rect_in(win, w)
        if not full.contains(r):
            problems.append(f"{name}: {type(w).__name__} {w.objectName()} outside the window {r}")
        parent = w.parentWidget()
        if parent is not None and parent is not win and not QRect(QPoint(0, 0), parent.size()).contains(w.geometry()):
            problems.append(f"{name}: {type(w).__name__} {w.objectName()} sticks out of its parent")
        hint = w.minimumSizeHint().expandedTo(w.minimumSize())
        if hint.isValid() and (w.height() < hint.height() - 1 or w.width() < hint.width() - 1) \
                and not (isinstance(w, QLabel) and w.wordWrap()):
            problems.append(f"{name}: {type(w).__name__} {w.objectName()} squeezed to {w.width()}x{w.height()} "
                            f"(needs {hint.width()}x{hint.height()})")
        if isinstance(w, QLabel):
            problems += [f"{name}: label {w.text()[:30]!r}: {p}" for p in label_problems(win, w)]
            # Exempt: the language button (names the other language in it) and a person's name from the card.
            if lang is not None and w.text() and w.parentWidget() is not getattr(win, "lang_button", None) \
                    and w.objectName() != "PersonName":
                if lang == "en" and has_cjk(w.text()):
                    problems.append(f"{name}: Chinese left in English mode: {w.text()[:40]!r}")
                if lang == "zh_CN" and _LATIN_WORD.search(w.text()):
                    problems.append(f"{name}: English left in Chinese mode: {w.text()[:40]!r}")
    buttons = [w for w in widgets if isinstance(w, BigButton)]
    for b in buttons:
        if b.kind in ("primary", "choice", "nav", "light") and b.height() < MIN_BUTTON_PX:
            problems.append(f"{name}: button {b.label_text()!r} only {b.height()}px tall")
        if not b.label_text():
            problems.append(f"{name}: button without words ({b.objectName()})")
        if b.kind != "key" and (b.icon_label.pixmap() is None or b.icon_label.pixmap().isNull()
                                or not b.icon_label.isVisible()):
            problems.append(f"{name}: button {b.label_text()!r} without an icon")
    by_parent: dict[int, list[BigButton]] = {}
    for b in buttons:
        by_parent.setdefault(id(b.parentWidget()), []).append(b)
    for group in by_parent.values():
        for i, a in enumerate(group):
            ra = rect_in(win, a)
            for b in group[i + 1:]:
                rb = rect_in(win, b)
                dx = max(rb.left() - ra.right() - 1, ra.left() - rb.right() - 1)
                dy = max(rb.top() - ra.bottom() - 1, ra.top() - rb.bottom() - 1)
                if max(dx, dy) < MIN_GAP_PX:
                    problems.append(f"{name}: {a.label_text()!r} and {b.label_text()!r} only {max(dx, dy)}px apart")
    screen = win.screens[win.current]
    choices = [b for b in buttons if b.property("choice_key") and screen.isAncestorOf(b)]
    if len(choices) > MAX_CHOICES:
        problems.append(f"{name}: {len(choices)} choices on one screen")
    from ui.widgets import ChoiceGrid

    for grid in screen.findChildren(ChoiceGrid):
        keys = [b.property("choice_key") for b in grid.visible_buttons()]
        if grid.page == 0 and "__prev" in keys:
            problems.append(f"{name}: 'Previous page' on the first page (a tap that does nothing)")
        if grid.page == grid.pages() - 1 and "__next" in keys:
            problems.append(f"{name}: 'More' on the last page")
    if name == "items_elderly":
        # The elderly zone's first page fills the screen: at least 4 services in portrait (1080×1920, up to
        # 1.5×), at least 3 in landscape (where the height is half).
        items = [b for b in choices if not str(b.property("choice_key")).startswith("__")]
        need = 4 if win.portrait else 3
        if len(items) < need:
            problems.append(f"{name}: only {len(items)} services on the elderly zone's first page (need ≥ {need})")
    if win.current == "home" and any(g.pages() > 1 for g in screen.findChildren(ChoiceGrid)):
        # Every way in on one page, online or offline (the offline banner's lines once pushed them onto three).
        problems.append(f"{name}: the home tiles take more than one page")
    tops = [t for t in QApplication.topLevelWidgets() if t.isVisible() and t is not win]
    if tops:
        problems.append(f"{name}: pop-up windows {[type(t).__name__ for t in tops]}")
    return problems


def is_blank(path: str) -> bool:
    """True when the picture is (nearly) one colour."""
    img = QImage(path)
    if img.isNull():
        return True
    colours = set()
    for y in range(0, img.height(), max(1, img.height() // 60)):
        for x in range(0, img.width(), max(1, img.width() // 60)):
            colours.add(img.pixel(x, y))
    return len(colours) < 4


def primary_place_problems(name: str, win: Any) -> list[str]:
    """The habit trap: the bottom-right place (where "下一步" / "提交" sits) holds the screen's main forward action or
    nothing, so a tap made there by habit never lands on another button. The place is the same rectangle on
    every screen of one panel; the idle warning, over everything, answers for its own primary ("需要，请再等等我")."""
    bar = win.nav
    local = bar.primary_place()
    place = QRect(bar.mapTo(win, local.topLeft()), local.size())
    problems = []
    if place.right() < win.width() - 1 - win.theme.margin_px - 2 or place.bottom() < win.height() - 1 - \
            win.theme.margin_px - 2 or place.width() <= 0 or place.height() <= 0:
        problems.append(f"{name}: the primary place {place} is not the bottom-right corner")
    overlay = win.overlay
    if overlay.isVisible():
        buttons = [b for b in overlay.findChildren(BigButton) if b.isVisible()]
        primary = overlay.yes
    else:
        buttons = [b for b in win.findChildren(BigButton) if b.isVisible() and not overlay.isAncestorOf(b)]
        primary = win.next_button
    for b in buttons:
        if b is not primary and rect_in(win, b).intersects(place):
            problems.append(f"{name}: {b.label_text()!r} lies in the primary's place {place}")
    if primary.isVisible() and not overlay.isVisible() and not rect_in(win, primary).contains(place):
        problems.append(f"{name}: the primary {primary.label_text()!r} at {rect_in(win, primary)} is not in its "
                        f"place {place}")
    return problems
