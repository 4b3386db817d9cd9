"""What goes on paper, in one language, without Qt: the queue ticket and the submission receipt.

Paper promises only what the hall does: no text message is sent by anyone, so none is announced.
Priority (green channel) tickets carry their number in very large digits for people who see poorly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from drivers.printer.receipt import ReceiptDoc, ReceiptLine
from kiosk.catalog.model import Catalog
from kiosk.clock import CHINA_TZ
from kiosk.locale import phrase
from kiosk.services import Receipt
from kiosk.tickets import LANE_NAMES, Ticket

PRIORITY_DIGITS_PT = 64.0  # about 22 mm tall on the 80 mm roll; the widest number still fits one line
NORMAL_DIGITS_PT = 28.0

_TICKET_TITLE = phrase("printer.ticket.title")
_TICKET_FOOTER = phrase("printer.ticket.footer")
_RECEIPT_TITLE = phrase("printer.receipt.title")
_RECEIPT_FOOTER = phrase("printer.receipt.footer")


def _local(ts: str | dt.datetime | None) -> str:
    when = dt.datetime.fromisoformat(ts) if isinstance(ts, str) and ts else (ts or dt.datetime.now(dt.UTC))
    return when.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")


def ticket_doc(ticket: Ticket, lang: str, hall_name: str) -> ReceiptDoc:
    size = PRIORITY_DIGITS_PT if ticket.large else NORMAL_DIGITS_PT
    return ReceiptDoc(title=f"{hall_name}\n{_TICKET_TITLE.get(lang)}",
                      lines=[ReceiptLine(ticket.number, size, True),
                             ReceiptLine(LANE_NAMES[ticket.lane].get(lang), 12.0),
                             ReceiptLine(_local(ticket.created_at), 9.0)],
                      footer=_TICKET_FOOTER.get(lang))


def receipt_doc(receipts: Sequence[Receipt], catalog: Catalog, lang: str, hall_name: str, *,
                applicant_name_masked: str, applicant_id_masked: str,
                now: dt.datetime | None = None) -> ReceiptDoc:
    """The receipt for one submission (one line block per item). Callers pass masked name and ID only."""
    lines = [ReceiptLine(phrase("printer.receipt.applicant", name=applicant_name_masked).get(lang)),
             ReceiptLine(phrase("printer.receipt.id_number", number=applicant_id_masked).get(lang)),
             ReceiptLine(_local(now)), ReceiptLine("")]
    for r in receipts:
        item = catalog.item(r.item_code)
        lines.append(ReceiptLine(item.name.get(lang), 11.0, True))
        lines.append(ReceiptLine(phrase("printer.receipt.number", number=r.number).get(lang)))
        window = catalog.department(item.department).window
        for m in item.materials:
            if not m.waived_by:
                lines.append(ReceiptLine(phrase("printer.receipt.hand_in", material=m.name, window=window).get(lang),
                                         9.0))
        lines.append(ReceiptLine(""))
    return ReceiptDoc(title=f"{hall_name}\n{_RECEIPT_TITLE.get(lang)}", lines=lines,
                      footer=_RECEIPT_FOOTER.get(lang))
