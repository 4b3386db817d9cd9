"""Green channel (绿色通道): suggest priority from the card (age), and record staff switching a visit to priority
with a reason from a short list. The reason is sealed (it can be health data); who confirmed is audited."""

from __future__ import annotations

from kiosk import audit, services
from kiosk.messages import KioskError, Message
from kiosk.rights import Action, require
from kiosk.session import Helper, Mode, Session
from kiosk.store.db import Store, utcnow_iso
from kiosk.store.outbox import new_id

PRIORITY_REASONS: dict[str, Message] = {
    "elderly": Message("老年人（60岁及以上）", "Older person (60 or over)"),
    "disability": Message("残疾人", "Person with a disability"),
    "veteran": Message("军人、退役军人及优抚对象", "Serviceman, veteran or entitled family"),
    "pregnancy": Message("孕妇或带婴幼儿", "Pregnant or with a small child"),
    "other": Message("其他特殊困难（工作人员确认）", "Other special need (confirmed by staff)"),
}


def suggest_priority(session: Session) -> str | None:
    """"elderly" when the card says the person has reached the hall's elderly age; other reasons only staff see."""
    return "elderly" if session.is_elderly else None


def confirm_priority(store: Store, session: Session, staff: Helper, reason: str) -> str:
    """Staff switch the visit into priority mode; returns the confirmation id. A volunteer is refused."""
    require(staff, Action.PRIORITY_MODE)
    if reason not in PRIORITY_REASONS:
        raise KioskError("reason_unknown", Message("请从列表中选择原因", "Please choose a reason from the list"),
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
