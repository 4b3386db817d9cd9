"""`kiosk ticket take`: issue a queue ticket from the command line (technicians, scripts), queued for the hub."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kiosk import plugins
from kiosk.config import KioskConfig
from kiosk.locale import phrase
from kiosk.messages import KioskError
from kiosk.store.db import open_store
from kiosk.tickets import LANES, Ticket, TicketNumbering, take_ticket


def register(sub: Any) -> None:
    p = sub.add_parser("ticket", help="queue tickets")
    tsub = p.add_subparsers(dest="ticket_cmd", required=True)
    t = tsub.add_parser("take", help="issue a ticket (numbered from this kiosk's block) and queue it for the hub")
    t.add_argument("--lane", choices=LANES, default="normal")
    t.add_argument("--no-print", action="store_true", help="do not print the ticket")
    t.add_argument("--request-id", help="idempotency key: the same key returns the same ticket")
    t.add_argument("--json", action="store_true")
    t.set_defaults(handler=_take)


def _take(args: argparse.Namespace, ctx: Any) -> int:
    cfg = ctx.config
    store = open_store(cfg.data_dir)
    try:
        ticket = take_ticket(store, kiosk_id=cfg.kiosk_id, lane=args.lane, request_id=args.request_id,
                             numbering=TicketNumbering.for_kiosk(cfg, store))
    finally:
        store.close()
    out: dict[str, Any] = ticket.cli_json()
    if not args.no_print:
        try:
            _print(ticket, cfg)
            out["printed"] = True
        except KioskError as exc:
            # The ticket exists and is queued for the hub either way; say so rather than fail.
            out["printed"] = False
            out["print_error"] = exc.as_dict()
            print(f"{exc.message.zh}\n{exc.message.en}", file=sys.stderr)
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(f"{ticket.number} ({ticket.lane}) {ticket.ticket_id}")
    return 0


_NO_PRINTER = phrase("cli.ticket_cmds._no_printer")


def _print(ticket: Ticket, cfg: KioskConfig) -> None:
    """Print through the installed printer driver (the `kiosk.ticket_printers` entry point of drivers/)."""
    printers = plugins.load(plugins.TICKET_PRINTERS)
    if not printers:
        raise KioskError("no_printer", _NO_PRINTER)
    printers[0](ticket, cfg)
