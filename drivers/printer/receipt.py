"""The receipt as data (already masked and in the citizen's language) and its PDF rendering for an 80 mm roll.

The text is set in Noto Sans CJK SC (installed with the kiosk: fonts-noto-cjk) and a subset of it is embedded
(fpdf2 embeds OpenType/CFF), so every PDF interpreter — Ghostscript in many CUPS filter chains as well as
Poppler — prints the same letters. A PDF base font that is not embedded printed Latin text blank on some printers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from drivers.printer import print_font
from drivers.printer.print_font import FONT_FAMILY, FontMissingError, font_file

__all__ = ["FONT_FAMILY", "FontMissingError", "ReceiptDoc", "ReceiptLine", "face_for", "font_file", "render_pdf"]

if TYPE_CHECKING:  # fpdf is imported on the first receipt, not at start-up
    from fpdf import FPDF

MM = 72 / 25.4  # points per millimetre
PAGE_WIDTH = 80 * MM
MARGIN = 5 * MM
# A line never starts with closing punctuation and never ends with opening punctuation (Chinese line breaking).
NO_LINE_START = set("，。、；：？！）》」』】〕”’%,.;:?!)]}")
NO_LINE_END = set("（《「『【〔“‘([{")


@dataclass(frozen=True)
class ReceiptLine:
    text: str
    size: float = 10.0
    bold: bool = False


@dataclass(frozen=True)
class ReceiptDoc:
    """What goes on paper. Callers pass masked personal data only (e.g. 陈** / 440106********1232)."""

    title: str
    lines: list[ReceiptLine] = field(default_factory=list)
    footer: str = ""


def face_for(doc: ReceiptDoc, style: str) -> tuple[Path, int]:
    """The face to set `doc` in: the reduced print face when the set-up built it and it has every character of
    the document (a name with a rare character takes the full face: slower, never a missing glyph)."""
    full, index = font_file(style)
    reduced = print_font.usable(style, full)
    text = "".join([doc.title, doc.footer, *(line.text for line in doc.lines)])
    if reduced is not None and print_font.covers(reduced, text):
        return reduced, 0
    return full, index


def _carried(current: str, ch: str) -> int:
    """How many characters at the end of `current` go down to the next line with `ch`: never a line starting
    with closing punctuation, ending with opening punctuation, or a Latin word or number cut in two."""
    def word(i: int) -> bool:
        return current[i].isascii() and current[i].isalnum()

    keep, n = 0, len(current)
    first = ch
    while keep < n:
        cut_word = first.isascii() and first.isalnum() and word(n - 1 - keep)
        if first in NO_LINE_START or cut_word or current[n - 1 - keep] in NO_LINE_END:
            keep += 1
        else:
            break
        first = current[n - keep]
        if first in NO_LINE_START or not (first.isascii() and first.isalnum()):
            continue
        while keep < n and word(n - 1 - keep):  # the rest of the word
            keep += 1
        first = current[n - keep]
    return 0 if keep >= n else keep  # an unbreakable run wider than the paper breaks anyway


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Break a line by measured width, character by character (Chinese has no spaces), never before closing
    or after opening punctuation, never inside a Latin word or a number; a newline in `text` always breaks."""
    if "\n" in text:
        return [line for part in text.split("\n") for line in _wrap(pdf, part, width)]
    out: list[str] = []
    current = ""
    for ch in text:
        if not current or pdf.get_string_width(current + ch) <= width:
            current += ch
            continue
        keep = _carried(current, ch)
        out.append(current[: len(current) - keep].rstrip())
        current = (current[len(current) - keep:] + ch).lstrip()
    out.append(current)
    return out


def render_pdf(doc: ReceiptDoc, path: Path) -> Path:
    """Write `doc` as a one-page PDF sized to its content, with the fonts it uses embedded (subset)."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt")
    for style in ("", "B"):
        file, index = face_for(doc, style)
        pdf.add_font("noto", style, str(file), collection_font_number=index)
    usable = PAGE_WIDTH - 2 * MARGIN
    rows: list[tuple[str, float, bool]] = []

    def add(text: str, size: float, strong: bool) -> None:
        pdf.set_font("noto", "B" if strong else "", size)
        rows.extend((s, size, strong) for s in _wrap(pdf, text, usable))

    add(doc.title, 14.0, True)
    rows.append(("", 6.0, False))
    for line in doc.lines:
        add(line.text, line.size, line.bold)
    if doc.footer:
        rows.append(("", 6.0, False))
        add(doc.footer, 8.0, False)
    height = 2 * MARGIN + sum(size * 1.4 for _, size, _ in rows)
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.set_title(doc.title.replace("\n", " — "))
    pdf.set_creator("service-hall kiosk")
    pdf.add_page(format=(PAGE_WIDTH, height))
    y = MARGIN
    for text, size, strong in rows:
        if text:
            pdf.set_font("noto", "B" if strong else "", size)
            pdf.set_xy(MARGIN, y)
            pdf.cell(w=usable, h=size * 1.4, text=text)
        y += size * 1.4
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path
