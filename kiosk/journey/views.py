"""Each state's view model: title, prompt, choices, masked values, the primary action and which of Back / Home /
Call volunteer / 这件事我办不了 / Sign out are offered. A control is offered only when a tap on it does something."""

from __future__ import annotations

import re
from typing import Protocol

from kiosk.badge import BADGES_NEED_PCSC
from kiosk.catalog.model import Catalog, FormField, Item, Text
from kiosk.identity import mask_id_number, mask_phone
from kiosk.identity.record import IdentityRecord
from kiosk.journey import texts as tx
from kiosk.journey.materials import all_in_hand
from kiosk.journey.materials_words import material_lines
from kiosk.journey.states import DIFFICULT_FROM, JourneySettings, State, Visit
from kiosk.journey.values import takes_id_number
from kiosk.journey.view import ChoiceView, KeypadView, View
from kiosk.locale import phrase
from kiosk.messages import BLANK, Message
from kiosk.session import Helper, Mode
from kiosk.tickets import LANE_NAMES

M = Message


class Journey(Protocol):
    """What a view reads of the journey (`kiosk.journey.machine.Journey`), named here so that the machine may
    build its views without this module importing the machine back."""

    catalog: Catalog
    settings: JourneySettings
    state: State
    visit: Visit
    helper: Helper | None
    devices: dict[str, tuple[bool, Message | None]]

    @property
    def screen(self) -> str: ...
    @property
    def field(self) -> FormField | None: ...
    def items(self) -> list[Item]: ...
    def batch_items(self) -> list[Item]: ...
    def may(self, action: str) -> bool: ...
    def may_green_channel(self) -> bool: ...
    def offers_known_phone(self) -> bool: ...
    def difficult_known_phone(self) -> str | None: ...
    def served_is_elderly(self) -> bool: ...
    def repeats_today(self) -> list[str]: ...
    def material_pages(self) -> list[str]: ...
    def _served(self) -> IdentityRecord | None: ...
    def _device_ok(self, name: str) -> bool: ...
    def code_scanner_problem(self) -> Message | None: ...


def _then(first: Message, second: Message) -> Message:
    """Two sentences as one prompt."""
    return phrase("journey.views.two_sentences", first=first, second=second)


def _bare(m: Message) -> Message:
    """A device's sentence without its full stop, to go on with more words."""
    return M(m.zh.rstrip("。."), m.en.rstrip("."))


def _words(t: Text) -> Message:
    """A catalog text (item, category, question, option) as the view's bilingual message."""
    return M(t.zh, t.en)


def masked_phone_question(phone: str) -> Message:
    m = mask_phone(phone)
    return phrase("journey.views.phone_number", m=m)


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def bilingual(name: str) -> Message:
    """A roster display name such as "张三 Zhang San" in each language (as written when there is one form)."""
    words = name.split()
    zh = " ".join(w for w in words if _CJK.search(w))
    en = " ".join(w for w in words if not _CJK.search(w))
    return M(zh or name, en or name)


def _banner(j: Journey) -> Message | None:
    parts: list[Message] = []
    h = j.helper
    if h is not None:
        who = bilingual(h.display_name)
        parts.append(phrase("journey.assisted", role=tx.ROLES[h.role.value], name=who))
    s = j.visit.session
    if s is not None and s.mode is Mode.PRIORITY:
        parts.append(tx.PRIORITY_ON)
    elif s is not None and h is not None and h.role.value == "staff" and s.is_elderly and \
            j.state.value in ("categories", "items", "materials", "form", "review"):
        # Age from the card: the green channel is suggested to the staff member (they decide).
        age = j.settings.elderly_age
        parts.append(M(tx.ELDERLY_SUGGESTED.zh.format(age=age), tx.ELDERLY_SUGGESTED.en.format(age=age)))
    if not j._device_ok("card_reader") and j.state.value in ("home", "identify", "proxy_agent", "proxy_principal"):
        parts.append(j.devices["card_reader"][1] or tx.READER_DOWN)
    if not parts:
        return None
    return M(" · ".join(p.zh for p in parts), " · ".join(p.en for p in parts))


def _whose(j: Journey, extra: dict[str, object]) -> None:
    """"是 陈*芳 本人吗？" where the list begins: whose card was read (masked as on the review screen); for an
    agent, the person acted for."""
    served = j._served()
    if served is None or not served.display_name:
        return
    name = served.display_name
    if j.visit.proxy_pending or (j.visit.session is not None and j.visit.session.agent is not None):
        extra["whose"] = phrase("journey.views.acting_right_person", name=name)
        extra["whose_first"] = True  # two cards were read: which one counts is said before anything is chosen
    else:
        extra["whose"] = phrase("journey.views.s_card", name=name)


# The part of a visit's path each state belongs to: the step counter (第2步/共4步) counts these parts, so two screens
# of one part share its number (the agent's card and the checking of it) and two parts never share one. States
# not listed are not on a path: home, detours (help, a difficult case), the ends (done, tickets), staff panels.
_PART: dict[State, str] = {
    State.IDENTIFY: "identify", State.PROXY_AGENT: "identify", State.PROXY_PRINCIPAL: "identify",  # ① and ②
    State.PROXY_TYPED: "identify", State.HEALTH: "health", State.HEALTH_WAITING: "health",
    State.CATEGORIES: "choose", State.ITEMS: "choose", State.SAME_ITEM_TODAY: "choose", State.PROXY_CHECKING: "choose",
    State.PROXY_CODE: "authorize", State.PROXY_PAPER: "authorize", State.MATERIALS: "materials", State.FORM: "form",
    State.REVIEW: "review",
}
_PATH_FLOWS = ("business", "elderly", "print")  # the ways into an application; a ticket or a call is one screen


def path(j: Journey) -> list[str]:
    """The parts of the path this visit has chosen, in order ([] where there is none). Before the services are
    chosen the materials and the form are counted (most services have both); once chosen, a materials page that
    asks nothing or a form with no question left drops out, so the count only ever shrinks."""
    v = j.visit
    s = v.session
    if v.flow not in _PATH_FLOWS or s is None or s.ended is not None:
        return []
    proxy = v.proxy_pending or s.agent is not None
    parts = ["identify"]  # acting for someone, both cards are this one step (the screen numbers them ① ②)
    if j.settings.health_check_required:
        parts.append("health")
    parts.append("choose")
    if proxy and v.authorize_asked:
        parts.append("authorize")
    chosen = list(s.selected_items)
    if not chosen or j.material_pages():
        parts.append("materials")
    if not chosen or any(not f.from_card for f in j.catalog.merged_fields(chosen)):
        parts.append("form")
    return [*parts, "review"]


def step_of(j: Journey) -> tuple[int, int] | None:
    """(this step, all steps) of the chosen path, or None where the person is on no path."""
    part = _PART.get(j.state)
    parts = path(j) if part is not None else []
    if part not in parts:
        return None
    return parts.index(part) + 1, len(parts)


def build_view(j: Journey) -> View:
    st = j.state
    v = j.visit
    name = st.value
    title = tx.TITLES.get(name, tx.TITLES.get(j.screen, M(name, name)))
    prompt = tx.PROMPTS.get(name, BLANK)
    choices: list[ChoiceView] = []
    rows: list[tuple[Message, str | Message]] = []
    nxt: Message | None = None
    icon = "next"
    keypad: KeypadView | None = None
    big = ""
    extra: dict[str, object] = {}
    row_values: list[Message] = []  # batch rows: each person's outcome, beside their row
    identified = v.session is not None and v.session.principal is not None
    back = bool(v.history) or st in (State.HELP, State.DIFFICULT_CASE)
    home = st is not State.HOME
    helpable = st not in (State.HELP, State.SIGNIN, State.SIGNIN_LOCKED, State.STAFF_MENU, State.PRIORITY_CONFIRM,
                          State.BATCH_ITEM, State.BATCH_LIST, State.BATCH_TYPED, State.BATCH_DONE)
    if st is State.HOME:
        reader_ok = j._device_ok("card_reader")
        if reader_ok:
            # A large picture of where the card goes: laying it there is the quickest way in (no tap at all).
            extra["picture"] = "card_on_reader"
            extra["picture_caption"] = tx.CARD_HERE
            choices += [ChoiceView("business", "business", phrase("journey.views.business")),
                        ChoiceView("print", "print", phrase("journey.views.print"))]
        choices.append(ChoiceView("ticket", "ticket", phrase("journey.views.ticket")))
        if reader_ok:
            choices.append(ChoiceView("elderly", "heart", phrase("journey.views.elderly")))
        choices.append(ChoiceView("volunteer", "volunteer", phrase("journey.views.volunteer")))
        if j.helper is not None:
            choices.append(ChoiceView("staff_menu", "shield", phrase("journey.views.staff_menu")))
        if not reader_ok:  # why, as the device said it (broken, or none configured), then what still works
            why = j.devices["card_reader"][1] or tx.READER_DOWN
            prompt = phrase("journey.views.prompt.reader_down_still", why=_bare(why))
        helpable = False  # the tile is there
    elif st is State.IDENTIFY:
        choices.append(ChoiceView("proxy", "proxy", phrase("journey.views.proxy")))
        if v.session is not None and v.session.mode is Mode.PRIORITY:
            choices = []
    elif st in (State.PROXY_AGENT, State.PROXY_PRINCIPAL, State.PROXY_CHECKING, State.PROXY_CODE):
        title = tx.TITLES["proxy"]
        prompt = tx.PROMPTS[{"proxy_agent": "proxy", "proxy_principal": "proxy_principal",
                            "proxy_checking": "proxy_checking", "proxy_code": "proxy_code"}[name]]
        if st is State.PROXY_PRINCIPAL:
            choices.append(ChoiceView("type_id", "pen", phrase("journey.views.type_id")))
            agent = v.session.principal if v.session is not None else None
            if agent is not None:
                extra["agent_name"] = agent.display_name
        if st in (State.PROXY_CHECKING, State.PROXY_CODE):  # both cards named: the agent's and the other's
            agent = v.session.principal if v.session is not None else None
            if agent is not None:
                extra["agent_name"] = agent.display_name
            served = j._served()
            if served is not None:  # a typed number has no name: its masked number instead
                extra["principal_name"] = served.display_name or served.display_id_number
        if st is State.PROXY_CODE:
            extra["code_readable"] = j.code_scanner_problem() is None
        if st is State.PROXY_CODE and j.code_scanner_problem() is not None:  # never ask for a code it cannot read
            prompt = tx.PROXY_CODE_UNREADABLE
        if st is State.PROXY_CODE and not j.settings.badges:
            prompt = _then(prompt, BADGES_NEED_PCSC)  # no paper choice: staff could not confirm it here
        if st is State.PROXY_CODE and j.settings.badges:
            choices.append(ChoiceView("paper", "paper", phrase("journey.views.paper")))
        if st is State.PROXY_CODE:
            choices.append(ChoiceView("volunteer", "volunteer", phrase("journey.views.volunteer_help_me")))
            helpable = False
    elif st is State.PROXY_TYPED:
        keypad = KeypadView(18, allow_x=True, expects=tx.EXPECTS["id"])
        nxt = tx.NEXT
    elif st is State.PROXY_PAPER:
        from kiosk.journey.states import PAPER_REASONS

        stage = v.paper_stage
        who = bilingual(v.paper_staff.display_name if v.paper_staff else "")
        agent, principal = (v.session.principal if v.session is not None else None), v.proxy_principal
        if agent is not None and principal is not None:  # whose cards were read, masked, for staff to check
            rows += [(tx.PAPER_PRINCIPAL, principal.display_name or principal.display_id_number),
                     (tx.PAPER_AGENT, agent.display_name)]
        if stage == "badge":
            prompt = phrase("journey.views.prompt.staff_check_paper_power")
            choices.append(ChoiceView("volunteer", "volunteer", phrase("journey.views.volunteer_help_me")))
            helpable = False
        elif stage == "reason":
            prompt = phrase("journey.views.prompt.choose_reason_authorization", who=who)
            choices += [ChoiceView(k, "paper", t) for k, t in PAPER_REASONS]
        else:
            prompt = phrase("journey.views.prompt.type_pin_confirm_then", who=who)
            keypad = KeypadView(8, secret=True, expects=tx.EXPECTS["pin"])
            nxt, icon = phrase("journey.views.confirm"), "yes"
    elif st in (State.HEALTH, State.HEALTH_WAITING):
        title = tx.TITLES["health"]
        prompt = tx.PROMPTS[name]
        no_scan = j.code_scanner_problem()
        if st is State.HEALTH and no_scan is not None:  # never ask for a code that cannot be read here
            if not j.settings.code_scanner:
                prompt = tx.PROMPTS["health_no_scanner"]
            else:
                prompt = phrase("journey.views.prompt.no_scan_other_ways", why=_bare(no_scan), other=tx.OTHER_WAYS)
        w = v.health_waiting
        if not j.settings.badges:  # both ways end with a staff badge on the reader: not offered where none is read
            # With no code readable either, nothing can end the check here: say both, and where to go instead.
            ask = phrase("journey.views.ask.show_health_code_camera")
            if no_scan is not None:
                ask = phrase("journey.views.ask.no_health_code_read", why=_bare(no_scan))
            prompt = _then(ask, BADGES_NEED_PCSC)
        else:
            choices += [ChoiceView("staff_id_check", "shield",
                                   phrase("journey.views.staff_id_check"),
                                   w == "staff_id_check"),
                        ChoiceView("paper_proof", "paper", phrase("journey.views.paper_proof"),
                                   w == "paper_proof")]
    elif st is State.CATEGORIES:
        choices += [ChoiceView(c.code, c.icon, _words(c.name)) for c in j.catalog.categories]
        extra["catalog_icons"] = True
        _whose(j, extra)
    elif st is State.ITEMS:
        if v.flow == "print":
            title = tx.TITLES["items_print"]
        elif v.flow == "elderly" or j.served_is_elderly():
            title = tx.TITLES["items_elderly"]
        choices += [ChoiceView(i.code, "business", _words(i.name), i.code in v.selected) for i in j.items()]
        nxt = tx.NEXT
        n = len(v.selected)
        if n:  # said once something is chosen (its line is there from the start: nothing moves)
            extra["chosen"] = phrase("journey.views.chosen", n=n)
        _whose(j, extra)
    elif st is State.MATERIALS:
        codes = j.material_pages()  # the items with something to hand in (the others' pages are skipped)
        if len(codes) > 1:
            title = phrase("journey.views.title.materials", material_index=v.material_index + 1, count=len(codes))
        if codes:
            extra["item"] = code = codes[min(v.material_index, len(codes) - 1)]
            shown = j.catalog.item(code)
            # What really satisfied each material (the card read here, or a shared source), or where paper goes.
            extra["materials"] = material_lines(shown, j.catalog.department(shown.department).window, j._served())
        nxt = tx.NEXT
    elif st is State.FORM:
        f = j.field
        nxt = tx.NEXT
        if f is not None:
            label = f.label
            many = len(v.questions) > 1
            title = (phrase("journey.views.title.question_of", label=label, number=v.question + 1,
                            count=len(v.questions)) if many else _words(label))
            extra["question"] = (v.question + 1, len(v.questions))
            extra["label"] = _words(label)
            if j.offers_known_phone():
                title = masked_phone_question(v.known_phone or "")
                prompt = phrase("journey.views.prompt.touch_yes_if_otherwise")
                choices += [ChoiceView("phone_yes", "yes", phrase("journey.views.phone_yes")),
                            ChoiceView("phone_no", "pen", phrase("journey.views.phone_no"))]
                nxt = None
            elif f.kind == "choice":
                chosen = v.answers.get(f.code)
                choices += [ChoiceView(str(i), "yes" if c.zh == chosen else "empty_box", _words(c), c.zh == chosen)
                            for i, c in enumerate(f.choices)]
            else:
                kind = "phone" if f.kind == "phone" else "date" if f.kind == "date" else \
                    "id" if takes_id_number(f) else "digits"
                prompt = {"phone": phrase("journey.views.type_phone_number_with"),
                          "date": phrase("journey.views.type_date_as_year"),
                          "id": phrase("journey.views.type_id_number_with"),
                          "digits": phrase("journey.views.type_number_with_number")}[kind]
                keypad = KeypadView(f.max_length if f.kind != "date" else 8, allow_x=takes_id_number(f),
                                    value=v.answers.get(f.code, ""),
                                    expects=tx.EXPECTS.get(kind) or tx.expects_digits(f.max_length))
                extra["kind"] = kind
    elif st is State.REVIEW:
        s = v.session
        nxt, icon = tx.SUBMIT, "send"
        if v.busy:
            prompt = phrase("journey.views.prompt.submitting")
        if s is not None and s.principal is not None:
            items = [j.catalog.item(c).name for c in s.selected_items]
            rows.append((phrase("journey.views.services"), ""))
            extra["services"] = M("、".join(i.zh for i in items), "; ".join(i.en for i in items))
            rows.append((phrase("journey.views.applicant"),
                         f"{s.principal.display_name}  {s.principal.display_id_number}"))
            if s.agent is not None:
                rows.append((phrase("journey.views.acting_applicant"),
                             f"{s.agent.display_name}  {s.agent.display_id_number}"))
                extra["who"] = phrase("journey.views.acting", agent=s.agent.display_name,
                                      principal=s.principal.display_name)
            if s.helper is not None:
                rows.append((phrase("journey.views.helped_by"), s.helper.display_name))
                extra["helper"] = bilingual(s.helper.display_name)
            for f in v.questions:
                value = s.form_values.get(f.code)
                if value:
                    rows.append((_words(f.label), _display_value(f, str(value))))
            pages_shown = set(j.material_pages())
            skipped = [c for c in s.selected_items if c not in pages_shown]
            in_hand = all_in_hand(j.catalog, skipped, s.principal)
            if in_hand:  # the materials of a page skipped (nothing to do there), said here instead
                rows.append((tx.MATERIALS_IN_HAND, M("、".join(m.name.zh for m in in_hand),
                                                     "; ".join(m.name.en for m in in_hand))))
    elif st is State.DONE:
        nxt, icon = tx.FINISH, "yes"
        extra["printed"] = v.printed
    elif st is State.TICKET:
        choices.append(ChoiceView("take", "ticket", phrase("journey.views.take")))
    elif st is State.TICKET_DONE or st is State.DIFFICULT_CASE_DONE:
        t = v.ticket or {}
        big = str(t.get("number", ""))
        lane = t.get("lane", "normal")
        extra["lane"] = lane
        extra["lane_text"] = LANE_NAMES.get(lane, LANE_NAMES["normal"])
        extra["printed"] = v.printed
        nxt, icon = tx.FINISH, "yes"
        back = False
    elif st is State.HELP:
        where = j.settings.help_desk
        hs = v.help_state
        if hs == "claimed":
            status = M(tx.HELP_CLAIMED.zh.format(name=v.help_claimed_by), tx.HELP_CLAIMED.en.format(
                name=v.help_claimed_by))
        elif j.devices.get("network", (hs != "offline", None))[0] is False:
            # One truth: offline only when the network state the status strip shows says so (a failed look-up
            # of this one request does not contradict the strip).
            status = M(tx.HELP_OFFLINE.zh.format(where=where.zh), tx.HELP_OFFLINE.en.format(where=where.en))
        elif hs == "failed":
            status = tx.HELP_FAILED
        else:
            status = M(tx.HELP_NO_CLAIM_YET.zh.format(where=where.zh), tx.HELP_NO_CLAIM_YET.en.format(where=where.en))
        prompt = status
        extra["status"] = status
        extra["detail"] = tx.HELP_BACK if v.history and v.history[-1] is not State.HOME else BLANK
    elif st is State.SIGNIN:
        keypad = KeypadView(8, secret=True, expects=tx.EXPECTS["pin"])
        nxt, icon = tx.SIGN_IN, "yes"
        back = False
    elif st is State.SIGNIN_LOCKED:
        choices.append(ChoiceView("home", "home", phrase("journey.views.home")))
        home = False
        back = False
    elif st is State.STAFF_MENU:
        tiles = (("assist", "volunteer", phrase("journey.views.help_citizen")),
                 ("priority", "heart", phrase("journey.views.green_channel")),
                 ("proxy_paper", "paper", phrase("journey.views.proxy_with_paper_authorization")),
                 ("batch", "business", phrase("journey.views.batch_handling")))
        choices += [ChoiceView(k, icon_, t) for k, icon_, t in tiles if j.may(k)]  # only what the role may do
        choices.append(ChoiceView("sign_out", "back", phrase("journey.views.sign_out")))
        back = False
    elif st is State.PRIORITY_CONFIRM:
        from kiosk.green_channel import suggest_priority
        from kiosk.journey.states import PRIORITY_REASONS

        suggested = suggest_priority(v.session) if v.session is not None else None
        choices += [ChoiceView(k, "heart", t, k == suggested) for k, t in PRIORITY_REASONS]
        if v.busy:
            prompt = phrase("journey.views.prompt.opening")
    elif st is State.BATCH_ITEM:
        choices += [ChoiceView(i.code, "business", _words(i.name)) for i in j.batch_items()]
    elif st is State.BATCH_LIST:
        item = j.catalog.item(v.batch_item) if v.batch_item else None
        if item is not None:
            title = phrase("journey.views.title.batch", name=item.name)
        for n, entry in enumerate(v.batch_entries[-3:], start=max(1, len(v.batch_entries) - 2)):  # the latest
            state = phrase("journey.views.submitted_receipt_no", number=entry.receipt.number) \
                if entry.ok and entry.receipt is not None else (entry.error or phrase("journey.views.not_done"))
            who_ = f"{n}. {entry.masked_name} {entry.masked_id}"
            rows.append((M(who_, who_), ""))
            row_values.append(state)
        choices.append(ChoiceView("type_id", "pen", phrase("journey.views.type_id")))
        if v.batch_entries:
            nxt, icon = phrase("journey.views.finish_batch"), "yes"
        if v.busy:
            prompt = phrase("journey.views.prompt.finishing")
        back = False
    elif st is State.BATCH_TYPED:
        if v.batch_typing == "phone":
            title = phrase("journey.views.title.contact_phone_home_helper")
            prompt = phrase("journey.views.prompt.phone_used_everyone_batch")
            keypad = KeypadView(12, expects=tx.EXPECTS["phone"])
        else:
            keypad = KeypadView(18, allow_x=True, expects=tx.EXPECTS["id"])
        nxt = tx.NEXT
    elif st is State.BATCH_DONE:
        summary = v.batch_summary
        if summary is not None:
            title = phrase("journey.views.title.batch_finished_submitted", count=len(summary.done))
            prompt = summary.message
            for entry in [*summary.done, *summary.refused][:8]:
                who_ = f"{entry.masked_name} {entry.masked_id}"
                rows.append((M(who_, who_), ""))
                row_values.append(
                    phrase("journey.views.receipt_no", number=entry.receipt.number)
                    if entry.ok and entry.receipt is not None else (entry.error or phrase("journey.views.not_done")))
        nxt, icon = tx.FINISH, "yes"
        back = False
    elif st is State.DIFFICULT_CASE:
        from kiosk.journey.states import DIFFICULT_REASONS

        if v.difficult_reason is None:
            choices += [ChoiceView(k, "todo", t) for k, t in DIFFICULT_REASONS]
        elif not v.difficult_typing:  # the optional phone: the known one for one tap, or type one, or Skip
            skip = ChoiceView("skip", "next", phrase("journey.views.skip"))
            known = j.difficult_known_phone()
            if known:
                title = masked_phone_question(known)
                prompt = phrase("journey.views.prompt.with_phone_windows_staff")
                choices += [ChoiceView("phone_yes", "yes", phrase("journey.views.phone_yes")),
                            ChoiceView("type_phone", "pen", phrase("journey.views.another_number")), skip]
            else:
                title = phrase("journey.views.title.leave_phone_number")
                prompt = phrase("journey.views.prompt.with_phone_number_either_way")
                choices += [ChoiceView("type_phone", "pen", phrase("journey.views.type_phone_number")), skip]
        else:
            title = phrase("journey.views.title.phone_number")
            prompt = phrase("journey.views.prompt.type_phone_number_then")
            keypad = KeypadView(12, expects=tx.EXPECTS["phone"])
            nxt, icon = phrase("journey.views.take_number"), "ticket"
        if st is State.DIFFICULT_CASE and v.busy:
            prompt = phrase("journey.views.prompt.taking_number")
    elif st is State.SAME_ITEM_TODAY:
        from kiosk.services import human_receipt_number

        done = [(j.catalog.item(c).name, human_receipt_number(v.done_today[c])) for c in j.repeats_today()]
        said = [phrase("journey.views.item_with_receipt", item=n, number=no) for n, no in done]
        # The number never leaves its word (a no-break space in the Chinese catalog text).
        title = phrase("journey.views.title.you_already_did_today",
                       items=M("、".join(m.zh for m in said), "; ".join(m.en for m in said)))
        prompt = phrase("journey.views.prompt.usually_there_no_need")
        choices.append(ChoiceView("again", "send", phrase("journey.views.again")))
        nxt, icon = phrase("journey.views.no_not_again"), "yes"  # the default and the primary place: not again
    elif st is State.TAKE_CARD:
        extra["picture"] = "take_card"  # a card lifted off the reader
        back = home = helpable = False
    difficult = st in DIFFICULT_FROM and identified
    if row_values:
        extra["row_values"] = row_values
    green = j.may_green_channel()
    if green:  # a staff member is already at the kiosk: their "转绿色通道" takes the volunteer call's place
        helpable = False
    if j.helper is not None and j.helper.role.value == "staff":  # staff at the kiosk do not call a volunteer
        helpable = False
    return View(state=name, screen=j.screen, title=title, prompt=prompt, choices=tuple(choices), rows=tuple(rows),
                problem=v.problem, banner=_banner(j), big=big, next=nxt, next_icon=icon, back=back, home=home,
                help=helpable, difficult=difficult, green=green, sign_out=j.helper is not None and st is State.HOME,
                step=step_of(j), keypad=keypad, busy=v.busy, extra=extra)


def _display_value(f: FormField, value: str) -> str | Message:
    if f.kind == "choice":
        return next((M(c.zh, c.en) for c in f.choices if c.zh == value), value)
    if f.kind == "phone":
        return mask_phone(value)
    if takes_id_number(f):
        return mask_id_number(value)
    if f.kind == "digits":
        return value[:4] + "*" * (len(value) - 8) + value[-4:] if len(value) > 8 else "*" * len(value)
    return value
