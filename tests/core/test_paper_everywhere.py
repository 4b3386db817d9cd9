"""Paper that prints everywhere: every receipt and ticket embeds its fonts (pdffonts: emb yes) and comes out the
same from Ghostscript (the interpreter in many CUPS filter chains) and Poppler, compared as ink in each text
line's box; a ticket's number is the largest thing on it."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from drivers.printer.documents import receipt_doc, ticket_doc
from drivers.printer.receipt import ReceiptDoc, ReceiptLine, _wrap, render_pdf
from kiosk.catalog import load_bundled_catalog
from kiosk.services import Receipt
from kiosk.tickets import Ticket

DPI = 150


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is installed by packaging/setup.sh --dev (ghostscript, poppler-utils)")
    return path


def _ink(png: Path) -> np.ndarray:
    """Ink per pixel (0 = paper, 1 = black)."""
    return 1.0 - np.asarray(Image.open(png).convert("L"), dtype=np.float64) / 255.0


def _renders(pdf: Path, tmp: Path) -> tuple[np.ndarray, np.ndarray]:
    gs_png, pop_stem = tmp / f"{pdf.stem}-gs.png", tmp / f"{pdf.stem}-poppler"
    subprocess.run([_tool("gs"), "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=png16m", f"-r{DPI}",
                    "-dTextAlphaBits=4", f"-sOutputFile={gs_png}", str(pdf)], check=True, timeout=120)
    subprocess.run([_tool("pdftoppm"), "-r", str(DPI), "-png", "-singlefile", str(pdf), str(pop_stem)],
                   check=True, timeout=120)
    return _ink(gs_png), _ink(pop_stem.with_suffix(".png"))


def _line_boxes(ink: np.ndarray) -> list[tuple[int, int]]:
    """The text lines as bands of rows with ink (top, bottom)."""
    rows = ink.sum(axis=1) > 0.5
    boxes, start = [], None
    for y, on in enumerate(rows):
        if on and start is None:
            start = y
        elif not on and start is not None:
            boxes.append((start, y))
            start = None
    if start is not None:
        boxes.append((start, len(rows)))
    return boxes


def _columns(band: np.ndarray) -> tuple[int, int]:
    cols = np.nonzero(band.sum(axis=0) > 0.5)[0]
    return int(cols[0]), int(cols[-1])


def _assert_same_paper(pdf: Path, tmp: Path, lines: list[str]) -> list[tuple[int, int]]:
    fonts = subprocess.run([_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    for row in rows:  # name type encoding emb sub uni ...: every font embedded
        assert row.split()[-5] == "yes", fonts
    gs, pop = _renders(pdf, tmp)
    assert abs(gs.shape[0] - pop.shape[0]) <= 1 and abs(gs.shape[1] - pop.shape[1]) <= 1  # page size rounding
    h, w = min(gs.shape[0], pop.shape[0]), min(gs.shape[1], pop.shape[1])
    gs, pop = gs[:h, :w], pop[:h, :w]
    boxes = _line_boxes(pop)
    assert len(boxes) == len(lines), (pdf.name, len(boxes), lines)
    assert len(_line_boxes(gs)) == len(boxes), pdf.name
    for top, bottom in boxes:
        a, b = gs[top:bottom], pop[top:bottom]
        assert a.sum() > 0.5, (pdf.name, top)
        # The same glyphs in the same places: the same ink in each line's box (anti-aliasing differs by a few
        # per cent; a line whose digits print blank loses far more, see the test below) and the same extent.
        assert abs(a.sum() - b.sum()) <= 0.15 * b.sum(), (pdf.name, top, a.sum(), b.sum())
        (gl, gr), (pl, pr) = _columns(a), _columns(b)
        assert abs(gl - pl) <= 2 and abs(gr - pr) <= 2, (pdf.name, top, (gl, gr), (pl, pr))
    assert abs(gs.sum() - pop.sum()) <= 0.03 * pop.sum(), pdf.name
    return boxes


def _printed_lines(doc: ReceiptDoc) -> list[str]:
    """The text lines `doc` prints (after wrapping, in order), from the renderer's own wrap."""
    from fpdf import FPDF

    from drivers.printer.receipt import MARGIN, PAGE_WIDTH, face_for

    pdf = FPDF(unit="pt")
    for style in ("", "B"):
        file, index = face_for(doc, style)
        pdf.add_font("noto", style, str(file), collection_font_number=index)
    out: list[str] = []
    for text, size, bold in [(doc.title, 14.0, True), *[(x.text, x.size, x.bold) for x in doc.lines],
                             (doc.footer, 8.0, False)]:
        pdf.set_font("noto", "B" if bold else "", size)
        out += [s for s in _wrap(pdf, text, PAGE_WIDTH - 2 * MARGIN) if s.strip()]
    return out


def _ticket(lane: str, number: str) -> Ticket:
    return Ticket("01a2-t", number, lane, "kiosk-a", "2026-11-28T02:00:00.000+00:00", "2026-11-28")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize(("lane", "number"), [("normal", "A0001"), ("priority", "Y2017"), ("difficult", "D0003")])
def test_every_ticket_prints_the_same_everywhere_with_the_number_largest(tmp_path: Path, lang: str, lane: str,
                                                                          number: str) -> None:
    doc = ticket_doc(_ticket(lane, number), lang, "天河政务服务中心")
    pdf = render_pdf(doc, tmp_path / f"ticket-{lane}-{lang}.pdf")
    lines = _printed_lines(doc)
    boxes = _assert_same_paper(pdf, tmp_path, lines)
    heights = [bottom - top for top, bottom in boxes]
    tallest = max(range(len(heights)), key=heights.__getitem__)
    assert lines[tallest] == number, (heights, lines)
    assert heights[tallest] >= 1.3 * sorted(heights)[-2]  # clearly the largest, readable at arm's length


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_receipt_prints_the_same_everywhere(tmp_path: Path, lang: str) -> None:
    """One receipt for a single item, and one holding every catalog item (each item's lines on paper once)."""
    catalog = load_bundled_catalog()
    every = [Receipt(f"t{n}", f"1128-{n + 1:04d}", i.code, i.department, "x") for n, i in enumerate(catalog.items)]
    for name, receipts in (("one", every[:1]), ("every", every)):
        doc = receipt_doc(receipts, catalog, lang, "天河政务服务中心", applicant_name_masked="陈*芳",
                          applicant_id_masked="440106********1232",
                          now=dt.datetime(2026, 11, 28, 2, tzinfo=dt.UTC))
        pdf = render_pdf(doc, tmp_path / f"receipt-{name}-{lang}.pdf")
        _assert_same_paper(pdf, tmp_path, _printed_lines(doc))


def test_the_comparison_sees_latin_text_printed_blank(tmp_path: Path) -> None:
    """The check fails on the defect it is for: the same line with its digits left out differs in ink."""
    full = render_pdf(ReceiptDoc("回执", [ReceiptLine("证件号码：440106********1232")]), tmp_path / "a.pdf")
    blank = render_pdf(ReceiptDoc("回执", [ReceiptLine("证件号码：")]), tmp_path / "b.pdf")
    a, _ = _renders(full, tmp_path)
    b, _ = _renders(blank, tmp_path)
    top, bottom = _line_boxes(a)[-1]
    assert abs(a[top:bottom].sum() - b[top:bottom].sum()) > 0.10 * a[top:bottom].sum()


def test_lines_never_break_inside_a_number_or_before_closing_punctuation() -> None:
    from fpdf import FPDF

    from drivers.printer.receipt import NO_LINE_END, NO_LINE_START, font_file

    pdf = FPDF(unit="pt")
    file, index = font_file("")
    pdf.add_font("noto", "", str(file), collection_font_number=index)
    pdf.set_font("noto", "", 10)
    text = "请到民政窗口（2楼C区）提交，受理号 0427-0001。居民身份证：已读取（本人）。" * 3
    for width in range(60, 200, 7):
        lines = _wrap(pdf, text, float(width))
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        for a, b in itertools.pairwise(lines):
            assert b[:1] not in NO_LINE_START and a[-1:] not in NO_LINE_END, (width, a, b)
            assert not (a[-1:].isdigit() and b[:1].isdigit()), (width, a, b)


def test_paper_is_set_in_the_reduced_face_and_a_rare_name_in_the_full_one(tmp_path: Path) -> None:
    """The set-up builds a reduced print face (ASCII, CJK marks, GB 2312): a document wholly inside it is set in
    it (a fraction of a second instead of 8–10 s: tests/bench/test_bench_paper.py). A name with a character
    outside it (喆, common in names, in GBK but not GB 2312) takes the full face and prints the same everywhere."""
    from fontTools.ttLib import TTFont

    from drivers.printer import print_font
    from drivers.printer.receipt import face_for, font_file

    catalog = load_bundled_catalog()
    receipts = [Receipt("t1", "1128-0001", catalog.items[0].code, catalog.items[0].department, "x")]
    when = dt.datetime(2026, 11, 28, 2, tzinfo=dt.UTC)
    plain = receipt_doc(receipts, catalog, "zh_CN", "天河政务服务中心", applicant_name_masked="陈*芳",
                        applicant_id_masked="440106********1232", now=when)
    rare = receipt_doc(receipts, catalog, "zh_CN", "天河政务服务中心", applicant_name_masked="陈*喆",
                       applicant_id_masked="440106********1232", now=when)
    for style in ("", "B"):
        full = font_file(style)
        reduced = print_font.usable(style, full[0])
        assert reduced is not None, "packaging/setup.sh builds the print faces (python -m drivers.printer.print_font)"
        cmap = TTFont(str(reduced), lazy=True).getBestCmap()
        assert ord("芳") in cmap and ord("喆") not in cmap and all(ord(c) in cmap for c in "A0001受理号：，（）")
        assert face_for(plain, style) == (reduced, 0)
        assert face_for(rare, style) == full
    pdf = render_pdf(rare, tmp_path / "receipt-rare.pdf")
    lines = _printed_lines(rare)
    assert any("陈*喆" in line for line in lines)
    _assert_same_paper(pdf, tmp_path, lines)
