"""What each event does in a citizen's own states: home, identify, health check, choosing, the form, review,
tickets, help and difficult cases (mixed into `machine.Journey`; the table there says which runs when)."""

from __future__ import annotations

import datetime as dt

from kiosk.badge import BADGES_NEED_PCSC
from kiosk.catalog.model import FormField, Item
from kiosk.identity.record import CardType
from kiosk.journey import materials as _materials
from kiosk.journey import texts as tx
from kiosk.journey import values
from kiosk.journey.events import (
    Badge,
    CardInserted,
    CodeScanned,
    Difficult,
    Next,
    Result,
    SignOut,
    Tap,
)
from kiosk.journey.parts import JourneyParts
from kiosk.journey.states import (
    DIFFICULT_FROM,
    DIFFICULT_REASONS,
    HEALTH_METHODS,
    S,
    helper_of,
)
from kiosk.messages import Message
from kiosk.session import EndReason, Mode
from kiosk.store.outbox import new_id


class CitizenSteps(JourneyParts):
    """Handlers of the citizen's states (see `machine.TABLE`)."""

    # --- difficult case -------------------------------------------------------------------------------------
    def _open_difficult(self, _e: Difficult) -> None:
        if self.state not in DIFFICULT_FROM:
            return
        v = self.visit
        v.difficult_from = self.state
        self.state = S.DIFFICULT_CASE
        v.problem = None
        v.busy = False
        v.difficult_reason, v.difficult_typing = None, False

    def difficult_known_phone(self) -> str | None:
        """A phone this visit already has (the hall's known one, or the one answered on the form), offered masked
        for one tap on the case's optional phone step."""
        v = self.visit
        if v.known_phone and values.valid_phone(v.known_phone):
            return v.known_phone
        for f in v.questions:
            typed = v.answers.get(f.code, "")
            if f.kind == "phone" and values.valid_phone(typed):
                return typed
        return None

    def offers_difficult_phone(self) -> bool:
        return bool(self.visit.difficult_reason and not self.visit.difficult_typing and self.difficult_known_phone())

    def _difficult_tap(self, e: Tap) -> None:
        v = self.visit
        if v.busy:
            return
        if v.difficult_reason is None:  # first the reason, then the optional phone
            if e.key in dict(DIFFICULT_REASONS):
                v.difficult_reason = e.key
                v.difficult_typing = False
                v.problem = None
            return
        if v.difficult_typing:
            return  # the keypad: Next takes the number, Back returns to the choice
        if e.key == "skip":  # the phone is optional: skipping is a real choice
            self._record_difficult(None)
        elif e.key == "phone_yes" and self.offers_difficult_phone():
            self._record_difficult(self.difficult_known_phone())
        elif e.key == "type_phone":
            v.difficult_typing = True
            v.problem = None

    def _difficult_phone_next(self, e: Next) -> None:
        v = self.visit
        if v.difficult_reason is None or v.busy or not v.difficult_typing:
            return
        typed = e.value.strip()
        if not typed:
            self._problem(tx.PHONE_OR_SKIP)
            return
        if not values.valid_phone(typed):
            self._problem(tx.PHONE_INCOMPLETE)
            return
        self._record_difficult(typed)

    def _record_difficult(self, phone: str | None) -> None:
        v = self.visit
        v.busy = True
        item = v.selected[0] if v.selected else None
        step = (v.difficult_from or S.HOME).value
        v.ticket_request = v.ticket_request or new_id()
        self._emit("record_difficult", session=v.session, item_code=item, step=step, reason=v.difficult_reason,
                   phone=phone, request_id=v.ticket_request)

    def _difficult_result(self, e: Result) -> None:
        v = self.visit
        if e.kind != "record_difficult":
            return  # e.g. the visit's own record_session answer arriving late
        v.busy = False
        if e.error is not None:
            self._problem(e.error)
            return
        v.ticket = e.value
        v.difficult_from = None
        v.difficult_reason = None
        self._go(S.DIFFICULT_CASE_DONE, push=False)
        self._emit("print_ticket", ticket=e.value)

    # --- home -----------------------------------------------------------------------------------------------
    def _home_tap(self, e: Tap) -> None:
        v = self.visit
        key = e.key
        if key in ("business", "print", "elderly") and self._device_ok("card_reader"):
            v.flow = key
            self._new_session()
            self._go(S.IDENTIFY)
        elif key == "ticket":
            v.flow = "ticket"
            self._new_session()
            v.ticket_request = new_id()
            self._go(S.TICKET)
        elif key == "volunteer":
            v.flow = "help"
            self._go(S.HELP)
        elif key == "staff_menu" and self.helper is not None:
            self._go(S.STAFF_MENU)
        elif key == "sign_out" and self.helper is not None:
            self._sign_out(SignOut())

    def _home_card(self, e: CardInserted) -> None:
        if e.record.card_type is CardType.BADGE:
            self._lookup_signin_badge(Badge(e.record.uid or ""))
            e.record.wipe()
            return
        v = self.visit
        v.flow = "business"
        self._new_session()
        self._go(S.IDENTIFY)
        self._identify_card(e)

    def _lookup_signin_badge(self, e: Badge) -> None:
        # The discreet way in: a badge on the reader at the home screen; never a tile citizens see.
        self.visit.signin_badge = e.uid
        self._emit("lookup_badge", uid=e.uid, purpose="signin")

    def _home_result(self, e: Result) -> None:
        if e.kind != "lookup_badge":
            return
        if e.error is not None:
            self.visit.signin_badge = None
            self._problem(e.error)
            return
        self._go(S.SIGNIN)

    # --- identify ----------------------------------------------------------------------------------------------
    def _identify_card(self, e: CardInserted) -> None:
        if not self._person_card(e.record):
            return
        self._start_visit(e.record)
        self._after_identified()

    def _identify_tap(self, e: Tap) -> None:
        if e.key == "proxy":
            self.visit.proxy_pending = True
            self._go(S.PROXY_AGENT)

    def _identify_code(self, _e: CodeScanned) -> None:
        # No mapping from a verified e-ID code to a person exists here, so it is not offered; said plainly.
        self._problem(tx.EID_NOT_OFFERED)

    def _after_identified(self) -> None:
        v = self.visit
        s = v.session
        if self.settings.health_check_required and s is not None and s.health_check is None:
            self._go(S.HEALTH)
            return
        self._go_services()

    def _go_services(self) -> None:
        v = self.visit
        served = self._served()
        if served is not None and served.id_number:  # what this person already did today (asked before a repeat)
            self._emit("done_today", id_number=served.id_number, day=self._today())
            if v.flow != "print":  # the print items ask no phone
                self._ask_known_phone(served.id_number)
        if v.flow in ("print", "elderly") or self.served_is_elderly():
            v.category = None
            self._go(S.ITEMS)
        else:
            self._go(S.CATEGORIES)

    # --- health check ---------------------------------------------------------------------------------------
    def _health_tap(self, e: Tap) -> None:
        if e.key not in ("staff_id_check", "paper_proof"):
            return
        if not self.settings.badges:  # a staff badge confirms either way, and this reader cannot read one
            self._problem(BADGES_NEED_PCSC)
            return
        v = self.visit
        v.health_waiting = e.key
        self.state = S.HEALTH_WAITING
        self._emit("request_help", session=v.session, note={"reason": "health_check", "method": e.key},
                   elderly=self.served_is_elderly(), screen="health", item_code=None)

    def _health_badge(self, e: Badge) -> None:
        self._emit("lookup_badge", uid=e.uid, purpose="health")

    def _health_result(self, e: Result) -> None:
        v = self.visit
        s = v.session
        if s is None:
            return
        if e.kind == "request_help":
            return
        if e.kind == "lookup_badge":
            if e.error is not None:
                self._problem(e.error)
                return
            if v.health_waiting is None:
                return
            s.record_health_check(HEALTH_METHODS[v.health_waiting], helper_of(e.value))
            self._go_services()
        elif e.kind == "verify_code":
            verdict = e.value
            ok, msg = values.health_code_ok(verdict, s.principal, self._today(), self.settings.health_kinds)
            if ok:
                s.record_health_check("code")
                self._go_services()
            else:
                self._problem(msg or tx.HEALTH_REFUSED)

    # --- choosing ---------------------------------------------------------------------------------------------
    def _category_tap(self, e: Tap) -> None:
        if any(c.code == e.key for c in self.catalog.categories):
            self.visit.category = e.key
            self._go(S.ITEMS)

    def items(self) -> list[Item]:
        """What the items state offers: print items, elderly items first, only what allows an agent for one."""
        v = self.visit
        elderly = self.served_is_elderly() or v.flow == "elderly"
        agent = v.proxy_pending or (v.session is not None and v.session.agent is not None)
        if v.flow == "print":
            return values.print_items(self.catalog, elderly=elderly, agent=agent)
        return self.catalog.items_for(elderly=elderly, category=v.category, agent=agent)

    def _item_tap(self, e: Tap) -> None:
        v = self.visit
        try:
            item = self.catalog.item(e.key)
        except KeyError:
            return
        if e.key in v.selected:
            v.selected.remove(e.key)
            v.problem = None
            return
        if v.proxy_pending and not item.proxy_allowed:
            self._problem(Message(tx.PERSONAL_ONLY.zh.format(item=item.name.zh),
                                  tx.PERSONAL_ONLY.en.format(item=item.name.en)))
            return
        v.selected.append(e.key)
        v.problem = None

    def _items_next(self, _e: Next) -> None:
        v = self.visit
        s = v.session
        if not v.selected:
            self._problem(tx.NOTHING_CHOSEN)
            return
        if s is None:
            return
        if self.repeats_today() and not v.again_ok:
            self._go(S.SAME_ITEM_TODAY)  # asked first; the default is not to submit it again
            return
        s.select_items(v.selected)
        if v.proxy_pending:
            principal, agent = v.proxy_principal, s.principal
            if principal is None or agent is None:
                return
            self._go(S.PROXY_CHECKING)
            self._emit("find_authorization", principal_id_number=principal.id_number or "",
                       agent_id_number=agent.id_number or "", items=list(v.selected), day=self._today())
            return
        self._go_materials()

    def material_pages(self) -> list[str]:
        """The chosen items whose materials page asks something of the person (the others are skipped)."""
        s = self.visit.session
        if s is None:
            return []
        return _materials.pages(self.catalog, list(s.selected_items), s.principal)

    def _go_materials(self) -> None:
        """The chosen items' materials pages; when every material is already in hand (the card just read, shared
        data) there is nothing to do there: straight on to the form (the review lists what is in hand)."""
        self.visit.material_index = 0
        if self.material_pages():
            self._go(S.MATERIALS)
        else:
            self._start_form()

    def _ask_known_phone(self, id_number: str) -> None:
        """Look up the phone the hall already knows for this person once per visit, as soon as they are known, so
        that the phone question shows "138****8000 是您的电话吗？" from the moment it appears."""
        v = self.visit
        if v.phone_asked or not self.settings.known_phone_lookup:
            return
        v.phone_asked = True
        self._emit("known_phone", id_number=id_number)

    def repeats_today(self) -> list[str]:
        """Chosen items this person already submitted today (on this kiosk)."""
        return [c for c in self.visit.selected if c in self.visit.done_today]

    def _same_item_again(self, e: Tap) -> None:
        if e.key != "again":
            return
        v = self.visit
        v.again_ok = True
        self.state = v.history.pop() if v.history else S.ITEMS
        self._items_next(Next())

    def _same_item_not_again(self, _e: Next) -> None:
        v = self.visit
        v.selected = [c for c in v.selected if c not in v.done_today]
        self.state = v.history.pop() if v.history else S.ITEMS
        v.problem = None
        if v.selected:  # the other chosen items go on
            self._items_next(Next())

    def _materials_next(self, _e: Next) -> None:
        v = self.visit
        if v.material_index + 1 < len(self.material_pages()):
            v.material_index += 1
            return
        self._start_form()

    # --- form --------------------------------------------------------------------------------------------------
    def _start_form(self) -> None:
        v = self.visit
        s = v.session
        if s is None:
            return
        v.questions, v.answers, v.question, v.phone_typing = [], {}, 0, False
        person = s.principal
        for f in self.catalog.merged_fields(list(s.selected_items)):
            if f.from_card:
                value = getattr(person, f.from_card, None) if person is not None else None
                if isinstance(value, dt.date):
                    value = value.isoformat()
                if value:
                    s.set_form_value(f.code, str(value))
                continue  # a card field the card lacks is completed at the counter, never typed in Chinese
            v.questions.append(f)
        if v.questions:
            self._go(S.FORM)
            if any(f.kind == "phone" for f in v.questions) and person:
                self._ask_known_phone(person.id_number or "")
        else:
            self._go(S.REVIEW)

    @property
    def field(self) -> FormField | None:
        v = self.visit
        return v.questions[v.question] if 0 <= v.question < len(v.questions) else None

    def offers_known_phone(self) -> bool:
        f = self.field
        return bool(f is not None and f.kind == "phone" and self.visit.known_phone and not self.visit.phone_typing)

    def _form_result(self, e: Result) -> None:
        if e.kind == "known_phone" and e.error is None and e.value and values.valid_phone(str(e.value)):
            self.visit.known_phone = str(e.value)

    def _form_tap(self, e: Tap) -> None:
        v = self.visit
        f = self.field
        if f is None:
            return
        if self.offers_known_phone():
            if e.key == "phone_yes":
                self._answer(f, v.known_phone or "")
            elif e.key == "phone_no":
                v.phone_typing = True
                v.problem = None
            return
        if f.kind != "choice" or not e.key.isdigit() or int(e.key) >= len(f.choices):
            return
        v.answers[f.code] = f.choices[int(e.key)].zh  # stored in the catalog's canonical language
        v.problem = None

    def _form_next(self, e: Next) -> None:
        v = self.visit
        f = self.field
        if f is None:
            self._go(S.REVIEW)
            return
        if self.offers_known_phone():
            return  # the yes / no tiles answer this question
        value = v.answers.get(f.code, "") if f.kind == "choice" else e.value
        problem = values.check_field(f, value)
        if problem is not None:
            self._problem(problem)
            return
        self._answer(f, value)

    def _answer(self, f: FormField, value: str) -> None:
        v = self.visit
        s = v.session
        if s is None:
            return
        v.answers[f.code] = value
        if f.kind == "date":
            day = values.valid_date(value)
            s.set_form_value(f.code, day.isoformat() if day else value)
        else:
            s.set_form_value(f.code, value)
        v.problem = None
        if v.question + 1 < len(v.questions):
            v.question += 1
            return
        self._go(S.REVIEW)

    # --- review, done ---------------------------------------------------------------------------------------
    def _review_submit(self, _e: Next) -> None:
        v = self.visit
        s = v.session
        if v.busy or s is None or s.principal is None:
            return  # a second tap while submitting does nothing
        v.busy = True
        v.receipt_person = (s.principal.display_name, s.principal.display_id_number)
        self._emit("submit", session=s)

    def _review_result(self, e: Result) -> None:
        v = self.visit
        if e.kind != "submit":
            return
        v.busy = False
        if e.error is not None:
            self._problem(e.error)
            return
        v.receipts = list(e.value)
        s = v.session
        if s is not None:
            s.end(EndReason.DONE)
            self._emit("record_session", session=s, event="visit_end")
            self.ended.append(s)
        v.history.clear()
        self._go(S.DONE, push=False)
        v.printed = "printing"
        self._emit("print_receipt", receipts=list(v.receipts), name=v.receipt_person[0], id_text=v.receipt_person[1])
        self._emit("wake_sync")

    def _printed(self, e: Result) -> None:
        if e.kind in ("print_receipt", "print_ticket"):
            self.visit.printed = "printed" if e.error is None and e.value else "failed"

    # --- tickets ---------------------------------------------------------------------------------------------
    def _ticket_lane(self) -> str:
        s = self.visit.session
        if s is not None and (s.mode is Mode.PRIORITY or s.is_elderly):
            return "priority"
        return "normal"

    def _ticket_tap(self, e: Tap) -> None:
        if e.key == "take":
            self._take_ticket()

    def _ticket_card(self, e: CardInserted) -> None:
        record = e.record
        if record.card_type is CardType.BADGE or self.visit.busy:
            record.wipe()
            return
        s = self._new_session()
        if s.principal is None:
            s.identify(record)
        else:
            record.wipe()
        self._take_ticket()

    def _take_ticket(self) -> None:
        v = self.visit
        if v.busy or v.ticket is not None:
            return  # a double tap never issues two: one request id per visit, and nothing while one is out
        v.busy = True
        v.ticket_request = v.ticket_request or new_id()
        s = v.session
        self._emit("take_ticket", session=s, lane=self._ticket_lane(), request_id=v.ticket_request,
                   helper_id=s.helper.helper_id if s is not None and s.helper else None)

    def _ticket_result(self, e: Result) -> None:
        v = self.visit
        if e.kind != "take_ticket":
            return
        v.busy = False
        if e.error is not None:
            self._problem(e.error)
            return
        v.ticket = e.value
        self._go(S.TICKET_DONE, push=False)
        v.printed = "printing"
        self._emit("print_ticket", ticket=e.value)

