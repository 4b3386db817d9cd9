"""Acting for someone (代办): the agent's card, the other person's card or typed ID number, then a registered
authorization, a grant code, or a paper one confirmed by staff; each state's handlers and view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk import authorizations as _paper
from kiosk.badge import BADGES_NEED_PCSC
from kiosk.clock import CHINA_TZ
from kiosk.identity.idnumber import validate_id_number
from kiosk.identity.record import IdentityRecord
from kiosk.journey import texts as tx
from kiosk.journey.core import Core, Flow, on
from kiosk.journey.events import Badge, CardInserted, Next, Result, Tap
from kiosk.journey.flows.citizen import after_identified, go_materials, reader_down_why, verify_code
from kiosk.journey.flows.visit import show_card_error
from kiosk.journey.states import PAPER_REASONS, Part, S, helper_of
from kiosk.journey.view import CardsView, ChoiceView, KeypadView
from kiosk.journey.views import Draft, bilingual, then
from kiosk.locale import phrase
from kiosk.messages import KioskError
from kiosk.session import Helper, HelperRole

_SERVICES = (S.HEALTH, S.CATEGORIES, S.ITEMS)
_APPLY = (S.MATERIALS, S.FORM, S.REVIEW)  # once authorized


@dataclass
class ProxyPart(Part):
    """The authorization of a 代办 visit (who it is for is the visit's own `proxy_principal`)."""

    paper_staff: Helper | None = None
    paper_stage: str = "badge"  # badge | reason | pin
    paper_member: str | None = None
    paper_reason: str | None = None
    authorization: Any = None


def part(j: Core) -> ProxyPart:
    return ProxyPart.of(j.visit)


# --- the two cards ----------------------------------------------------------------------------------------------
def agent_card(j: Core, e: CardInserted) -> None:
    if not j._person_card(e.record):
        return
    j._start_visit(e.record)
    j._go(S.PROXY_PRINCIPAL)


def _set_principal(j: Core, record: IdentityRecord) -> None:
    v = j.visit
    agent = v.session.principal if v.session is not None else None
    if agent is not None and agent.id_number and agent.id_number.upper() == (record.id_number or "").upper():
        record.wipe()
        j._problem(tx.SAME_CARD)
        return
    if v.proxy_principal is not None:
        v.proxy_principal.wipe()
    v.proxy_principal = record
    after_identified(j)


def principal_card(j: Core, e: CardInserted) -> None:
    if j._person_card(e.record):
        _set_principal(j, e.record)


def principal_tap(j: Core, e: Tap) -> None:
    if e.key == "type_id":
        j._go(S.PROXY_TYPED)


def typed_next(j: Core, e: Next) -> None:
    value = e.value.strip().upper()
    if not validate_id_number(value):
        j._problem(tx.TYPED_ID_BAD)
        return
    _set_principal(j, _paper.principal_from_typed_id(value))


# --- the authorization ----------------------------------------------------------------------------------------
def checked(j: Core, e: Result) -> None:
    if e.error is not None or e.value is None:  # none registered: the agent is asked for a code or a paper
        j._go(S.PROXY_CODE, push=False)
        j.visit.authorize_asked = True
        if e.error is not None:
            j._problem(e.error)
        return
    _authorized(j, e.value)


def code_tap(j: Core, e: Tap) -> None:
    if e.key == "paper" and not j.settings.badges:
        j._problem(BADGES_NEED_PCSC)  # not offered on this kiosk (see its view); said plainly if it comes anyway
    elif e.key == "paper":
        p = part(j)
        staff = j.helper if j.helper is not None and j.helper.role is HelperRole.STAFF else None
        # Signed-in staff have laid their badge already; the PIN is asked again to confirm this paper.
        p.paper_stage = "reason" if staff is not None else "badge"
        p.paper_staff = staff
        p.paper_member = staff.helper_id if staff is not None else None
        p.paper_reason = None
        j._go(S.PROXY_PAPER)
    elif e.key == "volunteer":
        j._go(S.HELP)


def code_checked(j: Core, e: Result) -> None:
    v = j.visit
    verdict = e.value
    s = v.session
    if verdict is None or e.error is not None:
        j._problem(tx.CODE_UNCHECKABLE)
        return
    if not verdict.ok:
        j._problem(tx.GRANT_REFUSED)
        return
    if s is None or s.principal is None or v.proxy_principal is None:
        return
    until = verdict.expires_at.astimezone(CHINA_TZ).date() if verdict.expires_at else j._today()
    try:
        auth = _paper.from_grant_claims(verdict.claims or {}, v.proxy_principal.id_number or "",
                                        s.principal.id_number or "", list(v.selected), until)
    except KioskError as exc:
        j._problem(exc.message)
        return
    _authorized(j, auth)


def paper_badge(j: Core, e: Badge) -> None:
    if part(j).paper_stage != "badge":
        return
    j._emit("lookup_badge", uid=e.uid, purpose="paper")


def paper_reason(j: Core, e: Tap) -> None:
    p = part(j)
    if e.key == "volunteer":
        j._go(S.HELP)
        return
    if e.key not in dict(PAPER_REASONS):
        return
    if p.paper_stage == "badge" or p.paper_member is None:
        j._problem(tx.PAPER_NEEDS_STAFF)  # no staff badge and PIN: nothing is recorded
        return
    p.paper_reason = e.key
    p.paper_stage = "pin"
    j.visit.problem = None


def paper_pin(j: Core, e: Next) -> None:
    v = j.visit
    p = part(j)
    if p.paper_stage != "pin" or v.busy:
        return
    if not (4 <= len(e.value) <= 8 and e.value.isdigit()):
        j._problem(tx.PIN_SHORT)
        return
    s, principal = v.session, v.proxy_principal
    if s is None or s.principal is None or principal is None:
        return
    v.busy = True
    # The core checks the PIN (shared lockout), the staff role and the reason, then records the paper.
    j._emit("confirm_paper", member_id=p.paper_member, pin=e.value, reason=p.paper_reason,
            principal=principal, agent=s.principal, items=list(v.selected), session_id=s.id)


def paper_staff_found(j: Core, e: Result) -> None:
    p = part(j)
    j.visit.busy = False
    if e.error is not None:
        j._problem(e.error)
    elif e.value.role is not HelperRole.STAFF:
        j._problem(tx.PAPER_NEEDS_STAFF)
    else:
        p.paper_member = e.value.id
        p.paper_staff = helper_of(e.value)
        p.paper_stage = "reason"
        j.visit.problem = None


def paper_confirmed(j: Core, e: Result) -> None:
    v = j.visit
    p = part(j)
    v.busy = False
    if e.error is not None:
        j._problem(e.error)
        if e.error_kind in ("pin_locked", "staff_required", "badge_unknown"):
            p.paper_stage, p.paper_member, p.paper_staff = "badge", None, None
        return
    s = v.session
    if s is not None and s.helper is None and p.paper_staff is not None:
        s.helper = p.paper_staff
    _authorized(j, e.value, record_use=False)


def _authorized(j: Core, auth: Any, *, record_use: bool = True) -> None:
    v = j.visit
    s = v.session
    principal = v.proxy_principal
    if s is None or principal is None:
        return
    items = list(v.selected)
    s.start_proxy(principal, auth.id)
    s.select_items(items)
    v.proxy_principal = None  # the session holds it now (and wipes it at the end)
    v.proxy_pending = False
    part(j).authorization = auth
    if record_use:
        j._emit("record_authorization_use", authorization=auth, session_id=s.id,
                helper_id=s.helper.helper_id if s.helper else None)
    v.history = [h for h in v.history if h not in (S.PROXY_CHECKING, S.PROXY_CODE, S.PROXY_PAPER)]
    go_materials(j)


# --- views ------------------------------------------------------------------------------------------------------
_PROMPT_OF = {S.PROXY_AGENT: "proxy", S.PROXY_PRINCIPAL: "proxy_principal", S.PROXY_CHECKING: "proxy_checking",
              S.PROXY_CODE: "proxy_code"}


def cards_view(j: Core, d: Draft) -> None:
    """The proxy screen's stages: the agent's card, the other person's, the check, the code."""
    st = j.state
    d.title = tx.TITLES["proxy"]
    d.prompt = tx.PROMPTS[_PROMPT_OF[st]]
    agent = j.visit.session.principal if j.visit.session is not None else None
    agent_name = agent.display_name if agent is not None else None
    reader = j._device_ok("card_reader")
    if st is S.PROXY_AGENT and not reader:  # lost here: the agent's card cannot be read
        d.prompt = phrase("journey.views.prompt.reader_down_identify", why=reader_down_why(j))
        d.cards = CardsView(card_readable=False)
    if st is S.PROXY_PRINCIPAL:
        d.choices.append(ChoiceView("type_id", "pen", phrase("journey.views.type_id")))
        d.cards = CardsView(agent_name, card_readable=reader)
        if not reader:  # the other person's number can still be typed
            d.prompt = phrase("journey.views.prompt.reader_down_type_id", why=reader_down_why(j))
    if st in (S.PROXY_CHECKING, S.PROXY_CODE):  # both cards named: the agent's and the other's
        served = j._served()
        # a typed number has no name: its masked number instead
        other = (served.display_name or served.display_id_number) if served is not None else None
        readable = j.code_scanner_problem() is None if st is S.PROXY_CODE else None
        d.cards = CardsView(agent_name, other, readable)
    if st is S.PROXY_CODE:
        _code_view(j, d)


def _code_view(j: Core, d: Draft) -> None:
    if j.code_scanner_problem() is not None:  # never ask for a code it cannot read
        d.prompt = tx.PROXY_CODE_UNREADABLE
    if not j.settings.badges:
        d.prompt = then(d.prompt, BADGES_NEED_PCSC)  # no paper choice: staff could not confirm it here
    else:
        d.choices.append(ChoiceView("paper", "paper", phrase("journey.views.paper")))
    d.choices.append(ChoiceView("volunteer", "volunteer", phrase("journey.views.volunteer_help_me")))
    d.help = False


def typed_view(_j: Core, d: Draft) -> None:
    d.keypad = KeypadView(18, allow_x=True, expects=tx.EXPECTS["id"])
    d.next = tx.NEXT


def paper_view(j: Core, d: Draft) -> None:
    v = j.visit
    p = part(j)
    who = bilingual(p.paper_staff.display_name if p.paper_staff else "")
    agent, principal = (v.session.principal if v.session is not None else None), v.proxy_principal
    if agent is not None and principal is not None:  # whose cards were read, masked, for staff to check
        d.rows += [(tx.PAPER_PRINCIPAL, principal.display_name or principal.display_id_number),
                   (tx.PAPER_AGENT, agent.display_name)]
    if p.paper_stage == "badge":
        d.prompt = phrase("journey.views.prompt.staff_check_paper_power")
        d.choices.append(ChoiceView("volunteer", "volunteer", phrase("journey.views.volunteer_help_me")))
        d.help = False
    elif p.paper_stage == "reason":
        d.prompt = phrase("journey.views.prompt.choose_reason_authorization", who=who)
        d.choices += [ChoiceView(k, "paper", t) for k, t in PAPER_REASONS]
    else:
        d.prompt = phrase("journey.views.prompt.type_pin_confirm_then", who=who)
        d.keypad = KeypadView(8, secret=True, expects=tx.EXPECTS["pin"])
        d.next, d.icon = phrase("journey.views.confirm"), "yes"


_CARD_ERROR = on(show_card_error)
FLOW = Flow(
    "proxy",
    table={
        S.PROXY_AGENT: {"card_inserted": on(agent_card, S.PROXY_PRINCIPAL), "card_error": _CARD_ERROR},
        S.PROXY_PRINCIPAL: {"card_inserted": on(principal_card, *_SERVICES), "card_error": _CARD_ERROR,
                            "tap": on(principal_tap, S.PROXY_TYPED)},
        S.PROXY_TYPED: {"next": on(typed_next, *_SERVICES)},
        S.PROXY_CHECKING: {"result:find_authorization": on(checked, S.PROXY_CODE, *_APPLY)},
        S.PROXY_CODE: {"code_scanned": on(verify_code), "tap": on(code_tap, S.PROXY_PAPER, S.HELP),
                       "result:verify_code": on(code_checked, *_APPLY)},
        S.PROXY_PAPER: {"badge": on(paper_badge), "tap": on(paper_reason, S.HELP), "next": on(paper_pin),
                        "result:lookup_badge": on(paper_staff_found),
                        "result:confirm_paper": on(paper_confirmed, *_APPLY)},
    },
    views={S.PROXY_AGENT: cards_view, S.PROXY_PRINCIPAL: cards_view, S.PROXY_CHECKING: cards_view,
           S.PROXY_CODE: cards_view, S.PROXY_TYPED: typed_view, S.PROXY_PAPER: paper_view},
)
