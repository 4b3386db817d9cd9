"""The application's path after choosing: the materials pages, the form's questions, the review and the receipt
(`done`), each state's handlers and view. What it keeps of the visit is `CitizenPart` (`flows.citizen`)."""

from __future__ import annotations

from kiosk.catalog.model import FormField
from kiosk.journey import texts as tx
from kiosk.journey import values
from kiosk.journey.core import Core, Flow, on
from kiosk.journey.events import Next, Result, Tap
from kiosk.journey.flows.citizen import material_pages, part, start_form
from kiosk.journey.flows.visit import finish
from kiosk.journey.materials import all_in_hand
from kiosk.journey.materials_words import material_lines
from kiosk.journey.states import ENDS, S
from kiosk.journey.values import takes_id_number
from kiosk.journey.view import ChoiceView, KeypadView, MaterialsView, QuestionView, SummaryView
from kiosk.journey.views import Draft, M, bilingual, display_value, masked_phone_question, words
from kiosk.locale import phrase
from kiosk.session import EndReason


# --- materials ------------------------------------------------------------------------------------------------
def materials_next(j: Core, _e: Next) -> None:
    p = part(j)
    if p.material_index + 1 < len(material_pages(j)):
        p.material_index += 1
        return
    start_form(j)


def materials_view(j: Core, d: Draft) -> None:
    codes = material_pages(j)  # the items with something to hand in (the others' pages are skipped)
    i = part(j).material_index
    if len(codes) > 1:
        d.title = phrase("journey.views.title.materials", material_index=i + 1, count=len(codes))
    if codes:
        code = codes[min(i, len(codes) - 1)]
        shown = j.catalog.item(code)
        # What really satisfied each material (the card read here, or a shared source), or where paper goes.
        d.materials = MaterialsView(code, tuple(material_lines(shown, j.catalog.department(shown.department).window,
                                                               j._served())))
    d.next = tx.NEXT


# --- form -----------------------------------------------------------------------------------------------------
def current_field(j: Core) -> FormField | None:
    p = part(j)
    return p.questions[p.question] if 0 <= p.question < len(p.questions) else None


def offers_known_phone(j: Core) -> bool:
    f = current_field(j)
    p = part(j)
    return bool(f is not None and f.kind == "phone" and p.known_phone and not p.phone_typing)


def form_tap(j: Core, e: Tap) -> None:
    p = part(j)
    f = current_field(j)
    if f is None:
        return
    if offers_known_phone(j):
        if e.key == "phone_yes":
            _answer(j, f, p.known_phone or "")
        elif e.key == "phone_no":
            p.phone_typing = True
            j.visit.problem = None
        return
    if f.kind != "choice" or not e.key.isdigit() or int(e.key) >= len(f.choices):
        return
    p.answers[f.code] = f.choices[int(e.key)].zh  # stored in the catalog's canonical language
    j.visit.problem = None


def form_next(j: Core, e: Next) -> None:
    f = current_field(j)
    if f is None:
        j._go(S.REVIEW)
        return
    if offers_known_phone(j):
        return  # the yes / no tiles answer this question
    value = part(j).answers.get(f.code, "") if f.kind == "choice" else e.value
    problem = values.check_field(f, value)
    if problem is not None:
        j._problem(problem)
        return
    _answer(j, f, value)


def _answer(j: Core, f: FormField, value: str) -> None:
    p = part(j)
    s = j.visit.session
    if s is None:
        return
    p.answers[f.code] = value
    if f.kind == "date":
        day = values.valid_date(value)
        s.set_form_value(f.code, day.isoformat() if day else value)
    else:
        s.set_form_value(f.code, value)
    j.visit.problem = None
    if p.question + 1 < len(p.questions):
        p.question += 1
        return
    j._go(S.REVIEW)


_KEYPAD_PROMPTS = {"phone": phrase("journey.views.type_phone_number_with"),
                   "date": phrase("journey.views.type_date_as_year"),
                   "id": phrase("journey.views.type_id_number_with"),
                   "digits": phrase("journey.views.type_number_with_number")}


def form_view(j: Core, d: Draft) -> None:
    p = part(j)
    f = current_field(j)
    d.next = tx.NEXT
    if f is None:
        return
    label = f.label
    many = len(p.questions) > 1
    n, of = p.question + 1, len(p.questions)
    d.title = phrase("journey.views.title.question_of", label=label, number=n, count=of) if many else words(label)
    kind: str | None = None
    if offers_known_phone(j):
        d.title = masked_phone_question(p.known_phone or "")
        d.prompt = phrase("journey.views.prompt.touch_yes_if_otherwise")
        d.choices += [ChoiceView("phone_yes", "yes", phrase("journey.views.phone_yes")),
                      ChoiceView("phone_no", "pen", phrase("journey.views.phone_no"))]
        d.next = None
    elif f.kind == "choice":
        chosen = p.answers.get(f.code)
        d.choices += [ChoiceView(str(i), "yes" if c.zh == chosen else "empty_box", words(c), c.zh == chosen)
                      for i, c in enumerate(f.choices)]
    else:
        kind = "phone" if f.kind == "phone" else "date" if f.kind == "date" else \
            "id" if takes_id_number(f) else "digits"
        d.prompt = _KEYPAD_PROMPTS[kind]
        d.keypad = KeypadView(f.max_length if f.kind != "date" else 8, allow_x=takes_id_number(f),
                              value=p.answers.get(f.code, ""),
                              expects=tx.EXPECTS.get(kind) or tx.expects_digits(f.max_length))
    d.question = QuestionView(n, of, words(label), kind)


# --- review, done ---------------------------------------------------------------------------------------------
def review_submit(j: Core, _e: Next) -> None:
    v = j.visit
    s = v.session
    if v.busy or s is None or s.principal is None:
        return  # a second tap while submitting does nothing
    v.busy = True
    part(j).receipt_person = (s.principal.display_name, s.principal.display_id_number)
    j._emit("submit", session=s)


def review_result(j: Core, e: Result) -> None:
    v = j.visit
    p = part(j)
    v.busy = False
    if e.error is not None:
        j._problem(e.error)
        return
    p.receipts = list(e.value)
    s = v.session
    if s is not None:
        s.end(EndReason.DONE)
        j._emit("record_session", session=s, event="visit_end")
        j.ended.append(s)
    v.history.clear()
    j._go(S.DONE, push=False)
    v.printed = "printing"
    j._emit("print_receipt", receipts=list(p.receipts), name=p.receipt_person[0], id_text=p.receipt_person[1])
    j._emit("wake_sync")


def printed(j: Core, e: Result) -> None:
    j.visit.printed = "printed" if e.error is None and e.value else "failed"


def review_view(j: Core, d: Draft) -> None:
    v = j.visit
    s = v.session
    d.next, d.icon = tx.SUBMIT, "send"
    if v.busy:
        d.prompt = phrase("journey.views.prompt.submitting")
    if s is None or s.principal is None:
        return
    names = [j.catalog.item(c).name for c in s.selected_items]
    d.rows.append((phrase("journey.views.services"), ""))
    services = M("、".join(i.zh for i in names), "; ".join(i.en for i in names))
    d.rows.append((phrase("journey.views.applicant"),
                   f"{s.principal.display_name}  {s.principal.display_id_number}"))
    who = helper = None
    if s.agent is not None:
        d.rows.append((phrase("journey.views.acting_applicant"),
                       f"{s.agent.display_name}  {s.agent.display_id_number}"))
        who = phrase("journey.views.acting", agent=s.agent.display_name, principal=s.principal.display_name)
    if s.helper is not None:
        d.rows.append((phrase("journey.views.helped_by"), s.helper.display_name))
        helper = bilingual(s.helper.display_name)
    d.summary = SummaryView(services, who, helper)
    for f in part(j).questions:
        value = s.form_values.get(f.code)
        if value:
            d.rows.append((words(f.label), display_value(f, str(value))))
    pages_shown = set(material_pages(j))
    skipped = [c for c in s.selected_items if c not in pages_shown]
    in_hand = all_in_hand(j.catalog, skipped, s.principal)
    if in_hand:  # the materials of a page skipped (nothing to do there), said here instead
        d.rows.append((tx.MATERIALS_IN_HAND, M("、".join(m.name.zh for m in in_hand),
                                               "; ".join(m.name.en for m in in_hand))))


def done_view(j: Core, d: Draft) -> None:
    d.next, d.icon = tx.FINISH, "yes"
    d.printed = j.visit.printed
    d.receipts = tuple(part(j).receipts)


_END = on(finish, *ENDS)
FLOW = Flow(
    "form",
    table={
        S.MATERIALS: {"next": on(materials_next, S.FORM, S.REVIEW)},
        S.FORM: {"next": on(form_next, S.REVIEW), "tap": on(form_tap, S.REVIEW)},
        S.REVIEW: {"next": on(review_submit), "result:submit": on(review_result, S.DONE)},
        S.DONE: {"next": _END, "timeout": _END, "result:print_receipt": on(printed),
                 "result:print_ticket": on(printed)},
    },
    views={S.MATERIALS: materials_view, S.FORM: form_view, S.REVIEW: review_view, S.DONE: done_view},
)
