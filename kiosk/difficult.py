"""Difficult cases (疑难事项): "这件事我办不了" records the item, the step, a reason from a short list and, if the
person gives one, a phone number (sealed), and issues a `difficult` lane ticket for the difficult-case window.

Hub record kind "difficult_case"; its body carries no personal data except the phone, and that only when given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kiosk import audit
from kiosk.clock import Clock, system_clock
from kiosk.locale import phrase
from kiosk.messages import KioskError, Message
from kiosk.session import Session
from kiosk.store.db import Store
from kiosk.store.outbox import enqueue, new_id
from kiosk.tickets import Ticket, TicketNumbering, take_ticket, ticket_for_request

REASONS: dict[str, Message] = {
    "materials_missing": phrase("difficult.reasons.materials_missing"),
    "not_found": phrase("difficult.reasons.not_found"),
    "refused": phrase("difficult.reasons.refused"),
    "details_wrong": phrase("difficult.reasons.details_wrong"),
    "too_hard": phrase("difficult.reasons.too_hard"),
    "other": phrase("difficult.reasons.other"),
}

_STEP = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Mainland mobile numbers, or a landline with its area code (digits only once spaces and dashes are gone).
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{9,11})$")


@dataclass(frozen=True)
class DifficultCase:
    case_id: str
    ticket: Ticket


def normalize_phone(phone: str) -> str:
    digits = re.sub(r"[\s-]", "", phone)
    if not _PHONE.match(digits):
        raise KioskError("phone_invalid", phrase("difficult.phone_invalid"))
    return digits


def _existing(store: Store, request_id: str) -> DifficultCase | None:
    row = store.conn.execute("SELECT d.id, t.id AS tid FROM difficult_cases d JOIN tickets t ON t.id = d.ticket_id "
                             "WHERE t.request_id=?", (request_id,)).fetchone()
    if row is None:
        return None
    ticket = ticket_for_request(store, request_id)
    return DifficultCase(row["id"], ticket) if ticket else None


def open_case(store: Store, session: Session | None, *, kiosk_id: str, item_code: str | None, step: str,
              reason: str, phone: str | None = None, numbering: TicketNumbering | None = None,
              request_id: str | None = None, clock: Clock = system_clock) -> DifficultCase:
    """Record the case and issue its ticket in one transaction; the same `request_id` returns the same case."""
    if reason not in REASONS:
        raise KioskError("reason_unknown", phrase("difficult.reason_unknown"),
                         detail=reason)
    if not _STEP.match(step):
        raise ValueError(f"step must be a short code, got {step!r}")
    number = normalize_phone(phone) if phone else None
    if request_id is not None and (earlier := _existing(store, request_id)) is not None:
        return earlier
    helper_id = session.helper.helper_id if session and session.helper else None
    case_id = new_id()
    with store.transaction() as c:
        ticket = take_ticket(store, kiosk_id=kiosk_id, lane="difficult", session=session, request_id=request_id,
                             numbering=numbering, clock=clock)
        c.execute("INSERT INTO difficult_cases(id, created_at, session_id, item_code, step, reason, ticket_id, "
                  "helper_id, phone_enc) VALUES (?,?,?,?,?,?,?,?,?)",
                  (case_id, ticket.created_at, session.id if session else None, item_code, step, reason,
                   ticket.ticket_id, helper_id,
                   store.seal("difficult_cases", case_id, {"phone": number}) if number else None))
        body: dict[str, Any] = {
            "case_id": case_id, "kiosk_id": kiosk_id, "created_at": ticket.created_at, "item_code": item_code,
            "step": step, "reason": reason, "reason_label": REASONS[reason].as_dict(), "elderly": ticket.elderly,
            "ticket_id": ticket.ticket_id, "number": ticket.number, "lane": "difficult", "helper_id": helper_id,
            "session_id": session.id if session else None,
        }
        if number:
            body["phone"] = number
        enqueue(store, "difficult_case", case_id, body)
        audit.append(store, audit.actor_for(session.helper if session else None), "difficult_case",
                     {"case": case_id, "ticket": ticket.number, "item": item_code, "step": step, "reason": reason})
    return DifficultCase(case_id, ticket)
