"""Who may do what at the kiosk: one table of actions and the roles allowed, enforced here in the core.

A screen may hide a button, but the refusal that counts comes from `require`: a volunteer asking for a staff
action gets a `KioskError` with a plain message, whatever the front end shows.
"""

from __future__ import annotations

from enum import StrEnum

from kiosk.locale import phrase
from kiosk.messages import KioskError, Message
from kiosk.session import Helper, HelperRole


class Action(StrEnum):
    ASSIST = "assist"  # fill in for a citizen, who confirms on the review screen
    PRIORITY_MODE = "priority_mode"  # green channel (绿色通道)
    PAPER_AUTHORIZATION = "paper_authorization"  # confirm a paper power of attorney
    STAFF_MENU = "staff_menu"
    BATCH = "batch"  # 批量办理
    DIFFICULT_CASE = "difficult_case"  # open a 疑难事项 case on someone's behalf
    SIGN_OUT = "sign_out"


_STAFF = frozenset({HelperRole.STAFF})
_ANYONE_SIGNED_IN = frozenset({HelperRole.STAFF, HelperRole.VOLUNTEER})

RIGHTS: dict[Action, frozenset[HelperRole]] = {
    Action.ASSIST: _ANYONE_SIGNED_IN,
    Action.PRIORITY_MODE: _STAFF,
    Action.PAPER_AUTHORIZATION: _STAFF,
    Action.STAFF_MENU: _STAFF,
    Action.BATCH: _ANYONE_SIGNED_IN,
    Action.DIFFICULT_CASE: _ANYONE_SIGNED_IN,
    Action.SIGN_OUT: _ANYONE_SIGNED_IN,
}

_WHAT: dict[Action, Message] = {
    Action.ASSIST: phrase("rights.assist"),
    Action.PRIORITY_MODE: phrase("rights.open_green_channel"),
    Action.PAPER_AUTHORIZATION: phrase("rights.confirm_paper_authorization"),
    Action.STAFF_MENU: phrase("rights.open_staff_menu"),
    Action.BATCH: phrase("rights.handle_batch"),
    Action.DIFFICULT_CASE: phrase("rights.record_difficult_case"),
    Action.SIGN_OUT: phrase("rights.sign_out"),
}


def allowed(helper: Helper | None, action: Action) -> bool:
    return helper is not None and helper.role in RIGHTS[action]


def require(helper: Helper | None, action: Action) -> Helper:
    """The signed-in helper, if their role may do `action`; otherwise a plain refusal."""
    what = _WHAT[action]
    if helper is None:
        raise KioskError("not_signed_in", phrase("rights.not_signed_in", what=what), detail=action.value)
    if helper.role not in RIGHTS[action]:
        raise KioskError("staff_required", phrase("rights.staff_required", what=what),
                         detail=f"{helper.role.value}:{action.value}")
    return helper
