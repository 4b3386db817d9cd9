"""Who may do what at the kiosk: one table of actions and the roles allowed, enforced here in the core.

A screen may hide a button, but the refusal that counts comes from `require`: a volunteer asking for a staff
action gets a `KioskError` with a plain message, whatever the front end shows.
"""

from __future__ import annotations

from enum import StrEnum

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
    Action.ASSIST: Message("协助办理", "assist"),
    Action.PRIORITY_MODE: Message("开启绿色通道", "open the green channel"),
    Action.PAPER_AUTHORIZATION: Message("确认纸质授权书", "confirm a paper authorization"),
    Action.STAFF_MENU: Message("工作人员菜单", "open the staff menu"),
    Action.BATCH: Message("批量办理", "handle a batch"),
    Action.DIFFICULT_CASE: Message("登记疑难事项", "record a difficult case"),
    Action.SIGN_OUT: Message("退出登录", "sign out"),
}


def allowed(helper: Helper | None, action: Action) -> bool:
    return helper is not None and helper.role in RIGHTS[action]


def require(helper: Helper | None, action: Action) -> Helper:
    """The signed-in helper, if their role may do `action`; otherwise a plain refusal."""
    what = _WHAT[action]
    if helper is None:
        raise KioskError("not_signed_in", Message(f"{what.zh}需要志愿者或工作人员刷工作证登录",
                                                  f"A volunteer or staff member must sign in with a badge to "
                                                  f"{what.en}"), detail=action.value)
    if helper.role not in RIGHTS[action]:
        raise KioskError("staff_required", Message(f"{what.zh}只能由工作人员操作，请联系工作人员",
                                                   f"Only staff can {what.en}; please ask a staff member"),
                         detail=f"{helper.role.value}:{action.value}")
    return helper
