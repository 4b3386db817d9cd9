"""Chinese line breaks on the real screens: every label of the tour, rendered at the narrowest size (1080×1920
at 1.5×) with real widgets, is laid out as Qt lays it out, and no line may break inside a word, before closing
punctuation, after opening punctuation, or leave a sentence's last character alone on a line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel
from screen_rules import TOUR_STATES

from kiosk.catalog import load_bundled_catalog
from kiosk.linebreak import CLOSING, OPENING, WJ, WORDS, catalog_words
from ui.theme import FONT_FAMILY, Theme
from ui.tour import render_tour

_WORDS = sorted({w for w in (*WORDS, *catalog_words(load_bundled_catalog())) if len(w) > 1})


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def qt_lines(lab: QLabel) -> list[tuple[int, int]]:
    """The (start, length) of each line Qt draws for a word-wrapped plain-text label: the same layout its
    painter runs (`QPainter::drawText` with `Qt::TextWordWrap` over the label's contents rectangle)."""
    shown = QLabel.text(lab)  # as drawn, joiners included
    rect = lab.contentsRect()
    m = lab.margin()
    width = rect.width() - 2 * m
    layout = QTextLayout(shown, lab.font())
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    lines = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        lines.append((line.textStart(), line.textLength()))
    layout.endLayout()
    # The same count of lines as the label itself measures (QLabel sizes itself with this bounding rectangle).
    fm = QFontMetrics(lab.font())
    br = fm.boundingRect(QRect(0, 0, width, 100000), int(Qt.TextFlag.TextWordWrap), shown)
    assert len(lines) == round(br.height() / fm.lineSpacing()), (shown, len(lines), br.height(), fm.lineSpacing())
    return lines


def bad_breaks(plain: str, breaks: list[int]) -> list[str]:
    """Breaks (offsets into `plain`: a line starts at each) that the rules of Chinese text forbid."""
    out = []
    quoted = [(m.start(1), m.end(1)) for m in re.finditer(r"“([^“”\s]{2,8})”", plain)]
    for b in breaks:
        before, after = plain[b - 1], plain[b]
        where = f"{plain[:b]}/{plain[b:]}"
        if before.isspace():  # a break at a space: only a number parted from its word is wrong
            if after.isdigit() and plain[:b].rstrip().endswith(("受理号", "第")):
                out.append(f"number parted from its word: {where}")
            continue
        if any(s < b < e for s, e in quoted):
            out.append(f"inside a quoted name: {where}")
        if after in CLOSING:
            out.append(f"before closing {after!r}: {where}")
        if before in OPENING:
            out.append(f"after opening {before!r}: {where}")
        if _is_cjk(before) and _is_cjk(after) and b + 1 < len(plain) and plain[b + 1] in CLOSING:
            out.append(f"last character alone: {where}")
        for w in _WORDS:
            start = plain.find(w, max(0, b - len(w) + 1))
            while start != -1 and start < b:
                if start + len(w) > b:
                    out.append(f"inside {w!r}: {where}")
                start = plain.find(w, start + 1)
    return out


def test_no_tour_label_breaks_against_the_rules(qapp: Any, ui_config: Any, tmp_path: Path) -> None:
    problems: list[str] = []
    seen: list[str] = []
    counted = {"labels": 0, "wrapped": 0, "breaks": 0}

    def on_shot(name: str, win: Any) -> None:
        seen.append(name)
        for lab in win.findChildren(QLabel):
            plain = lab.text()
            if not lab.isVisible() or not plain or not lab.wordWrap() or \
                    lab.textFormat() is not Qt.TextFormat.PlainText or not any(map(_is_cjk, plain)):
                continue
            counted["labels"] += 1
            shown = QLabel.text(lab)
            assert shown.replace(WJ, "") == plain
            lines = qt_lines(lab)
            if len(lines) > 1:
                counted["wrapped"] += 1
            # Offsets of each new line, counted in the text without joiners.
            breaks = [len(shown[:start].replace(WJ, "")) for start, _ in lines[1:]]
            breaks = [b for b in breaks if 0 < b < len(plain)]
            counted["breaks"] += len(breaks)
            problems.extend(f"{name}: {p}" for p in bad_breaks(plain, breaks))

    render_tour(ui_config, tmp_path / "tour", size="1080x1920", lang="zh_CN", scale=1.5, on_shot=on_shot)
    assert set(seen) == TOUR_STATES
    print(f"line breaks: {counted}")
    # Enough wrapping to mean something: long prompts and tiles do wrap at this size.
    assert counted["wrapped"] >= 20 and counted["breaks"] >= 30, counted
    assert not problems, "\n".join(problems)


def test_the_rule_checker_finds_the_breaks_the_issue_saw() -> None:
    """The checker is not blind: the breaks filed in the issue are each caught."""
    for text, at in (("请点“下一步”", 4), ("（电子身份证）", 2), ("到窗口的号。", 4), ("受理号 0427", 2),
                     ("更多时间吗？", 4), ("（1楼A区）", 1), ("请核对。", 3), ("请点“再办一次”", 6),
                     ("已提交 受理号 1202-0003", 8)):
        assert bad_breaks(text, [at]), (text, at)
    assert not bad_breaks("请点“下一步”继续", [7]) and not bad_breaks("已提交 受理号 1202-0003", [4])


def test_word_joiner_draws_nothing_in_the_kiosk_font(qapp: Any) -> None:
    """U+2060 is invisible and takes no room in the kiosk's font at every size the screens use (no tofu box)."""
    sizes = set()
    for scale in (1.0, 1.25, 1.5):
        t = Theme().with_scale(scale)
        sizes |= {t.body_px, t.heading_px, round(t.heading_px * 1.6)}
    for px in sorted(sizes):
        font = QFont(FONT_FAMILY)
        font.setPixelSize(px)
        images = []
        plain = "请点“下一步”（电子身份证）"
        for text in (plain, WJ.join(plain)):
            img = QImage(px * 16, px * 2, QImage.Format.Format_ARGB32)
            img.fill(QColor("white"))
            p = QPainter(img)
            p.setFont(font)
            p.setPen(QColor("black"))
            p.drawText(QRect(0, 0, img.width(), img.height()), int(Qt.AlignmentFlag.AlignLeft), text)
            p.end()
            images.append(img)
        assert QFontMetrics(font).horizontalAdvance(WJ) == 0
        assert images[0] == images[1], px
