"""Staff and volunteers: sign-in (a badge at the home screen, then the PIN), the staff menu, and the green channel
(from the menu, or for a visit under way); each state's handlers and view."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.green_channel import suggest_priority
from kiosk.journey import texts as tx
from kiosk.journey.core import Core, Flow, on
from kiosk.journey.events import Back, Badge, CardRemoved, GreenChannel, Next, Result, SignOut, Tap
from kiosk.journey.flows.visit import card_removed, go_back, sign_out, to_home
from kiosk.journey.states import ENDS, GREEN_FROM, MENU_ACTIONS, PRIORITY_REASONS, Part, S, State, helper_of
from kiosk.journey.view import ChoiceView, KeypadView
from kiosk.journey.views import Draft
from kiosk.locale import phrase
from kiosk.messages import KioskError
from kiosk.rights import Action, allowed
from kiosk.session import EndReason, Helper


@dataclass
class StaffPart(Part):
    signin_badge: str | None = None  # the badge's UID (not personal data) while its PIN is typed
    priority_reason: str | None = None
    priority_from: State | None = None  # the green channel opened mid-visit returns here


def part(j: Core) -> StaffPart:
    return StaffPart.of(j.visit)


# --- sign-in ----------------------------------------------------------------------------------------------------
def lookup_signin_badge(j: Core, e: Badge) -> None:
    # The discreet way in: a badge on the reader at the home screen; never a tile citizens see.
    part(j).signin_badge = e.uid
    j._emit("lookup_badge", uid=e.uid, purpose="signin")


def signin_badge_found(j: Core, e: Result) -> None:
    if e.error is not None:
        part(j).signin_badge = None
        j._problem(e.error)
        return
    j._go(S.SIGNIN)


def signin_pin(j: Core, e: Next) -> None:
    v = j.visit
    if not (4 <= len(e.value) <= 8 and e.value.isdigit()):
        j._problem(tx.PIN_SHORT)
        return
    badge = part(j).signin_badge
    if v.busy or badge is None:
        return
    v.busy = True
    j._emit("sign_in", badge_uid=badge, pin=e.value)


def signin_result(j: Core, e: Result) -> None:
    v = j.visit
    v.busy = False
    if e.error is not None:
        if e.error_kind == "pin_locked":
            part(j).signin_badge = None
            j._go(S.SIGNIN_LOCKED, push=False)
            v.problem = e.error
        else:
            j._problem(e.error)
        return
    j.helper = helper_of(e.value)
    part(j).signin_badge = None
    v.history = [S.HOME]
    j._go(S.STAFF_MENU, push=False)


# --- the staff menu -----------------------------------------------------------------------------------------------
def _may(j: Core, helper: Helper, action: str) -> bool:
    try:
        j._allow(helper, MENU_ACTIONS[action])
    except KioskError as exc:  # the core's rights rule refuses in plain words
        j._problem(exc.message)
        return False
    return True


def staff_tap(j: Core, e: Tap) -> None:
    helper = j.helper
    if helper is None:
        j._reset(EndReason.CANCELLED)
        return
    key = e.key
    if key == "sign_out":
        sign_out(j, SignOut())
        return
    if key not in MENU_ACTIONS or not _may(j, helper, key):
        return
    if key == "assist":
        j._reset(EndReason.CANCELLED)  # back to a citizen's start, the helper stays signed in
    elif key == "priority":
        j._go(S.PRIORITY_CONFIRM)
    elif key == "proxy_paper":
        j.visit.flow = "business"
        j._new_session()
        j.visit.proxy_pending = True
        j._go(S.PROXY_AGENT)
    elif key == "batch":
        j._go(S.BATCH_ITEM)


# --- the green channel ------------------------------------------------------------------------------------------
def open_green_channel(j: Core, _e: GreenChannel) -> None:
    """Staff switch the visit under way into the green channel; it returns to where it was once confirmed.
    Anyone else asking (a volunteer, a stale screen) is refused by `kiosk.rights` and nothing changes."""
    v = j.visit
    if not j.green_here():
        return
    try:
        j._allow(j.helper, Action.PRIORITY_MODE)
    except KioskError as exc:
        j._problem(exc.message)
        return
    part(j).priority_from = j.state
    j._go(S.PRIORITY_CONFIRM, push=False)
    v.busy = False


def priority_tap(j: Core, e: Tap) -> None:
    v = j.visit
    if e.key not in dict(PRIORITY_REASONS) or j.helper is None or v.busy:
        return
    if not _may(j, j.helper, "priority"):
        return
    v.busy = True
    part(j).priority_reason = e.key
    j._emit("confirm_priority", session=j._new_session(), staff=j.helper, reason=e.key)


def priority_result(j: Core, e: Result) -> None:
    v = j.visit
    p = part(j)
    v.busy = False
    if e.error is not None:
        p.priority_reason = None
        j._problem(e.error)
        return
    if p.priority_from is not None:  # opened mid-visit: back to that screen, now in the green channel
        back, p.priority_from = p.priority_from, None
        j._go(back, push=False, keep_problem=True)
        return
    v.flow = "business"
    v.history = [S.HOME]
    j._go(S.IDENTIFY, push=False)


def priority_back(j: Core, e: Back) -> None:
    p = part(j)
    if p.priority_from is not None and not j.visit.busy:
        back, p.priority_from = p.priority_from, None
        j._go(back, push=False)  # the visit, as it was
        return
    go_back(j, e)


def priority_card_removed(j: Core, e: CardRemoved) -> None:
    """Opened for a visit under way, the card coming off ends that visit, as the screen it came from would."""
    s = j.visit.session
    if part(j).priority_from is not None and s is not None and s.principal is not None:
        j._reset(EndReason.CARD_REMOVED)
        return
    card_removed(j, e)


# --- views ------------------------------------------------------------------------------------------------------
def may(j: Core, action: str) -> bool:
    """Whether the signed-in helper's role may do this staff-menu action (for offering the tile)."""
    return action in MENU_ACTIONS and allowed(j.helper, MENU_ACTIONS[action])


def signin_view(_j: Core, d: Draft) -> None:
    d.keypad = KeypadView(8, secret=True, expects=tx.EXPECTS["pin"])
    d.next, d.icon = tx.SIGN_IN, "yes"
    d.back = False


def signin_locked_view(_j: Core, d: Draft) -> None:
    d.choices.append(ChoiceView("home", "home", phrase("journey.views.home")))
    d.home = d.back = False


_TILES = (("assist", "volunteer", phrase("journey.views.help_citizen")),
          ("priority", "heart", phrase("journey.views.green_channel")),
          ("proxy_paper", "paper", phrase("journey.views.proxy_with_paper_authorization")),
          ("batch", "business", phrase("journey.views.batch_handling")))


def staff_menu_view(j: Core, d: Draft) -> None:
    d.choices += [ChoiceView(k, icon, t) for k, icon, t in _TILES if may(j, k)]  # only what the role may do
    d.choices.append(ChoiceView("sign_out", "back", phrase("journey.views.sign_out")))
    d.back = False


def priority_view(j: Core, d: Draft) -> None:
    v = j.visit
    suggested = suggest_priority(v.session) if v.session is not None else None
    d.choices += [ChoiceView(k, "heart", t, k == suggested) for k, t in PRIORITY_REASONS]
    if v.busy:
        d.prompt = phrase("journey.views.prompt.opening")


_HOME = on(to_home, *ENDS)
FLOW = Flow(
    "staff",
    table={
        S.HOME: {"badge": on(lookup_signin_badge), "result:lookup_badge": on(signin_badge_found, S.SIGNIN)},
        S.SIGNIN: {"next": on(signin_pin), "result:sign_in": on(signin_result, S.STAFF_MENU, S.SIGNIN_LOCKED)},
        S.SIGNIN_LOCKED: {"next": _HOME, "tap": _HOME},
        S.STAFF_MENU: {"tap": on(staff_tap, *ENDS, S.PRIORITY_CONFIRM, S.BATCH_ITEM, S.PROXY_AGENT)},
        S.PRIORITY_CONFIRM: {"tap": on(priority_tap),
                             "result:confirm_priority": on(priority_result, S.IDENTIFY, *sorted(GREEN_FROM)),
                             "back": on(priority_back, *ENDS, *sorted(GREEN_FROM), returns=True),
                             "card_removed": on(priority_card_removed, S.HOME)},
    },
    everywhere={"green_channel": on(open_green_channel, S.PRIORITY_CONFIRM)},
    views={S.SIGNIN: signin_view, S.SIGNIN_LOCKED: signin_locked_view, S.STAFF_MENU: staff_menu_view,
           S.PRIORITY_CONFIRM: priority_view},
)
