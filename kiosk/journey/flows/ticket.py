"""A queue number (取号): taken with a tap or a card laid down, printed, shown big with its lane."""

from __future__ import annotations

from kiosk.identity.record import CardType
from kiosk.journey import texts as tx
from kiosk.journey.core import Core, Flow, on
from kiosk.journey.events import CardInserted, Result, Tap
from kiosk.journey.flows.form import printed
from kiosk.journey.flows.visit import finish, show_card_error
from kiosk.journey.states import ENDS, S
from kiosk.journey.view import ChoiceView, TicketView
from kiosk.journey.views import Draft
from kiosk.locale import phrase
from kiosk.session import Mode
from kiosk.store.outbox import new_id
from kiosk.tickets import LANE_NAMES


def lane(j: Core) -> str:
    s = j.visit.session
    if s is not None and (s.mode is Mode.PRIORITY or s.is_elderly):
        return "priority"
    return "normal"


def ticket_tap(j: Core, e: Tap) -> None:
    if e.key == "take":
        _take(j)


def ticket_card(j: Core, e: CardInserted) -> None:
    record = e.record
    if record.card_type is CardType.BADGE or j.visit.busy:
        record.wipe()
        return
    s = j._new_session()
    if s.principal is None:
        s.identify(record)
    else:
        record.wipe()
    _take(j)


def _take(j: Core) -> None:
    v = j.visit
    if v.busy or v.ticket is not None:
        return  # a double tap never issues two: one request id per visit, and nothing while one is out
    v.busy = True
    v.ticket_request = v.ticket_request or new_id()
    s = v.session
    j._emit("take_ticket", session=s, lane=lane(j), request_id=v.ticket_request,
            helper_id=s.helper.helper_id if s is not None and s.helper else None)


def ticket_result(j: Core, e: Result) -> None:
    v = j.visit
    v.busy = False
    if e.error is not None:
        j._problem(e.error)
        return
    v.ticket = e.value
    j._go(S.TICKET_DONE, push=False)
    v.printed = "printing"
    j._emit("print_ticket", ticket=e.value)


def ticket_view(_j: Core, d: Draft) -> None:
    d.choices.append(ChoiceView("take", "ticket", phrase("journey.views.take")))


def ticket_done_view(j: Core, d: Draft) -> None:
    """The number, big, and its lane (also the difficult case's ticket)."""
    t = j.visit.ticket or {}
    d.big = str(t.get("number", ""))
    lane = t.get("lane", "normal")
    d.ticket = TicketView(lane, LANE_NAMES.get(lane, LANE_NAMES["normal"]))  # the lane words paper uses too
    d.printed = j.visit.printed
    d.next, d.icon = tx.FINISH, "yes"
    d.back = False


_END = on(finish, *ENDS)
FLOW = Flow(
    "ticket",
    table={
        S.TICKET: {"tap": on(ticket_tap), "card_inserted": on(ticket_card), "card_error": on(show_card_error),
                   "result:take_ticket": on(ticket_result, S.TICKET_DONE)},
        S.TICKET_DONE: {"next": _END, "timeout": _END, "result:print_receipt": on(printed),
                        "result:print_ticket": on(printed)},
    },
    views={S.TICKET: ticket_view, S.TICKET_DONE: ticket_done_view},
)
