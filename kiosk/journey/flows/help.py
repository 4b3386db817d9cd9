"""Calling a volunteer: the request goes out on entering `help`, then the hub is asked whether someone took it."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.journey import texts as tx
from kiosk.journey.core import Core, Flow, on
from kiosk.journey.events import CallHelp, Result
from kiosk.journey.states import Part, S
from kiosk.journey.view import CallView
from kiosk.journey.views import Draft, M
from kiosk.messages import BLANK


@dataclass
class HelpPart(Part):
    request: str | None = None
    state: str = ""  # calling | waiting | claimed | offline | failed
    claimed_by: str = ""


def call_help(j: Core, _e: CallHelp) -> None:
    if j.state is S.HELP:
        return
    if j.state is S.HOME:
        j.visit.flow = "help"
    j._go(S.HELP)


def start_help(j: Core) -> None:
    """On entering `help`, from wherever: the request names the screen the person was on."""
    v = j.visit
    p = HelpPart.of(v)
    p.state = "calling"
    p.claimed_by = ""
    screen = v.history[-1].value if v.history else "home"
    item = v.selected[0] if v.selected else None
    j._emit("request_help", session=v.session, note={"reason": "help", "screen": screen},
            elderly=j.served_is_elderly(), screen=screen, item_code=item)


def help_requested(j: Core, e: Result) -> None:
    p = HelpPart.of(j.visit)
    if e.error is not None:
        p.state = "failed"
        return
    p.request = e.value
    p.state = "waiting"
    j._emit("poll_help", request_id=e.value, delay=0.0)


def help_polled(j: Core, e: Result) -> None:
    p = HelpPart.of(j.visit)
    if e.error is not None or e.value is None:
        # The hub cannot be asked (offline or not configured): the request stays queued in the outbox.
        p.state = "offline"
    else:
        state, by = e.value.get("state"), e.value.get("claimed_by")
        if state in ("claimed", "resolved") and by:
            p.state = "claimed"
            p.claimed_by = str(by)
            return
        p.state = "waiting"
    j._emit("poll_help", request_id=p.request, delay=3.0)


def help_view(j: Core, d: Draft) -> None:
    where = j.settings.help_desk
    p = HelpPart.of(j.visit)
    hs = p.state
    if hs == "claimed":
        status = M(tx.HELP_CLAIMED.zh.format(name=p.claimed_by), tx.HELP_CLAIMED.en.format(name=p.claimed_by))
    elif j.devices.get("network", (hs != "offline", None))[0] is False:
        # One truth: offline only when the network state the status strip shows says so (a failed look-up
        # of this one request does not contradict the strip).
        status = M(tx.HELP_OFFLINE.zh.format(where=where.zh), tx.HELP_OFFLINE.en.format(where=where.en))
    elif hs == "failed":
        status = tx.HELP_FAILED
    else:
        status = M(tx.HELP_NO_CLAIM_YET.zh.format(where=where.zh), tx.HELP_NO_CLAIM_YET.en.format(where=where.en))
    d.prompt = status
    h = j.visit.history
    d.calling = CallView(status, tx.HELP_BACK if h and h[-1] is not S.HOME else BLANK)


FLOW = Flow(
    "help",
    table={S.HELP: {"result:request_help": on(help_requested), "result:poll_help": on(help_polled)}},
    everywhere={"call_help": on(call_help, S.HELP)},
    views={S.HELP: help_view},
    enter={S.HELP: start_help},
)
