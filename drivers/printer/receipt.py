"""The receipt as data (already masked and in the citizen's language) and its PDF rendering for an 80 mm roll.

Uses reportlab's built-in Adobe CID font STSong-Light, so Chinese prints without shipping a font file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# reportlab is imported on the first receipt, not at start-up (it costs a quarter of a cold start).
CJK_FONT = "STSong-Light"
MM = 72 / 25.4  # points, as reportlab.lib.units.mm
PAGE_WIDTH = 80 * MM
MARGIN = 5 * MM


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


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def _wrap(text: str, size: float, width: float) -> list[str]:
    """Break a line by measured width (character by character: Chinese has no spaces to break at)."""
    from reportlab.pdfbase import pdfmetrics

    out: list[str] = []
    current = ""
    for ch in text:
        if pdfmetrics.stringWidth(current + ch, CJK_FONT, size) > width and current:
            out.append(current)
            current = ch.lstrip() if ch == " " else ch
        else:
            current += ch
    out.append(current)
    return out


def render_pdf(doc: ReceiptDoc, path: Path) -> Path:
    """Write `doc` as a one-page PDF sized to its content."""
    from reportlab.pdfgen import canvas

    _register_font()
    usable = PAGE_WIDTH - 2 * MARGIN
    rows: list[tuple[str, float]] = [(s, 14.0) for s in _wrap(doc.title, 14.0, usable)]
    rows.append(("", 6.0))
    for line in doc.lines:
        rows.extend((s, line.size) for s in _wrap(line.text, line.size, usable))
    if doc.footer:
        rows.append(("", 6.0))
        rows.extend((s, 8.0) for s in _wrap(doc.footer, 8.0, usable))
    height = 2 * MARGIN + sum(size * 1.4 for _, size in rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(path), pagesize=(PAGE_WIDTH, height))
    c.setTitle(doc.title)
    y = height - MARGIN
    for text, size in rows:
        y -= size * 1.4
        if text:
            c.setFont(CJK_FONT, size)
            c.drawString(MARGIN, y + size * 0.3, text)
    c.showPage()
    c.save()
    return path
