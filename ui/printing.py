"""Receipts and queue tickets as paper: build the (masked, one-language) document and print it on a worker
thread through `drivers.printer`; the result comes back to the GUI thread as ok/failed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drivers.printer import ReceiptDoc
from kiosk.services import Receipt
from ui.script import name_in


def receipt_doc(win: Any, receipts: list[Receipt], applicant_name: str, applicant_id: str) -> ReceiptDoc:
    """The paper receipt (built by the core's document rules: masked, one language, no promise of a text
    message); `applicant_name` and `applicant_id` are already masked."""
    from drivers.printer.documents import receipt_doc as build

    lang = win.lang
    return build(receipts, win.deps.catalog, lang, name_in(win.deps.config.display_name, lang),
                 applicant_name_masked=applicant_name, applicant_id_masked=applicant_id)


def print_doc(win: Any, doc: ReceiptDoc, name: str, done: Callable[[bool], None]) -> None:
    """Render and spool on the paper worker: a slow printer or font never holds up the visit's store work."""
    from ui.adapters import TaskRunner

    deps = win.deps
    if deps.paper is None:
        deps.paper = TaskRunner(deps.config.data_dir, "kiosk-paper", with_store=False)
    printer = deps.printer
    deps.paper.submit(lambda _store: printer.print_receipt(doc, name), lambda _r: done(True),
                           lambda _e: done(False))


def print_ticket(win: Any, ticket: dict[str, Any], done: Callable[[bool], None]) -> None:
    """The queue ticket as the core's document rules lay it out (the number the largest thing on the paper)."""
    from drivers.printer.documents import ticket_doc
    from kiosk.tickets import Ticket

    t = Ticket(str(ticket.get("ticket_id", "")), str(ticket["number"]), str(ticket.get("lane", "normal")),
               str(ticket.get("kiosk_id", "")), str(ticket.get("created_at") or ""), str(ticket.get("day", "")))
    doc = ticket_doc(t, win.lang, name_in(win.deps.config.display_name, win.lang))
    print_doc(win, doc, "ticket-" + t.number, done)
