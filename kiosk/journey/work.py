"""Runs the journey's store effects on the worker thread (`run(effect, store, ctx)`): the business services do
the work; this module only maps an effect to its service call. Qt-free, so tests run it on a real store.

Where a service of the kiosk core (H7's tickets, roster sign-in, batch, difficult cases, paper authorization)
is present it is used; the older call stands in until it lands, and says so below."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kiosk import audit, authorizations, services
from kiosk.catalog.model import Catalog
from kiosk.journey.machine import Effect
from kiosk.messages import KioskError, Message
from kiosk.session import EndReason, Mode, Session
from kiosk.store.db import Store

# Effects the worker runs (store / trust material); the others (printing, waking the sync worker, asking the
# hub about a help request) belong to the front end.
WORKER_KINDS = frozenset({"record_session", "lookup_badge", "verify_pin", "verify_code", "find_authorization",
                          "record_authorization_use", "record_paper_authorization", "submit", "take_ticket",
                          "request_help", "record_difficult", "known_phone", "batch_submit"})


@dataclass
class WorkContext:
    kiosk_id: str
    catalog: Catalog
    verify_code: Callable[[str, Store], Any] | None = None
    _roster: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def roster(self, store: Store) -> Any:
        from kiosk.roster import Roster

        # One roster per kiosk process, so the in-memory PIN lockout (until the persistent one lands) counts
        # every attempt; re-read when the cache was refreshed (member count changed).
        with self._lock:
            fresh = Roster.from_store(store)
            if self._roster is None or len(self._roster) != len(fresh):
                self._roster = fresh
            return self._roster


def run(effect: Effect, store: Store, ctx: WorkContext) -> Any:
    """Do the effect's work and return the value the journey expects in `Result(effect.kind)`."""
    d = effect.data
    k = effect.kind
    if k == "record_session":
        services.record_session(store, d["session"], d["event"])
        return None
    if k == "lookup_badge":
        return ctx.roster(store).member_for_badge(d["uid"])
    if k == "verify_pin":
        return _verify_pin(store, ctx, d["member_id"], d["pin"], d.get("badge_uid"))
    if k == "verify_code":
        if ctx.verify_code is None:
            return None
        return ctx.verify_code(d["payload"], store)
    if k == "find_authorization":
        return authorizations.find_registered(store, d["principal_id_number"], d["agent_id_number"], d["items"],
                                              d["day"])
    if k == "record_authorization_use":
        authorizations.record_use(store, d["authorization"], ctx.kiosk_id, d["session_id"])
        return None
    if k == "record_paper_authorization":
        return _record_paper(store, ctx, d)
    if k == "submit":
        return services.submit_items(store, d["session"], ctx.catalog, ctx.kiosk_id)
    if k == "take_ticket":
        return _take_ticket(store, ctx, d)
    if k == "request_help":
        return services.request_help(store, d["session"], ctx.kiosk_id, note=d.get("note"))
    if k == "record_difficult":
        return _record_difficult(store, ctx, d)
    if k == "known_phone":
        return _known_phone(store, d["id_number"])
    if k == "batch_submit":
        return _batch_submit(store, ctx, d)
    raise ValueError(f"not a worker effect: {k}")


def _verify_pin(store: Store, ctx: WorkContext, member_id: str, pin: str, badge_uid: str | None) -> Any:
    from kiosk import roster as roster_mod

    roster = ctx.roster(store)
    persistent = getattr(roster_mod, "verify_member_pin", None)
    if persistent is not None:  # H7: lockout persisted in the store, shared with every sign-in
        return persistent(store, roster, member_id, pin)
    return roster.verify_pin(member_id, pin)


def _take_ticket(store: Store, ctx: WorkContext, d: dict[str, Any]) -> dict[str, Any]:
    try:
        from kiosk import tickets
    except ImportError:
        tickets = None  # type: ignore[assignment]
    session: Session | None = d.get("session")
    if tickets is not None and hasattr(tickets, "take_ticket"):
        t = tickets.take_ticket(store, kiosk_id=ctx.kiosk_id, lane=d.get("lane"), session=session,
                                request_id=d.get("request_id"), helper=session.helper if session else None)
        body = t.body() if hasattr(t, "body") else dict(t)
        body.setdefault("large", bool(getattr(t, "large", body.get("lane") == "priority")))
        return body
    return services.take_ticket(store, session, ctx.kiosk_id)


def _record_difficult(store: Store, ctx: WorkContext, d: dict[str, Any]) -> dict[str, Any]:
    try:
        from kiosk import difficult
    except ImportError:
        difficult = None  # type: ignore[assignment]
    if difficult is not None and hasattr(difficult, "open_case"):
        case = difficult.open_case(store, d.get("session"), kiosk_id=ctx.kiosk_id, item_code=d.get("item_code"),
                                   step=d["step"], reason=d["reason"], phone=d.get("phone"),
                                   request_id=d.get("request_id"))
        t = case.ticket
        return t.body() if hasattr(t, "body") else dict(t)
    raise KioskError("difficult_unavailable", Message("疑难事项登记暂不可用，请到服务台办理",
                                                      "Difficult cases cannot be recorded here yet. Please go to "
                                                      "the service desk."))


def _record_paper(store: Store, ctx: WorkContext, d: dict[str, Any]) -> Any:
    staff = d["staff"]
    auth = d["authorization"]
    # Recorded in the audit chain with who confirmed it and why; no personal data in the entry.
    audit.append(store, staff.helper_id, "paper_authorization",
                 {"authorization_id": auth.id, "reason": d["reason"], "items": d["items"],
                  "session_id": d["session_id"], "kiosk_id": ctx.kiosk_id})
    authorizations.record_use(store, auth, ctx.kiosk_id, d["session_id"])
    return auth.id


def _known_phone(store: Store, id_number: str) -> str | None:
    try:
        from kiosk import contacts  # type: ignore[attr-defined]
    except ImportError:
        return None
    lookup = getattr(contacts, "known_phone", None)
    return lookup(store, id_number) if lookup is not None else None


def _batch_submit(store: Store, ctx: WorkContext, d: dict[str, Any]) -> list[tuple[str, str, Message | None]]:
    """Each person their own session, transaction and receipt; a refusal is reported and the others kept."""
    helper = d["helper"]
    out: list[tuple[str, str, Message | None]] = []
    for person in d["people"]:
        who = f"{person.display_name} {person.display_id_number}".strip()
        s = Session(elderly_age=60)
        try:
            s.set_mode(Mode.ASSISTED, helper)
            s.identify(person)
            s.select_items([d["item_code"]])
            receipts = services.submit_items(store, s, ctx.catalog, ctx.kiosk_id)
            out.append((who, receipts[0].receipt_no if receipts else "", None))
        except KioskError as exc:
            out.append((who, "", exc.message))
        finally:
            s.end(EndReason.DONE)
    return out
