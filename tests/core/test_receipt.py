"""Paper tells the truth: the rendered PDFs (read back with Poppler's pdftotext) promise no text message, and a
priority ticket's number is printed in very large digits."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from drivers.printer.documents import NORMAL_DIGITS_PT, PRIORITY_DIGITS_PT, receipt_doc, ticket_doc
from drivers.printer.receipt import render_pdf
from kiosk.catalog import load_bundled_catalog
from kiosk.services import Receipt
from kiosk.tickets import Ticket

# Ways a receipt could announce a message that nobody sends.
PROMISES = ("短信", "text message", "SMS", "sms", "发送到您的手机", "will be sent", "follows by")


# Noto Sans CJK's ascent + descent (FontDescriptor 1160 + 288 per 1000): a word box's height over its size.
_BOX_PER_POINT = 1.448


def _lines(pdf: Path) -> list[tuple[str, set[float]]]:
    """Each text line with its font sizes, read back by Poppler (pdfminer cannot decode an embedded CID CMap)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("poppler-utils is installed by packaging/setup.sh --dev")
    xhtml = subprocess.run([tool, "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    ns = "{http://www.w3.org/1999/xhtml}"
    out = []
    for line in ET.fromstring(xhtml).iter(f"{ns}line"):
        words = list(line.iter(f"{ns}word"))
        sizes = {round((float(w.get("yMax", 0)) - float(w.get("yMin", 0))) / _BOX_PER_POINT, 1) for w in words}
        out.append((" ".join(w.text or "" for w in words).strip(), sizes))
    return out


def _ticket(lane: str, number: str) -> Ticket:
    return Ticket("01a2-t", number, lane, "kiosk-a", "2026-11-28T02:00:00.000+00:00", "2026-11-28")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_priority_ticket_prints_large_digits_and_no_promise(tmp_path: Path, lang: str) -> None:
    pdf = render_pdf(ticket_doc(_ticket("priority", "Y2017"), lang, "天河政务服务中心"), tmp_path / "p.pdf")
    lines = _lines(pdf)
    assert ("Y2017", {PRIORITY_DIGITS_PT}) in lines
    assert PRIORITY_DIGITS_PT >= 2 * NORMAL_DIGITS_PT
    text = "\n".join(t for t, _ in lines)
    assert not any(p in text for p in PROMISES)
    assert "10:00" in text  # 02:00 UTC printed in hall time

    normal = _lines(render_pdf(ticket_doc(_ticket("normal", "A2018"), lang, "hall"), tmp_path / "n.pdf"))
    assert ("A2018", {NORMAL_DIGITS_PT}) in normal


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_receipt_has_its_numbers_and_windows_and_no_text_message_promise(tmp_path: Path, lang: str) -> None:
    catalog = load_bundled_catalog()
    receipts = [Receipt("t1", "kiosk-a-20261128-0001", "cross_region_filing", "medical_insurance", "x"),
                Receipt("t2", "kiosk-a-20261128-0002", "pension_qualification", "hrss", "x")]
    doc = receipt_doc(receipts, catalog, lang, "天河政务服务中心", applicant_name_masked="陈*",
                      applicant_id_masked="440106********1232", now=dt.datetime(2026, 11, 28, 2, tzinfo=dt.UTC))
    text = "\n".join(t for t, _ in _lines(render_pdf(doc, tmp_path / "r.pdf")))
    flat = text.replace("\n", "")
    # The human 受理号 (month-day and the day's count); the internal number stays in the record, off the paper.
    assert "1128-0001" in flat and "1128-0002" in flat and "kiosk-a-20261128" not in flat
    assert "440106********1232" in flat and "陈*" in flat
    window = catalog.department("medical_insurance").window.get(lang)
    assert window.replace(" ", "") in flat.replace(" ", "")  # where the residence proof is handed in
    assert not any(p in flat for p in PROMISES)
