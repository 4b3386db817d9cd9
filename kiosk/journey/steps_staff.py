"""What each event does in the staff and volunteer states: sign-in, the staff menu, the green channel (from the
menu or for a visit under way) and batch handling (批量办理)."""

from __future__ import annotations

from kiosk.catalog.model import Item
from kiosk.identity.idnumber import validate_id_number
from kiosk.identity.record import CardType
from kiosk.journey import texts as tx
from kiosk.journey import values
from kiosk.journey.events import (
    CardInserted,
    GreenChannel,
    Next,
    Result,
    SignOut,
    Tap,
)
from kiosk.journey.parts import JourneyParts
from kiosk.journey.states import (
    GREEN_FROM,
    MENU_ACTIONS,
    PRIORITY_REASONS,
    S,
    Visit,
    helper_of,
)
from kiosk.messages import KioskError
from kiosk.rights import Action, allowed
from kiosk.session import EndReason, Helper, Mode


class StaffSteps(JourneyParts):
    """Handlers of the helpers' states (see `machine.TABLE`)."""

    # --- sign-in ---------------------------------------------------------------------------------------------
    def _signin_pin(self, e: Next) -> None:
        v = self.visit
        if not (4 <= len(e.value) <= 8 and e.value.isdigit()):
            self._problem(tx.PIN_SHORT)
            return
        if v.busy or v.signin_badge is None:
            return
        v.busy = True
        self._emit("sign_in", badge_uid=v.signin_badge, pin=e.value)

    def _signin_result(self, e: Result) -> None:
        v = self.visit
        if e.kind != "sign_in":
            return
        v.busy = False
        if e.error is not None:
            if e.error_kind == "pin_locked":
                v.signin_badge = None
                self._go(S.SIGNIN_LOCKED, push=False)
                self.visit.problem = e.error
            else:
                self._problem(e.error)
            return
        self.helper = helper_of(e.value)
        v.signin_badge = None
        self.visit.history = [S.HOME]
        self._go(S.STAFF_MENU, push=False)

    def _staff_tap(self, e: Tap) -> None:
        helper = self.helper
        if helper is None:
            self._reset(EndReason.CANCELLED)
            return
        key = e.key
        if key == "sign_out":
            self._sign_out(SignOut())
            return
        if key not in MENU_ACTIONS or not self._may(helper, key):
            return
        if key == "assist":
            self._reset(EndReason.CANCELLED)  # back to a citizen's start, the helper stays signed in
        elif key == "priority":
            self._go(S.PRIORITY_CONFIRM)
        elif key == "proxy_paper":
            self.visit.flow = "business"
            self._new_session()
            self.visit.proxy_pending = True
            self._go(S.PROXY_AGENT)
        elif key == "batch":
            self._go(S.BATCH_ITEM)

    def may(self, action: str) -> bool:
        """Whether the signed-in helper's role may do this staff-menu action (for offering the tile)."""
        return action in MENU_ACTIONS and allowed(self.helper, MENU_ACTIONS[action])

    def may_green_channel(self) -> bool:
        """Whether "转绿色通道" is offered on the visit's screen: signed-in staff, the visit not yet in it."""
        return self._green_here() and allowed(self.helper, Action.PRIORITY_MODE)

    def _green_here(self) -> bool:
        """A person's own visit under way (identified, not 代办, not yet priority) on one of `GREEN_FROM`."""
        v = self.visit
        s = v.session
        return (self.state in GREEN_FROM and s is not None and s.principal is not None and s.agent is None
                and s.mode in (Mode.SELF_SERVICE, Mode.ASSISTED) and not v.proxy_pending
                and v.proxy_principal is None)

    def _may(self, helper: Helper, action: str) -> bool:
        try:
            self._allow(helper, MENU_ACTIONS[action])
        except KioskError as exc:  # the core's rights rule refuses in plain words
            self._problem(exc.message)
            return False
        return True

    def _open_green_channel(self, _e: GreenChannel) -> None:
        """Staff switch the visit under way into the green channel; it returns to where it was once confirmed.
        Anyone else asking (a volunteer, a stale screen) is refused by `kiosk.rights` and nothing changes."""
        v = self.visit
        if not self._green_here():
            return
        try:
            self._allow(self.helper, Action.PRIORITY_MODE)
        except KioskError as exc:
            self._problem(exc.message)
            return
        v.priority_from = self.state
        self.state = S.PRIORITY_CONFIRM
        v.problem = None
        v.busy = False

    def _priority_tap(self, e: Tap) -> None:
        v = self.visit
        if e.key not in dict(PRIORITY_REASONS) or self.helper is None or v.busy:
            return
        if not self._may(self.helper, "priority"):
            return
        v.busy = True
        v.priority_reason = e.key
        self._emit("confirm_priority", session=self._new_session(), staff=self.helper, reason=e.key)

    def _priority_result(self, e: Result) -> None:
        v = self.visit
        if e.kind != "confirm_priority":
            return
        v.busy = False
        if e.error is not None:
            v.priority_reason = None
            self._problem(e.error)
            return
        if v.priority_from is not None:  # opened mid-visit: back to that screen, now in the green channel
            self.state, v.priority_from = v.priority_from, None
            return
        v.flow = "business"
        v.history = [S.HOME]
        self._go(S.IDENTIFY, push=False)

    # --- batch (批量办理) ----------------------------------------------------------------------------------------
    def batch_items(self) -> list[Item]:
        """Services offered for a batch: those a person need not do in person and whose only question is a
        phone number (the care home's, asked once for the whole batch)."""
        out = []
        for i in self.catalog.items_for(elderly=True):
            asked = [self.catalog.field(f) for f in i.fields if self.catalog.field(f).from_card is None]
            if not i.personal_only and i.kind == "apply" and all(f.kind == "phone" for f in asked):
                out.append(i)
        return out[:6]

    def _batch_item_tap(self, e: Tap) -> None:
        v = self.visit
        if e.key not in {i.code for i in self.batch_items()} or v.busy:
            return
        v.batch_item = e.key
        asked = [f for f in self.catalog.merged_fields([e.key]) if f.from_card is None]
        if asked:
            v.batch_typing = "phone"
            self._go(S.BATCH_TYPED)
        else:
            self._batch_start()

    def _batch_start(self) -> None:
        v = self.visit
        if self.helper is None or v.batch_item is None:
            return
        v.busy = True
        values = {"phone": v.batch_phone} if v.batch_phone else {}
        self._emit("batch_start", item_code=v.batch_item, helper=self.helper, form_values=values)

    def _batch_started(self, e: Result) -> None:
        v = self.visit
        v.busy = False
        if e.kind != "batch_start":
            return
        if e.error is not None:
            self._problem(e.error)
            return
        v.batch_typing = "id"
        self._go(S.BATCH_LIST)

    def _batch_card(self, e: CardInserted) -> None:
        if e.record.card_type is CardType.BADGE:
            e.record.wipe()
            return
        self._emit("batch_add", record=e.record)

    def _batch_tap(self, e: Tap) -> None:
        if e.key == "type_id":
            self.visit.batch_typing = "id"
            self._go(S.BATCH_TYPED)

    def _batch_typed_next(self, e: Next) -> None:
        v = self.visit
        value = e.value.strip().upper()
        if v.batch_typing == "phone":
            if not values.valid_phone(value):
                self._problem(tx.PHONE_INCOMPLETE)
                return
            v.batch_phone = value
            self._batch_start()
            return
        if not validate_id_number(value):
            self._problem(tx.TYPED_ID_BAD)
            return
        self._emit("batch_add_typed", number=value)

    def _batch_typed_result(self, e: Result) -> None:
        v = self.visit
        if e.kind == "batch_start":
            self._batch_started(e)
            return
        if e.kind != "batch_add_typed":
            return
        if e.error is not None:
            self._problem(e.error)
            return
        v.batch_entries.append(e.value)
        self.state = S.BATCH_LIST
        if v.history and v.history[-1] is S.BATCH_LIST:
            v.history.pop()
        v.problem = e.value.error if not e.value.ok else None

    def _batch_submit(self, _e: Next) -> None:
        v = self.visit
        if v.busy:
            return
        if not v.batch_entries:
            self._problem(tx.BATCH_EMPTY)
            return
        v.busy = True
        self._emit("batch_finish")

    def _batch_result(self, e: Result) -> None:
        v = self.visit
        if e.kind in ("batch_add", "batch_add_typed"):
            if e.error is not None:
                self._problem(e.error)
                return
            v.batch_entries.append(e.value)
            v.problem = e.value.error if not e.value.ok else None
            return
        if e.kind != "batch_finish":
            return
        v.busy = False
        if e.error is not None:
            self._problem(e.error)
            return
        v.batch_summary = e.value
        self._go(S.BATCH_DONE, push=False)

    def _batch_finish(self, _e: Next) -> None:
        self.visit.wipe()
        self.visit = Visit(history=[S.HOME])
        self.token = next(self._tokens)
        self.state = S.STAFF_MENU if self.helper is not None else S.HOME

