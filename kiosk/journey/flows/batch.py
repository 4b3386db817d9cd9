"""Batch handling (批量办理) by staff: one service for many people (a care home's residents), each by card or typed
ID number, with one contact phone for the batch; each state's handlers and view."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosk.catalog.model import Item
from kiosk.identity.idnumber import validate_id_number
from kiosk.identity.record import CardType
from kiosk.journey import texts as tx
from kiosk.journey import values
from kiosk.journey.core import Core, Flow, on
from kiosk.journey.events import CardInserted, Next, Result, Tap
from kiosk.journey.flows.visit import show_card_error
from kiosk.journey.states import Part, S
from kiosk.journey.view import ChoiceView, KeypadView
from kiosk.journey.views import Draft, M, words
from kiosk.locale import phrase


@dataclass
class BatchPart(Part):
    item: str | None = None
    typing: str = "id"  # what the batch keypad is for: "phone" (the batch's contact phone) | "id"
    phone: str | None = None
    entries: list[Any] = field(default_factory=list)  # kiosk.batch.BatchEntry (masked)
    summary: Any = None  # kiosk.batch.BatchSummary

    def wipe(self) -> None:
        self.entries.clear()
        self.phone = None
        self.summary = None


def part(j: Core) -> BatchPart:
    return BatchPart.of(j.visit)


def batch_items(j: Core) -> list[Item]:
    """Services offered for a batch: those a person need not do in person and whose only question is a
    phone number (the care home's, asked once for the whole batch)."""
    out = []
    for i in j.catalog.items_for(elderly=True):
        asked = [j.catalog.field(f) for f in i.fields if j.catalog.field(f).from_card is None]
        if not i.personal_only and i.kind == "apply" and all(f.kind == "phone" for f in asked):
            out.append(i)
    return out[:6]


def item_tap(j: Core, e: Tap) -> None:
    p = part(j)
    if e.key not in {i.code for i in batch_items(j)} or j.visit.busy:
        return
    p.item = e.key
    asked = [f for f in j.catalog.merged_fields([e.key]) if f.from_card is None]
    if asked:
        p.typing = "phone"
        j._go(S.BATCH_TYPED)
    else:
        _start(j)


def _start(j: Core) -> None:
    p = part(j)
    if j.helper is None or p.item is None:
        return
    j.visit.busy = True
    form = {"phone": p.phone} if p.phone else {}
    j._emit("batch_start", item_code=p.item, helper=j.helper, form_values=form)


def started(j: Core, e: Result) -> None:
    j.visit.busy = False
    if e.error is not None:
        j._problem(e.error)
        return
    part(j).typing = "id"
    j._go(S.BATCH_LIST)


def card(j: Core, e: CardInserted) -> None:
    if e.record.card_type is CardType.BADGE:
        e.record.wipe()
        return
    j._emit("batch_add", record=e.record)


def list_tap(j: Core, e: Tap) -> None:
    if e.key == "type_id":
        part(j).typing = "id"
        j._go(S.BATCH_TYPED)


def typed_next(j: Core, e: Next) -> None:
    p = part(j)
    value = e.value.strip().upper()
    if p.typing == "phone":
        if not values.valid_phone(value):
            j._problem(tx.PHONE_INCOMPLETE)
            return
        p.phone = value
        _start(j)
        return
    if not validate_id_number(value):
        j._problem(tx.TYPED_ID_BAD)
        return
    j._emit("batch_add_typed", number=value)


def typed_added(j: Core, e: Result) -> None:
    v = j.visit
    if e.error is not None:
        j._problem(e.error)
        return
    part(j).entries.append(e.value)
    j._go(S.BATCH_LIST, push=False)
    if v.history and v.history[-1] is S.BATCH_LIST:
        v.history.pop()
    v.problem = e.value.error if not e.value.ok else None


def added(j: Core, e: Result) -> None:
    if e.error is not None:
        j._problem(e.error)
        return
    part(j).entries.append(e.value)
    j.visit.problem = e.value.error if not e.value.ok else None


def submit(j: Core, _e: Next) -> None:
    v = j.visit
    if v.busy:
        return
    if not part(j).entries:
        j._problem(tx.BATCH_EMPTY)
        return
    v.busy = True
    j._emit("batch_finish")


def finished(j: Core, e: Result) -> None:
    j.visit.busy = False
    if e.error is not None:
        j._problem(e.error)
        return
    part(j).summary = e.value
    j._go(S.BATCH_DONE, push=False)


def finish(j: Core, _e: Next) -> None:
    """The batch is over: a fresh visit on the staff menu (the helper stays signed in)."""
    j._new_visit(history=[S.HOME])
    j._go(S.STAFF_MENU if j.helper is not None else S.HOME, push=False)


# --- views ------------------------------------------------------------------------------------------------------
def item_view(j: Core, d: Draft) -> None:
    d.choices += [ChoiceView(i.code, "business", words(i.name)) for i in batch_items(j)]


def _outcome(entry: Any, *, submitted: bool) -> Any:
    """A person's outcome beside their row: the receipt number (kept with its word by a no-break space in the
    catalog's text), or why not."""
    return phrase("journey.views.submitted_receipt_no" if submitted else "journey.views.receipt_no",
                  number=entry.receipt.number) \
        if entry.ok and entry.receipt is not None else (entry.error or phrase("journey.views.not_done"))


def list_view(j: Core, d: Draft) -> None:
    p = part(j)
    item = j.catalog.item(p.item) if p.item else None
    if item is not None:
        d.title = phrase("journey.views.title.batch", name=item.name)
    for n, entry in enumerate(p.entries[-3:], start=max(1, len(p.entries) - 2)):  # the latest
        who = f"{n}. {entry.masked_name} {entry.masked_id}"
        d.rows.append((M(who, who), ""))
        d.row_values.append(_outcome(entry, submitted=True))  # the number keeps its word
    d.choices.append(ChoiceView("type_id", "pen", phrase("journey.views.type_id")))
    if p.entries:
        d.next, d.icon = phrase("journey.views.finish_batch"), "yes"
    if j.visit.busy:
        d.prompt = phrase("journey.views.prompt.finishing")
    d.back = False


def typed_view(j: Core, d: Draft) -> None:
    if part(j).typing == "phone":
        d.title = phrase("journey.views.title.contact_phone_home_helper")
        d.prompt = phrase("journey.views.prompt.phone_used_everyone_batch")
        d.keypad = KeypadView(12, expects=tx.EXPECTS["phone"])
    else:
        d.keypad = KeypadView(18, allow_x=True, expects=tx.EXPECTS["id"])
    d.next = tx.NEXT


def done_view(j: Core, d: Draft) -> None:
    summary = part(j).summary
    if summary is not None:
        d.title = phrase("journey.views.title.batch_finished_submitted", count=len(summary.done))
        d.prompt = summary.message
        for entry in [*summary.done, *summary.refused][:8]:
            who = f"{entry.masked_name} {entry.masked_id}"
            d.rows.append((M(who, who), ""))
            d.row_values.append(_outcome(entry, submitted=False))
    d.next, d.icon = tx.FINISH, "yes"
    d.back = False


_STARTED = on(started, S.BATCH_LIST)
_ADDED = on(added)
FLOW = Flow(
    "batch",
    table={
        S.BATCH_ITEM: {"tap": on(item_tap, S.BATCH_TYPED), "result:batch_start": _STARTED},
        S.BATCH_LIST: {"card_inserted": on(card), "card_error": on(show_card_error),
                       "tap": on(list_tap, S.BATCH_TYPED), "next": on(submit),
                       "result:batch_add": _ADDED, "result:batch_add_typed": _ADDED,
                       "result:batch_finish": on(finished, S.BATCH_DONE)},
        S.BATCH_TYPED: {"next": on(typed_next), "result:batch_start": _STARTED,
                        "result:batch_add_typed": on(typed_added, S.BATCH_LIST)},
        S.BATCH_DONE: {"next": on(finish, S.STAFF_MENU, S.HOME)},
    },
    views={S.BATCH_ITEM: item_view, S.BATCH_LIST: list_view, S.BATCH_TYPED: typed_view, S.BATCH_DONE: done_view},
)
