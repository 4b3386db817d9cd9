"""`kiosk ticket take` prints here: the ticket as paper on the configured printer (found by the core through the
`kiosk.ticket_printers` entry point, so the core never names this package)."""

from __future__ import annotations

from drivers.printer.documents import ticket_doc
from drivers.printer.spool import ReceiptPrinter
from kiosk.config import KioskConfig
from kiosk.tickets import Ticket


def print_ticket(ticket: Ticket, cfg: KioskConfig) -> None:
    """Print one ticket; raises KioskError (kind `print_failed`) when the printer refuses."""
    doc = ticket_doc(ticket, cfg.ui.language, cfg.display_name)
    ReceiptPrinter(cfg.printer).print_receipt(doc, "ticket-" + ticket.number)
