"""Rights are enforced in the core: every action against every role, from the table; refusals are plain."""

from __future__ import annotations

import pytest

from kiosk.messages import KioskError
from kiosk.rights import RIGHTS, Action, allowed, require
from kiosk.session import Helper, HelperRole

STAFF = Helper("S-007", HelperRole.STAFF, "李工")
VOLUNTEER = Helper("V-101", HelperRole.VOLUNTEER, "小周")

# The hall's rules as the issue states them, written out independently of the table in kiosk/rights.py.
EXPECTED = {
    Action.ASSIST: {"staff", "volunteer"},
    Action.PRIORITY_MODE: {"staff"},
    Action.PAPER_AUTHORIZATION: {"staff"},
    Action.STAFF_MENU: {"staff"},
    Action.BATCH: {"staff", "volunteer"},
    Action.DIFFICULT_CASE: {"staff", "volunteer"},
    Action.SIGN_OUT: {"staff", "volunteer"},
}


def test_every_action_has_a_rule() -> None:
    assert set(RIGHTS) == set(Action) == set(EXPECTED)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("helper", [STAFF, VOLUNTEER, None], ids=["staff", "volunteer", "nobody"])
def test_require(action: Action, helper: Helper | None) -> None:
    ok = helper is not None and helper.role.value in EXPECTED[action]
    assert allowed(helper, action) is ok
    if ok:
        assert require(helper, action) is helper
        return
    with pytest.raises(KioskError) as exc:
        require(helper, action)
    assert exc.value.kind == ("not_signed_in" if helper is None else "staff_required")
    assert exc.value.message.zh and exc.value.message.en


def test_volunteer_asking_for_green_channel_is_told_why() -> None:
    with pytest.raises(KioskError) as exc:
        require(VOLUNTEER, Action.PRIORITY_MODE)
    assert exc.value.message.zh == "开启绿色通道只能由工作人员操作，请联系工作人员"
    assert exc.value.message.en == "Only staff can open the green channel; please ask a staff member"
