"""A citizen's own way in: home, identify, the health check and choosing the services (with "same item today"),
each state's handlers and view; the visit's path on from there is `flows.form`'s."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kiosk.badge import BADGES_NEED_PCSC
from kiosk.catalog.model import FormField, Item
from kiosk.identity.record import CardType
from kiosk.journey import materials as _materials
from kiosk.journey import texts as tx
from kiosk.journey import values
from kiosk.journey.core import Core, Flow, on
from kiosk.journey.events import Badge, CardInserted, CodeScanned, Next, Result, Tap
from kiosk.journey.flows.staff import lookup_signin_badge
from kiosk.journey.flows.visit import show_card_error
from kiosk.journey.states import HEALTH_METHODS, Part, S, helper_of
from kiosk.journey.view import CardsView, ChoiceView
from kiosk.journey.views import Draft, M, then, whose, words
from kiosk.locale import phrase
from kiosk.messages import Message
from kiosk.services import Receipt
from kiosk.session import EndReason, Mode
from kiosk.store.outbox import new_id

_SERVICES = (S.HEALTH, S.CATEGORIES, S.ITEMS)
_APPLY = (S.PROXY_CHECKING, S.MATERIALS, S.FORM, S.REVIEW)  # where choosing leads on


@dataclass
class CitizenPart(Part):
    """The citizen's own steps of a visit: what is chosen, the form's questions and answers, the receipts."""

    category: str | None = None
    health_waiting: str | None = None  # the way a staff member is to confirm the health check
    again_ok: bool = False  # "再办一次" chosen: the same item may be submitted a second time today
    material_index: int = 0
    questions: list[FormField] = field(default_factory=list)
    question: int = 0
    answers: dict[str, str] = field(default_factory=dict)
    phone_typing: bool = False
    known_phone: str | None = None
    phone_asked: bool = False  # the known phone was looked up for this visit (once, as soon as the person is known)
    receipts: list[Receipt] = field(default_factory=list)
    receipt_person: tuple[str, str] = ("", "")

    def wipe(self) -> None:
        self.answers.clear()
        self.known_phone = None
        self.receipts.clear()
        self.receipt_person = ("", "")



def _bare(m: Message) -> Message:
    """A device's sentence without its full stop, to go on with more words."""
    return Message(m.zh.rstrip("。."), m.en.rstrip("."))

def part(j: Core) -> CitizenPart:
    return CitizenPart.of(j.visit)


# --- home -----------------------------------------------------------------------------------------------------
def home_tap(j: Core, e: Tap) -> None:
    v = j.visit
    key = e.key
    if key in ("business", "print", "elderly") and j._device_ok("card_reader"):
        v.flow = key
        j._new_session()
        j._go(S.IDENTIFY)
    elif key == "ticket":
        v.flow = "ticket"
        j._new_session()
        v.ticket_request = new_id()
        j._go(S.TICKET)
    elif key == "volunteer":
        v.flow = "help"
        j._go(S.HELP)
    elif key == "staff_menu" and j.helper is not None:
        j._go(S.STAFF_MENU)
    elif key == "sign_out" and j.helper is not None:
        j._sign_out("button", EndReason.HOME)


def home_card(j: Core, e: CardInserted) -> None:
    if e.record.card_type is CardType.BADGE:
        lookup_signin_badge(j, Badge(e.record.uid or ""))
        e.record.wipe()
        return
    j.visit.flow = "business"
    j._new_session()
    j._go(S.IDENTIFY)
    identify_card(j, e)


def home_view(j: Core, d: Draft) -> None:
    reader_ok = j._device_ok("card_reader")
    if reader_ok:
        # A large picture of where the card goes: laying it there is the quickest way in (no tap at all).
        d.picture = "card_on_reader"
        d.picture_caption = tx.CARD_HERE
        d.choices += [ChoiceView("business", "business", phrase("journey.views.business")),
                      ChoiceView("print", "print", phrase("journey.views.print"))]
    d.choices.append(ChoiceView("ticket", "ticket", phrase("journey.views.ticket")))
    if reader_ok:
        d.choices.append(ChoiceView("elderly", "heart", phrase("journey.views.elderly")))
    d.choices.append(ChoiceView("volunteer", "volunteer", phrase("journey.views.volunteer")))
    if j.helper is not None:
        d.choices.append(ChoiceView("staff_menu", "shield", phrase("journey.views.staff_menu")))
    if not reader_ok:  # why, as the device said it (broken, or none configured), then what still works
        d.prompt = phrase("journey.views.prompt.reader_down_still", why=reader_down_why(j))
    d.help = False  # the tile is there


# --- identify ---------------------------------------------------------------------------------------------------
def identify_card(j: Core, e: CardInserted) -> None:
    if not j._person_card(e.record):
        return
    j._start_visit(e.record)
    after_identified(j)


def identify_tap(j: Core, e: Tap) -> None:
    if e.key == "proxy" and j._device_ok("card_reader"):  # a tap from before the reader was lost does nothing
        j.visit.proxy_pending = True
        j._go(S.PROXY_AGENT)


def identify_code(j: Core, _e: CodeScanned) -> None:
    # No mapping from a verified e-ID code to a person exists here, so it is not offered; said plainly.
    j._problem(tx.EID_NOT_OFFERED)


def reader_down_why(j: Core) -> Message:
    """Why no card can be read, as the device said it (broken, or none configured), to go on with more words."""
    return _bare(j.devices["card_reader"][1] or tx.READER_DOWN)


def identify_view(j: Core, d: Draft) -> None:
    if not j._device_ok("card_reader"):  # lost on this screen: no card is asked for, and 代办 needs one too
        d.prompt = phrase("journey.views.prompt.reader_down_identify", why=reader_down_why(j))
        d.cards = CardsView(card_readable=False)
        return
    d.choices.append(ChoiceView("proxy", "proxy", phrase("journey.views.proxy")))
    if j.visit.session is not None and j.visit.session.mode is Mode.PRIORITY:
        d.choices = []


def after_identified(j: Core) -> None:
    s = j.visit.session
    if j.settings.health_check_required and s is not None and s.health_check is None:
        j._go(S.HEALTH)
        return
    go_services(j)


def go_services(j: Core) -> None:
    v = j.visit
    served = j._served()
    if served is not None and served.id_number:  # what this person already did today (asked before a repeat)
        j._emit("done_today", id_number=served.id_number, day=j._today())
        if v.flow != "print":  # the print items ask no phone
            ask_known_phone(j, served.id_number)
    if v.flow in ("print", "elderly") or j.served_is_elderly():
        part(j).category = None
        j._go(S.ITEMS)
    else:
        j._go(S.CATEGORIES)


def ask_known_phone(j: Core, id_number: str) -> None:
    """Look up the phone the hall already knows for this person once per visit, as soon as they are known, so
    that the phone question shows "138****8000 是您的电话吗？" from the moment it appears."""
    p = part(j)
    if p.phone_asked or not j.settings.known_phone_lookup:
        return
    p.phone_asked = True
    j._emit("known_phone", id_number=id_number)


def note_known_phone(j: Core, e: Result) -> None:
    """Asked at identification: the answer may come in any state of the visit."""
    if e.error is None and e.value and values.valid_phone(str(e.value)):
        part(j).known_phone = str(e.value)


def note_done_today(j: Core, e: Result) -> None:
    """What this person submitted today (may arrive in any state of the visit)."""
    if e.error is None and isinstance(e.value, dict):
        j.visit.done_today = {str(k): str(v) for k, v in e.value.items()}


def verify_code(j: Core, e: CodeScanned) -> None:
    j._emit("verify_code", payload=e.payload)


# --- health check ---------------------------------------------------------------------------------------------
def health_tap(j: Core, e: Tap) -> None:
    if e.key not in ("staff_id_check", "paper_proof"):
        return
    if not j.settings.badges:  # a staff badge confirms either way, and this reader cannot read one
        j._problem(BADGES_NEED_PCSC)
        return
    part(j).health_waiting = e.key
    j._go(S.HEALTH_WAITING, push=False, keep_problem=True)
    j._emit("request_help", session=j.visit.session, note={"reason": "health_check", "method": e.key},
            elderly=j.served_is_elderly(), screen="health", item_code=None)


def health_badge(j: Core, e: Badge) -> None:
    j._emit("lookup_badge", uid=e.uid, purpose="health")


def health_badge_checked(j: Core, e: Result) -> None:
    s = j.visit.session
    if s is None:
        return
    if e.error is not None:
        j._problem(e.error)
        return
    waiting = part(j).health_waiting
    if waiting is None:
        return
    s.record_health_check(HEALTH_METHODS[waiting], helper_of(e.value))
    go_services(j)


def health_code_checked(j: Core, e: Result) -> None:
    s = j.visit.session
    if s is None:
        return
    ok, msg = values.health_code_ok(e.value, s.principal, j._today(), j.settings.health_kinds)
    if ok:
        s.record_health_check("code")
        go_services(j)
    else:
        j._problem(msg or tx.HEALTH_REFUSED)


def health_view(j: Core, d: Draft) -> None:
    d.title = tx.TITLES["health"]
    d.prompt = tx.PROMPTS[j.state.value]
    no_scan = j.code_scanner_problem()
    if j.state is S.HEALTH and no_scan is not None:  # never ask for a code that cannot be read here
        if not j.settings.code_scanner:
            d.prompt = tx.PROMPTS["health_no_scanner"]
        else:
            d.prompt = phrase("journey.views.prompt.no_scan_other_ways", why=_bare(no_scan), other=tx.OTHER_WAYS)
    w = part(j).health_waiting
    if not j.settings.badges:  # both ways end with a staff badge on the reader: not offered where none is read
        # With no code readable either, nothing can end the check here: say both, and where to go instead.
        ask = phrase("journey.views.ask.show_health_code_camera")
        if no_scan is not None:
            ask = phrase("journey.views.ask.no_health_code_read", why=_bare(no_scan))
        d.prompt = then(ask, BADGES_NEED_PCSC)
    else:
        d.choices += [ChoiceView("staff_id_check", "shield",
                                 phrase("journey.views.staff_id_check"),
                                 w == "staff_id_check"),
                      ChoiceView("paper_proof", "paper", phrase("journey.views.paper_proof"),
                                 w == "paper_proof")]


# --- choosing ---------------------------------------------------------------------------------------------------
def category_tap(j: Core, e: Tap) -> None:
    if any(c.code == e.key for c in j.catalog.categories):
        part(j).category = e.key
        j._go(S.ITEMS)


def items(j: Core) -> list[Item]:
    """What the items state offers: print items, elderly items first, only what allows an agent for one."""
    v = j.visit
    elderly = j.served_is_elderly() or v.flow == "elderly"
    agent = v.proxy_pending or (v.session is not None and v.session.agent is not None)
    if v.flow == "print":
        return values.print_items(j.catalog, elderly=elderly, agent=agent)
    return j.catalog.items_for(elderly=elderly, category=part(j).category, agent=agent)


def item_tap(j: Core, e: Tap) -> None:
    v = j.visit
    try:
        item = j.catalog.item(e.key)
    except KeyError:
        return
    if e.key in v.selected:
        v.selected.remove(e.key)
        v.problem = None
        return
    if v.proxy_pending and not item.proxy_allowed:
        j._problem(Message(tx.PERSONAL_ONLY.zh.format(item=item.name.zh),
                           tx.PERSONAL_ONLY.en.format(item=item.name.en)))
        return
    v.selected.append(e.key)
    v.problem = None


def items_next(j: Core, _e: Next) -> None:
    v = j.visit
    s = v.session
    if not v.selected:
        j._problem(tx.NOTHING_CHOSEN)
        return
    if s is None:
        return
    if repeats_today(j) and not part(j).again_ok:
        j._go(S.SAME_ITEM_TODAY)  # asked first; the default is not to submit it again
        return
    s.select_items(v.selected)
    if v.proxy_pending:  # acting for someone: their authorization is looked up first (`flows.proxy`)
        principal, agent = v.proxy_principal, s.principal
        if principal is None or agent is None:
            return
        j._go(S.PROXY_CHECKING)
        j._emit("find_authorization", principal_id_number=principal.id_number or "",
                agent_id_number=agent.id_number or "", items=list(v.selected), day=j._today())
        return
    go_materials(j)


def repeats_today(j: Core) -> list[str]:
    """Chosen items this person already submitted today (on this kiosk)."""
    return [c for c in j.visit.selected if c in j.visit.done_today]


def same_item_again(j: Core, e: Tap) -> None:
    if e.key != "again":
        return
    v = j.visit
    part(j).again_ok = True
    j._go(v.history.pop() if v.history else S.ITEMS, push=False, keep_problem=True)
    items_next(j, Next())


def same_item_not_again(j: Core, _e: Next) -> None:
    v = j.visit
    v.selected = [c for c in v.selected if c not in v.done_today]
    j._go(v.history.pop() if v.history else S.ITEMS, push=False)
    if v.selected:  # the other chosen items go on
        items_next(j, Next())


def material_pages(j: Core) -> list[str]:
    """The chosen items whose materials page asks something of the person (the others are skipped)."""
    s = j.visit.session
    if s is None:
        return []
    return _materials.pages(j.catalog, list(s.selected_items), s.principal)


def go_materials(j: Core) -> None:
    """The chosen items' materials pages; when every material is already in hand (the card just read, shared
    data) there is nothing to do there: straight on to the form (the review lists what is in hand)."""
    part(j).material_index = 0
    if material_pages(j):
        j._go(S.MATERIALS)
    else:
        start_form(j)


def start_form(j: Core) -> None:
    """The form asks only what the card does not hold (a card field the card lacks is completed at the counter,
    never typed in Chinese); with nothing to ask, on to the review."""
    s = j.visit.session
    if s is None:
        return
    p = part(j)
    p.questions, p.answers, p.question, p.phone_typing = [], {}, 0, False
    person = s.principal
    for f in j.catalog.merged_fields(list(s.selected_items)):
        if f.from_card:
            value = getattr(person, f.from_card, None) if person is not None else None
            if isinstance(value, dt.date):
                value = value.isoformat()
            if value:
                s.set_form_value(f.code, str(value))
            continue
        p.questions.append(f)
    if p.questions:
        j._go(S.FORM)
        if any(f.kind == "phone" for f in p.questions) and person:
            ask_known_phone(j, person.id_number or "")
    else:
        j._go(S.REVIEW)


def categories_view(j: Core, d: Draft) -> None:
    d.choices += [ChoiceView(c.code, c.icon, words(c.name)) for c in j.catalog.categories]
    d.catalog_icons = True
    d.whose = whose(j)


def items_view(j: Core, d: Draft) -> None:
    v = j.visit
    if v.flow == "print":
        d.title = tx.TITLES["items_print"]
    elif v.flow == "elderly" or j.served_is_elderly():
        d.title = tx.TITLES["items_elderly"]
    d.choices += [ChoiceView(i.code, "business", words(i.name), i.code in v.selected) for i in items(j)]
    d.next = tx.NEXT
    n = len(v.selected)
    if n:  # said once something is chosen (its line is there from the start: nothing moves)
        d.chosen = phrase("journey.views.chosen", n=n)
    d.whose = whose(j)


def same_item_view(j: Core, d: Draft) -> None:
    from kiosk.services import human_receipt_number

    done = [(j.catalog.item(c).name, human_receipt_number(j.visit.done_today[c])) for c in repeats_today(j)]
    said = [phrase("journey.views.item_with_receipt", item=n, number=no) for n, no in done]
    # The number never leaves its word (a no-break space in the Chinese catalog text).
    d.title = phrase("journey.views.title.you_already_did_today",
                     items=M("、".join(m.zh for m in said), "; ".join(m.en for m in said)))
    d.prompt = phrase("journey.views.prompt.usually_there_no_need")
    d.choices.append(ChoiceView("again", "send", phrase("journey.views.again")))
    d.next, d.icon = phrase("journey.views.no_not_again"), "yes"  # the default and the primary place: not again


_CHECKED = (S.CATEGORIES, S.ITEMS)
_HEALTH_RESULTS = {"result:lookup_badge": on(health_badge_checked, *_CHECKED),
                   "result:verify_code": on(health_code_checked, *_CHECKED)}
_CARD_ERROR = on(show_card_error)
FLOW = Flow(
    "citizen",
    table={
        S.HOME: {"tap": on(home_tap, S.IDENTIFY, S.TICKET, S.HELP, S.STAFF_MENU, S.TAKE_CARD),
                 "card_inserted": on(home_card, S.IDENTIFY, *_SERVICES)},
        S.IDENTIFY: {"card_inserted": on(identify_card, *_SERVICES), "card_error": _CARD_ERROR,
                     "tap": on(identify_tap, S.PROXY_AGENT), "code_scanned": on(identify_code)},
        S.HEALTH: {"code_scanned": on(verify_code), **_HEALTH_RESULTS, "tap": on(health_tap, S.HEALTH_WAITING)},
        S.HEALTH_WAITING: {"badge": on(health_badge), **_HEALTH_RESULTS, "tap": on(health_tap),
                           "code_scanned": on(verify_code)},
        S.CATEGORIES: {"tap": on(category_tap, S.ITEMS)},
        S.ITEMS: {"tap": on(item_tap), "next": on(items_next, *_APPLY, S.SAME_ITEM_TODAY)},
        S.SAME_ITEM_TODAY: {"tap": on(same_item_again, S.ITEMS, *_APPLY),
                            "next": on(same_item_not_again, S.ITEMS, *_APPLY)},
    },
    everywhere={"result:done_today": on(note_done_today), "result:known_phone": on(note_known_phone)},
    views={S.HOME: home_view, S.IDENTIFY: identify_view, S.HEALTH: health_view, S.HEALTH_WAITING: health_view,
           S.CATEGORIES: categories_view, S.ITEMS: items_view, S.SAME_ITEM_TODAY: same_item_view},
)
