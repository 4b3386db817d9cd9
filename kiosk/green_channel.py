"""Green channel (绿色通道): suggest priority from the card (age), and record staff switching a visit to priority
with a reason from a short list. The reason is sealed (it can be health data); who confirmed is audited."""

from __future__ import annotations

from kiosk import audit, services
from kiosk.locale import phrase
from kiosk.messages import KioskError, Message
from kiosk.rights import Action, require
from kiosk.session import Helper, Mode, Session
from kiosk.store.db import Store, utcnow_iso
from kiosk.store.outbox import new_id

PRIORITY_REASONS: dict[str, Message] = {
    "elderly": phrase("green_channel.priority_reasons.elderly"),
    "disability": phrase("green_channel.priority_reasons.disability"),
    "veteran": phrase("green_channel.priority_reasons.veteran"),
    "pregnancy": phrase("green_channel.priority_reasons.pregnancy"),
    "other": phrase("green_channel.priority_reasons.other"),
}


def suggest_priority(session: Session) -> str | None:
    """"elderly" when the card says the person has reached the hall's elderly age; other reasons only staff see."""
    return "elderly" if session.is_elderly else None


def confirm_priority(store: Store, session: Session, staff: Helper, reason: str) -> str:
    """Staff switch the visit into priority mode; returns the confirmation id. A volunteer is refused."""
    require(staff, Action.PRIORITY_MODE)
    if reason not in PRIORITY_REASONS:
        raise KioskError("reason_unknown", phrase("green_channel.reason_unknown"),
                         detail=reason)
    session.set_mode(Mode.PRIORITY, staff)
    cid = new_id()
    with store.transaction() as c:
        c.execute("INSERT INTO priority_confirmations(id, session_id, confirmed_by, created_at, reason_enc) "
                  "VALUES (?,?,?,?,?)", (cid, session.id, staff.helper_id, utcnow_iso(),
                                         store.seal("priority_confirmations", cid, {"reason": reason})))
        audit.append(store, audit.actor_for(staff), "priority_confirmed", {"session": session.id, "confirmation": cid,
                                                                          "suggested": suggest_priority(session)})
        services.record_session(store, session, "mode_change")
    return cid
