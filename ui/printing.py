"""Receipts and queue tickets as paper: build the (masked, one-language) document and print it on a worker
thread through `drivers.printer`; the result comes back to the GUI thread as ok/failed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from drivers.printer import ReceiptDoc, ReceiptLine
from kiosk.clock import CHINA_TZ
from kiosk.services import Receipt
from ui.i18n import tr
from ui.journey import name_in


def receipt_doc(win: Any, receipts: list[Receipt], applicant_name: str, applicant_id: str) -> ReceiptDoc:
    lang = win.lang
    catalog = win.deps.catalog
    now = dt.datetime.now(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
    lines = [ReceiptLine(tr("Applicant: %1").replace("%1", applicant_name)),
             ReceiptLine(tr("ID: %1").replace("%1", applicant_id)),
             ReceiptLine(now), ReceiptLine("")]
    for r in receipts:
        item = catalog.item(r.item_code)
        lines.append(ReceiptLine(item.name.get(lang), 11.0, True))
        lines.append(ReceiptLine(tr("Receipt number: %1").replace("%1", r.receipt_no)))
        for m in item.materials:
            if not m.waived_by:
                window = catalog.department(item.department).window.get(lang)
                lines.append(ReceiptLine(tr("%1: please hand it in at %2").replace("%1", m.name.get(lang))
                                         .replace("%2", window), 9.0))
        lines.append(ReceiptLine(""))
    return ReceiptDoc(title=name_in(win.deps.config.display_name, lang) + " — " + tr("Receipt"), lines=lines,
                      footer=tr("Keep this receipt. The hall's own number follows by text message."))


def print_doc(win: Any, doc: ReceiptDoc, name: str, done: Callable[[bool], None]) -> None:
    printer = win.deps.printer
    win.deps.runner.submit(lambda _store: printer.print_receipt(doc, name), lambda _r: done(True),
                           lambda _e: done(False))


def print_ticket(win: Any, ticket: dict[str, Any], done: Callable[[bool], None]) -> None:
    lane = tr("Priority queue") if ticket["lane"] == "priority" else tr("Normal queue")
    doc = ReceiptDoc(title=name_in(win.deps.config.display_name, win.lang) + " — " + tr("Your queue number"),
                     lines=[ReceiptLine(ticket["number"], 28.0, True), ReceiptLine(lane, 12.0)],
                     footer=tr("Please wait until your number is called."))
    print_doc(win, doc, "ticket-" + ticket["number"], done)
