"""Business actions a screen triggers: submit items, take a ticket, call for help. Each is one SQLite
transaction holding the record(s), their outbox entries and the audit entry, so nothing is half-written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from kiosk import audit, tickets
from kiosk.catalog.model import Catalog
from kiosk.clock import CHINA_TZ
from kiosk.identity.record import IdentityRecord
from kiosk.locale import phrase
from kiosk.messages import KioskError
from kiosk.session import Mode, Session
from kiosk.store.db import Store, utcnow_iso
from kiosk.store.outbox import enqueue, new_id
from kiosk.tickets import TicketNumbering


@dataclass(frozen=True)
class Receipt:
    """What the citizen takes home: a local receipt number per item (the hub adds its 受理编号 later)."""

    transaction_id: str
    receipt_no: str  # internal and unique: "<kiosk>-<YYYYMMDD>-<NNNN>" (kept in the record and sent to the hub)
    item_code: str
    department: str
    created_at: str

    @property
    def number(self) -> str:
        """The 受理号 a person reads and says at a counter: "0427-0001" (month, day, the day's count)."""
        return human_receipt_number(self.receipt_no)


def human_receipt_number(receipt_no: str) -> str:
    """"demo-kiosk-01-20260427-0001" → "0427-0001"; a number in another form is returned as it is."""
    m = re.search(r"-\d{4}(\d{4})-(\d{4})$", receipt_no)
    return f"{m.group(1)}-{m.group(2)}" if m else receipt_no


def done_today(store: Store, id_number: str, day: dt.date) -> dict[str, str]:
    """Items this person already submitted on this kiosk on `day` (hall time): item code → the latest receipt
    number, so the journey can ask before the same item is submitted twice in one day."""
    if not id_number:
        return {}
    rows = store.conn.execute("SELECT item_code, receipt_no FROM transactions WHERE applicant_hmac=? AND receipt_no "
                              "LIKE ? ORDER BY receipt_no", (store.lookup_hash(id_number), f"%-{day:%Y%m%d}-%"))
    return {r["item_code"]: r["receipt_no"] for r in rows}


def _next_daily_number(store: Store, table: str, column: str, prefix: str) -> int:
    row = store.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} LIKE ?", (prefix + "%",)).fetchone()
    return int(row[0]) + 1


def _identity_payload(record: IdentityRecord | None) -> dict[str, Any] | None:
    return record.to_json_dict() if record is not None else None


def submit_items(store: Store, session: Session, catalog: Catalog, kiosk_id: str,
                 form_values: dict[str, Any] | None = None, *, batch_id: str | None = None) -> list[Receipt]:
    """One transaction per chosen item (一张表: one form, several departments), all committed together.

    The signed-in helper's roster id goes on every transaction and authorization use; `batch_id` ties the
    transactions of one batch (批量办理) together."""
    if session.principal is None:
        raise KioskError("not_identified", phrase("services.not_identified"))
    if not session.selected_items:
        raise KioskError("nothing_selected", phrase("services.nothing_selected"))
    values = dict(session.form_values if form_values is None else form_values)
    for code in session.selected_items:
        item = catalog.item(code)
        if session.mode is Mode.PROXY and not item.proxy_allowed:
            raise KioskError("agent_not_allowed", phrase("services.agent_not_allowed", name=item.name))
    day = dt.datetime.now(CHINA_TZ).strftime("%Y%m%d")
    prefix = f"{kiosk_id}-{day}-"
    principal_hash = store.lookup_hash(session.principal.id_number or session.principal.card_number or "")
    helper_id = session.helper.helper_id if session.helper else None
    auth_row = store.conn.execute("SELECT source FROM authorizations WHERE id=?",
                                  (session.authorization_id,)).fetchone() if session.authorization_id else None
    # registered | paper from the table; a grant code's authorization is checked on the spot and not stored.
    auth_source = auth_row["source"] if auth_row else ("grant_code" if session.authorization_id else None)
    receipts: list[Receipt] = []
    with store.transaction() as c:
        seq = _next_daily_number(store, "transactions", "receipt_no", prefix)
        for code in session.selected_items:
            item = catalog.item(code)
            tid = new_id()
            now = utcnow_iso()
            receipt_no = f"{prefix}{seq:04d}"
            seq += 1
            fields = {f: values.get(f) for f in item.fields if values.get(f) not in (None, "")}
            payload = {
                "transaction_id": tid, "receipt_no": receipt_no, "kiosk_id": kiosk_id, "session_id": session.id,
                "item_code": code, "department": item.department, "mode": session.mode.value,
                "created_at": now, "catalog_version": catalog.version,
                "applicant": _identity_payload(session.principal),
                "agent": _identity_payload(session.agent),
                "authorization_id": session.authorization_id,
                "helper_id": helper_id, "batch_id": batch_id,
                "health_check": session.health_check,
                "form": fields,
                "waived_materials": [m.code for m in item.materials if m.waived_by],
            }
            c.execute(
                "INSERT INTO transactions(id, session_id, item_code, department, created_at, receipt_no, "
                "applicant_hmac, mode, payload_enc, helper_id, batch_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (tid, session.id, code, item.department, now, receipt_no, principal_hash, session.mode.value,
                 store.seal("transactions", tid, payload), helper_id, batch_id),
            )
            enqueue(store, "transaction", tid, payload)
            if session.mode is Mode.PROXY and session.authorization_id:
                use = {"authorization_id": session.authorization_id, "transaction_id": tid, "kiosk_id": kiosk_id,
                       "used_at": now, "helper_id": helper_id, "source": auth_source}
                enqueue(store, "authorization_use", tid, use)
            receipts.append(Receipt(tid, receipt_no, code, item.department, now))
        audit.append(store, _actor(session), "submit",
                     {"session": session.id, "items": list(session.selected_items), "mode": session.mode.value,
                      "count": len(receipts), "batch": batch_id})
    return receipts


def take_ticket(store: Store, session: Session | None, kiosk_id: str, service_code: str | None = None, *,
                lane: str | None = None, request_id: str | None = None,
                numbering: TicketNumbering | None = None) -> dict[str, Any]:
    """Compatibility wrapper over `kiosk.tickets.take_ticket`: the ticket's hub body as a dict."""
    return tickets.take_ticket(store, kiosk_id=kiosk_id, lane=lane, session=session, request_id=request_id,
                               service_code=service_code, numbering=numbering).body()


_REASON_CODE = re.compile(r"^[a-z_]{1,32}$")


def request_help(store: Store, session: Session | None, kiosk_id: str, kind: str = "help_request",
                 note: dict[str, Any] | None = None, *, screen: str = "", item_code: str | None = None) -> str:
    """Call a volunteer (help_request) or open a bare difficult case (see kiosk/difficult.py for the full one).

    The hub body carries no personal data: `note` stays sealed on the kiosk; only a short reason code from it
    (e.g. "health_check") travels, with the screen the person was on and the item, if any."""
    if kind not in ("help_request", "difficult_case"):
        raise ValueError(kind)
    hid = new_id()
    now = utcnow_iso()
    elderly = bool(session and session.is_elderly)
    helper_id = session.helper.helper_id if session and session.helper else None
    reason = (note or {}).get("reason")
    with store.transaction() as c:
        c.execute("INSERT INTO help_requests(id, created_at, kind, session_id, note_enc, priority, helper_id) "
                  "VALUES (?,?,?,?,?,?,?)",
                  (hid, now, kind, session.id if session else None,
                   store.seal("help_requests", hid, note or {}), int(elderly), helper_id))
        enqueue(store, kind, hid, {"help_request_id": hid, "kind": kind, "kiosk_id": kiosk_id, "created_at": now,
                                   "priority": elderly, "elderly": elderly, "screen": screen,
                                   "item_code": item_code, "session_id": session.id if session else None,
                                   "helper_id": helper_id,
                                   "reason": reason if isinstance(reason, str) and _REASON_CODE.match(reason)
                                   else None})
        audit.append(store, _actor(session), kind, {"id": hid, "screen": screen})
    return hid


def record_session(store: Store, session: Session, event: str) -> None:
    """Persist the session row and audit it (no personal data: hashes only). The journey calls it with `event`
    "visit_start" once the person is identified, "mode_change" after a mode switch, and "visit_end" after
    `session.end()`; the helper's roster id goes on the row and the audit entry."""
    p, a = session.principal, session.agent
    ph = store.lookup_hash(p.id_number or p.card_number or "") if p else None
    ah = store.lookup_hash(a.id_number or a.card_number or "") if a else None
    with store.transaction() as c:
        c.execute(
            "INSERT INTO sessions(id, started_at, mode, principal_hmac, agent_hmac, helper_id) VALUES (?,?,?,?,?,?) "
            "ON CONFLICT(id) DO UPDATE SET mode=excluded.mode, principal_hmac=COALESCE(excluded.principal_hmac, "
            "principal_hmac), agent_hmac=COALESCE(excluded.agent_hmac, agent_hmac), helper_id=excluded.helper_id",
            (session.id, session.started_at.isoformat(), session.mode.value, ph, ah,
             session.helper.helper_id if session.helper else None))
        if session.ended is not None:
            c.execute("UPDATE sessions SET ended_at=?, end_reason=? WHERE id=?",
                      (utcnow_iso(), session.ended.value, session.id))
        audit.append(store, _actor(session), event, {"session": session.id, "mode": session.mode.value})


def _actor(session: Session | None) -> str:
    return audit.actor_for(session.helper if session else None)
