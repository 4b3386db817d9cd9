"""Runs the journey's store effects on the worker thread (`run(effect, store, ctx)`): the core services do the
work (tickets, roster sign-in, rights, paper authorizations, green channel, batch, difficult cases, known phone);
this module only maps an effect to its service call. Qt-free, so tests run it on a real store."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kiosk import authorizations, difficult, green_channel, roster, services, tickets
from kiosk.badge import BadgeVerifier
from kiosk.batch import Batch
from kiosk.catalog.model import Catalog
from kiosk.journey.states import Effect
from kiosk.known_phone import known_phone
from kiosk.store.db import Store

# Effects the worker runs (store / trust material); the others (printing, waking the sync worker, asking the
# hub about a help request) belong to the front end.
WORKER_KINDS = frozenset({"record_session", "lookup_badge", "sign_in", "sign_out", "verify_code",
                          "find_authorization", "record_authorization_use", "confirm_paper", "confirm_priority",
                          "submit", "take_ticket", "request_help", "record_difficult", "known_phone", "batch_start",
                          "batch_add", "batch_add_typed", "batch_finish", "done_today"})


@dataclass
class WorkContext:
    kiosk_id: str
    catalog: Catalog
    verify_code: Callable[[str, Store], Any] | None = None
    numbering: Any = None  # kiosk.tickets.TicketNumbering of this kiosk (its block of numbers)
    numbering_for: Callable[[Store], Any] | None = None  # else the numbering read at ticket time (hub's slot)
    remote_phone: Callable[[str], str | None] | None = None  # the hub's known-phone look-up, when online
    batch: Batch | None = None  # the batch in progress (lives on the worker with its store)
    badge_pin: BadgeVerifier | None = None  # the badge on the reader checks a PIN (drivers/badge_pin.py)
    _lock: threading.Lock = field(default_factory=threading.Lock)


def _ticket_body(t: Any) -> dict[str, Any]:
    body = dict(t.body())
    body["large"] = bool(t.large)  # priority tickets: very large digits on screen and paper
    return body


def run(effect: Effect, store: Store, ctx: WorkContext) -> Any:
    """Do the effect's work and return the value the journey expects in `Result(effect.kind)`."""
    d = effect.data
    k = effect.kind
    if k == "record_session":
        services.record_session(store, d["session"], d["event"])
        return None
    if k == "lookup_badge":
        return roster.Roster.from_store(store).member_for_badge(d["uid"])
    if k == "sign_in":
        return roster.sign_in(store, roster.Roster.from_store(store), d["badge_uid"], d["pin"], badge=ctx.badge_pin)
    if k == "sign_out":
        roster.sign_out(store, d["helper"], d["reason"])
        return None
    if k == "verify_code":
        return ctx.verify_code(d["payload"], store) if ctx.verify_code is not None else None
    if k == "find_authorization":
        return authorizations.find_registered(store, d["principal_id_number"], d["agent_id_number"], d["items"],
                                              d["day"])
    if k == "record_authorization_use":
        authorizations.record_use(store, d["authorization"], ctx.kiosk_id, d["session_id"])
        return None
    if k == "confirm_paper":
        return authorizations.confirm_paper(
            store, roster.Roster.from_store(store), member_id=d["member_id"], pin=d["pin"], reason=d["reason"],
            principal=d["principal"], agent=d["agent"], item_codes=d["items"], catalog=ctx.catalog,
            kiosk_id=ctx.kiosk_id, session_id=d["session_id"])
    if k == "confirm_priority":
        return green_channel.confirm_priority(store, d["session"], d["staff"], d["reason"])
    if k == "submit":
        return services.submit_items(store, d["session"], ctx.catalog, ctx.kiosk_id)
    if k == "take_ticket":
        session = d.get("session")
        numbering = ctx.numbering_for(store) if ctx.numbering_for is not None else ctx.numbering
        kw: dict[str, Any] = {} if numbering is None else {"numbering": numbering}
        t = tickets.take_ticket(store, kiosk_id=ctx.kiosk_id, lane=d.get("lane"), session=session,
                                request_id=d.get("request_id"), helper=session.helper if session else None, **kw)
        return _ticket_body(t)
    if k == "request_help":
        return services.request_help(store, d["session"], ctx.kiosk_id, note=d.get("note"),
                                     screen=d.get("screen") or "", item_code=d.get("item_code"))
    if k == "record_difficult":
        case = difficult.open_case(store, d.get("session"), kiosk_id=ctx.kiosk_id, item_code=d.get("item_code"),
                                   step=d["step"], reason=d["reason"], phone=d.get("phone"),
                                   numbering=ctx.numbering_for(store) if ctx.numbering_for is not None
                                   else ctx.numbering, request_id=d.get("request_id"))
        return _ticket_body(case.ticket)
    if k == "done_today":
        return services.done_today(store, d["id_number"], d["day"])
    if k == "known_phone":
        kp = known_phone(store, d["id_number"], remote=ctx.remote_phone)
        return kp.phone if kp is not None else None
    if k == "batch_start":
        ctx.batch = Batch(store, ctx.catalog, d["helper"], d["item_code"], ctx.kiosk_id,
                          form_values=dict(d.get("form_values") or {}))
        return ctx.batch.item_code
    if k in ("batch_add", "batch_add_typed", "batch_finish"):
        batch = ctx.batch
        if batch is None:
            raise RuntimeError("no batch started")
        if k == "batch_add":
            return batch.add_card(d["record"])
        if k == "batch_add_typed":
            return batch.add_typed_id(d["number"])
        ctx.batch = None
        return batch.finish()
    raise ValueError(f"not a worker effect: {k}")
