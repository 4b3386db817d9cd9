"""Paper tells the truth: the rendered PDFs (read back with pdfminer) promise no text message, and a priority
ticket's number is printed in very large digits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTTextContainer

from drivers.printer.documents import NORMAL_DIGITS_PT, PRIORITY_DIGITS_PT, receipt_doc, ticket_doc
from drivers.printer.receipt import render_pdf
from kiosk.catalog import load_bundled_catalog
from kiosk.services import Receipt
from kiosk.tickets import Ticket

# Ways a receipt could announce a message that nobody sends.
PROMISES = ("短信", "text message", "SMS", "sms", "发送到您的手机", "will be sent", "follows by")


def _lines(pdf: Path) -> list[tuple[str, set[float]]]:
    out = []
    for page in extract_pages(pdf):
        for box in page:
            if isinstance(box, LTTextContainer):
                for line in box:
                    sizes = {round(c.size, 1) for c in line if isinstance(c, LTChar)}
                    out.append((line.get_text().strip(), sizes))
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
    assert "kiosk-a-20261128-0001" in flat and "kiosk-a-20261128-0002" in flat
    assert "440106********1232" in flat and "陈*" in flat
    window = catalog.department("medical_insurance").window.get(lang)
    assert window.replace(" ", "") in flat.replace(" ", "")  # where the residence proof is handed in
    assert not any(p in flat for p in PROMISES)
