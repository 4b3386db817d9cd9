"""Receipts and queue tickets as paper: build the (masked, one-language) document and print it on a worker
thread through `drivers.printer`; the result comes back to the GUI thread as ok/failed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drivers.printer import ReceiptDoc, ReceiptLine
from kiosk.messages import Message
from kiosk.services import Receipt
from ui.i18n import tr
from ui.script import name_in


def receipt_doc(win: Any, receipts: list[Receipt], applicant_name: str, applicant_id: str) -> ReceiptDoc:
    """The paper receipt (built by the core's document rules: masked, one language, no promise of a text
    message); `applicant_name` and `applicant_id` are already masked."""
    from drivers.printer.documents import receipt_doc as build

    lang = win.lang
    return build(receipts, win.deps.catalog, lang, name_in(win.deps.config.display_name, lang),
                 applicant_name_masked=applicant_name, applicant_id_masked=applicant_id)


def print_doc(win: Any, doc: ReceiptDoc, name: str, done: Callable[[bool], None]) -> None:
    printer = win.deps.printer
    win.deps.runner.submit(lambda _store: printer.print_receipt(doc, name), lambda _r: done(True),
                           lambda _e: done(False))


def print_ticket(win: Any, ticket: dict[str, Any], done: Callable[[bool], None]) -> None:
    lane = {"priority": Message("优先窗口（绿色通道）", "Priority queue (green channel)"),
            "difficult": Message("疑难事项窗口", "Difficult-case window")}.get(
        ticket["lane"], Message("普通窗口", "Normal queue")).get(win.lang)
    # Priority tickets print with very large digits: many holders read them without glasses.
    size = 64.0 if ticket["lane"] == "priority" else 28.0
    doc = ReceiptDoc(title=name_in(win.deps.config.display_name, win.lang) + " — " + tr("Your queue number"),
                     lines=[ReceiptLine(ticket["number"], size, True), ReceiptLine(lane, 12.0)],
                     footer=tr("Please wait until your number is called."))
    print_doc(win, doc, "ticket-" + ticket["number"], done)
