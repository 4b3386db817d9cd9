"""这件事我办不了: a difficult case opened from a visit under way, its reason, an optional phone, and the ticket to
the difficult-case window; each state's handlers and view."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.journey import texts as tx
from kiosk.journey import values
from kiosk.journey.core import Core, Flow, on
from kiosk.journey.events import Back, Difficult, Next, Result, Tap
from kiosk.journey.flows.citizen import part as citizen
from kiosk.journey.flows.ticket import ticket_done_view
from kiosk.journey.flows.visit import back_to, finish, go_back
from kiosk.journey.states import DIFFICULT_FROM, DIFFICULT_REASONS, ENDS, Part, S, State
from kiosk.journey.view import ChoiceView, KeypadView
from kiosk.journey.views import Draft, masked_phone_question
from kiosk.locale import phrase
from kiosk.store.outbox import new_id


@dataclass
class DifficultPart(Part):
    opened_from: State | None = None
    reason: str | None = None  # chosen: the case waits for the optional phone (or Skip)
    typing: bool = False  # the known phone was declined: the keypad is shown


def part(j: Core) -> DifficultPart:
    return DifficultPart.of(j.visit)


def open_case(j: Core, _e: Difficult) -> None:
    if j.state not in DIFFICULT_FROM:
        return
    p = part(j)
    p.opened_from = j.state
    j._go(S.DIFFICULT_CASE, push=False)
    j.visit.busy = False
    p.reason, p.typing = None, False


def known_phone(j: Core) -> str | None:
    """A phone this visit already has (the hall's known one, or the one answered on the form), offered masked
    for one tap on the case's optional phone step."""
    c = citizen(j)
    if c.known_phone and values.valid_phone(c.known_phone):
        return c.known_phone
    for f in c.questions:
        typed = c.answers.get(f.code, "")
        if f.kind == "phone" and values.valid_phone(typed):
            return typed
    return None


def offers_phone(j: Core) -> bool:
    p = part(j)
    return bool(p.reason and not p.typing and known_phone(j))


def case_tap(j: Core, e: Tap) -> None:
    p = part(j)
    if j.visit.busy:
        return
    if p.reason is None:  # first the reason, then the optional phone
        if e.key in dict(DIFFICULT_REASONS):
            p.reason = e.key
            p.typing = False
            j.visit.problem = None
        return
    if p.typing:
        return  # the keypad: Next takes the number, Back returns to the choice
    if e.key == "skip":  # the phone is optional: skipping is a real choice
        _record(j, None)
    elif e.key == "phone_yes" and offers_phone(j):
        _record(j, known_phone(j))
    elif e.key == "type_phone":
        p.typing = True
        j.visit.problem = None


def phone_next(j: Core, e: Next) -> None:
    p = part(j)
    if p.reason is None or j.visit.busy or not p.typing:
        return
    typed = e.value.strip()
    if not typed:
        j._problem(tx.PHONE_OR_SKIP)
        return
    if not values.valid_phone(typed):
        j._problem(tx.PHONE_INCOMPLETE)
        return
    _record(j, typed)


def _record(j: Core, phone: str | None) -> None:
    v = j.visit
    p = part(j)
    v.busy = True
    item = v.selected[0] if v.selected else None
    step = (p.opened_from or S.HOME).value
    v.ticket_request = v.ticket_request or new_id()
    j._emit("record_difficult", session=v.session, item_code=item, step=step, reason=p.reason,
            phone=phone, request_id=v.ticket_request)


def recorded(j: Core, e: Result) -> None:
    v = j.visit
    p = part(j)
    v.busy = False
    if e.error is not None:
        j._problem(e.error)
        return
    v.ticket = e.value
    p.opened_from = None
    p.reason = None
    j._go(S.DIFFICULT_CASE_DONE, push=False)
    j._emit("print_ticket", ticket=e.value)


def case_back(j: Core, e: Back) -> None:
    """Back steps through the case (the keypad → the phone choice → the reasons), then to the visit's screen."""
    p = part(j)
    if p.reason is not None and not j.visit.busy:
        if p.typing:
            p.typing = False
        else:
            p.reason = None
        j.visit.problem = None
        return
    if p.opened_from is not None:
        target, p.opened_from = p.opened_from, None
        back_to(j, target)
        return
    go_back(j, e)


def case_view(j: Core, d: Draft) -> None:
    p = part(j)
    if p.reason is None:
        d.choices += [ChoiceView(k, "todo", t) for k, t in DIFFICULT_REASONS]
    elif not p.typing:  # the optional phone: the known one for one tap, or type one, or Skip
        skip = ChoiceView("skip", "next", phrase("journey.views.skip"))
        known = known_phone(j)
        if known:
            d.title = masked_phone_question(known)
            d.prompt = phrase("journey.views.prompt.with_phone_windows_staff")
            d.choices += [ChoiceView("phone_yes", "yes", phrase("journey.views.phone_yes")),
                          ChoiceView("type_phone", "pen", phrase("journey.views.another_number")), skip]
        else:
            d.title = phrase("journey.views.title.leave_phone_number")
            d.prompt = phrase("journey.views.prompt.with_phone_number_either_way")
            d.choices += [ChoiceView("type_phone", "pen", phrase("journey.views.type_phone_number")), skip]
    else:
        d.title = phrase("journey.views.title.phone_number")
        d.prompt = phrase("journey.views.prompt.type_phone_number_then")
        d.keypad = KeypadView(12, expects=tx.EXPECTS["phone"])
        d.next, d.icon = phrase("journey.views.take_number"), "ticket"
    if j.visit.busy:
        d.prompt = phrase("journey.views.prompt.taking_number")


_END = on(finish, *ENDS)
_RETURN_TO = sorted(DIFFICULT_FROM - {S.PROXY_CHECKING})  # a check in flight returns to the items (`back_to`)
FLOW = Flow(
    "difficult",
    table={
        S.DIFFICULT_CASE: {"tap": on(case_tap), "next": on(phone_next),
                           "result:record_difficult": on(recorded, S.DIFFICULT_CASE_DONE),
                           "back": on(case_back, *ENDS, *_RETURN_TO, returns=True)},
        S.DIFFICULT_CASE_DONE: {"next": _END, "timeout": _END},
    },
    everywhere={"difficult": on(open_case, S.DIFFICULT_CASE)},
    views={S.DIFFICULT_CASE: case_view, S.DIFFICULT_CASE_DONE: ticket_done_view},
)
