"""What each event does while acting for someone (代办): the agent's card, the other person's card or typed ID
number, then a registered authorization, a grant code, or a paper one confirmed by staff."""

from __future__ import annotations

from typing import Any

from kiosk import authorizations as _paper
from kiosk.badge import BADGES_NEED_PCSC
from kiosk.clock import CHINA_TZ
from kiosk.identity.idnumber import validate_id_number
from kiosk.identity.record import IdentityRecord
from kiosk.journey import texts as tx
from kiosk.journey.events import (
    Badge,
    CardInserted,
    CodeScanned,
    Next,
    Result,
    Tap,
)
from kiosk.journey.parts import JourneyParts
from kiosk.journey.states import (
    PAPER_REASONS,
    S,
    helper_of,
)
from kiosk.messages import KioskError
from kiosk.session import HelperRole


class ProxySteps(JourneyParts):
    """Handlers of the proxy states (see `machine.TABLE`)."""

    # --- proxy ---------------------------------------------------------------------------------------------------
    def _proxy_agent_card(self, e: CardInserted) -> None:
        if not self._person_card(e.record):
            return
        self._start_visit(e.record)
        self._go(S.PROXY_PRINCIPAL)

    def _set_principal(self, record: IdentityRecord) -> None:
        v = self.visit
        agent = v.session.principal if v.session is not None else None
        if agent is not None and agent.id_number and agent.id_number.upper() == (record.id_number or "").upper():
            record.wipe()
            self._problem(tx.SAME_CARD)
            return
        if v.proxy_principal is not None:
            v.proxy_principal.wipe()
        v.proxy_principal = record
        self._after_identified()

    def _proxy_principal_card(self, e: CardInserted) -> None:
        if self._person_card(e.record):
            self._set_principal(e.record)

    def _proxy_principal_tap(self, e: Tap) -> None:
        if e.key == "type_id":
            self._go(S.PROXY_TYPED)

    def _proxy_typed_next(self, e: Next) -> None:
        value = e.value.strip().upper()
        if not validate_id_number(value):
            self._problem(tx.TYPED_ID_BAD)
            return
        self._set_principal(_paper.principal_from_typed_id(value))

    def _proxy_checked(self, e: Result) -> None:
        if e.kind != "find_authorization":
            return
        if e.error is not None:
            self.state = S.PROXY_CODE
            self.visit.authorize_asked = True
            self._problem(e.error)
            return
        if e.value is None:
            self.state = S.PROXY_CODE
            self.visit.authorize_asked = True
            self.visit.problem = None
            return
        self._authorized(e.value)

    def _verify_code(self, e: CodeScanned) -> None:
        self._emit("verify_code", payload=e.payload)

    def _proxy_code_tap(self, e: Tap) -> None:
        if e.key == "paper" and not self.settings.badges:
            self._problem(BADGES_NEED_PCSC)  # not offered on this kiosk (views.py); said plainly if it comes anyway
        elif e.key == "paper":
            v = self.visit
            staff = self.helper if self.helper is not None and self.helper.role is HelperRole.STAFF else None
            # Signed-in staff have laid their badge already; the PIN is asked again to confirm this paper.
            v.paper_stage = "reason" if staff is not None else "badge"
            v.paper_staff = staff
            v.paper_member = staff.helper_id if staff is not None else None
            v.paper_reason = None
            self._go(S.PROXY_PAPER)
        elif e.key == "volunteer":
            self._go(S.HELP)

    def _proxy_code_result(self, e: Result) -> None:
        if e.kind != "verify_code":
            return
        v = self.visit
        verdict = e.value
        s = v.session
        if verdict is None or e.error is not None:
            self._problem(tx.CODE_UNCHECKABLE)
            return
        if not verdict.ok:
            self._problem(tx.GRANT_REFUSED)
            return
        if s is None or s.principal is None or v.proxy_principal is None:
            return
        from kiosk import authorizations

        until = verdict.expires_at.astimezone(CHINA_TZ).date() if verdict.expires_at else self._today()
        try:
            auth = authorizations.from_grant_claims(verdict.claims or {}, v.proxy_principal.id_number or "",
                                                    s.principal.id_number or "", list(v.selected), until)
        except KioskError as exc:
            self._problem(exc.message)
            return
        self._authorized(auth)

    def _paper_badge(self, e: Badge) -> None:
        if self.visit.paper_stage != "badge":
            return
        self._emit("lookup_badge", uid=e.uid, purpose="paper")

    def _paper_reason(self, e: Tap) -> None:
        v = self.visit
        if e.key == "volunteer":
            self._go(S.HELP)
            return
        if e.key not in dict(PAPER_REASONS):
            return
        if v.paper_stage == "badge" or v.paper_member is None:
            self._problem(tx.PAPER_NEEDS_STAFF)  # no staff badge and PIN: nothing is recorded
            return
        v.paper_reason = e.key
        v.paper_stage = "pin"
        v.problem = None

    def _paper_pin(self, e: Next) -> None:
        v = self.visit
        if v.paper_stage != "pin" or v.busy:
            return
        if not (4 <= len(e.value) <= 8 and e.value.isdigit()):
            self._problem(tx.PIN_SHORT)
            return
        s, principal = v.session, v.proxy_principal
        if s is None or s.principal is None or principal is None:
            return
        v.busy = True
        # The core checks the PIN (shared lockout), the staff role and the reason, then records the paper.
        self._emit("confirm_paper", member_id=v.paper_member, pin=e.value, reason=v.paper_reason,
                   principal=principal, agent=s.principal, items=list(v.selected), session_id=s.id)

    def _paper_result(self, e: Result) -> None:
        v = self.visit
        v.busy = False
        if e.kind == "lookup_badge":
            if e.error is not None:
                self._problem(e.error)
            elif e.value.role is not HelperRole.STAFF:
                self._problem(tx.PAPER_NEEDS_STAFF)
            else:
                v.paper_member = e.value.id
                v.paper_staff = helper_of(e.value)
                v.paper_stage = "reason"
                v.problem = None
            return
        if e.kind != "confirm_paper":
            return
        if e.error is not None:
            self._problem(e.error)
            if e.error_kind in ("pin_locked", "staff_required", "badge_unknown"):
                v.paper_stage, v.paper_member, v.paper_staff = "badge", None, None
            return
        s = v.session
        if s is not None and s.helper is None and v.paper_staff is not None:
            s.helper = v.paper_staff
        self._authorized(e.value, record_use=False)

    def _authorized(self, auth: Any, *, record_use: bool = True) -> None:
        v = self.visit
        s = v.session
        principal = v.proxy_principal
        if s is None or principal is None:
            return
        items = list(v.selected)
        s.start_proxy(principal, auth.id)
        s.select_items(items)
        v.proxy_principal = None  # the session holds it now (and wipes it at the end)
        v.proxy_pending = False
        v.authorization = auth
        if record_use:
            self._emit("record_authorization_use", authorization=auth, session_id=s.id,
                       helper_id=s.helper.helper_id if s.helper else None)
        v.history = [h for h in v.history if h not in (S.PROXY_CHECKING, S.PROXY_CODE, S.PROXY_PAPER)]
        self._go_materials()

