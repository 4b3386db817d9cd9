"""Undo of no-show, transfer and closing a case: the rules on their own (undo.refusal), then against a real hub
process: exact restore, the hub's own 10 s window, a second person's change in between, audit rows."""

from __future__ import annotations

import time

from kiosk.services import take_ticket
from sync.hub.hall.basics import Person
from sync.hub.hall.undo import UNDO_SECONDS, Undoable, refusal
from tests.hall.conftest import HallHub
from tests.hall.test_hall_api import difficult_case

S1 = Person("s1", "staff", "王敏")
BEFORE = {"lane": "normal", "state": "called", "counter_id": "3", "called_at": 100.0, "announced_at": 120.0,
          "recalls": 2, "finished_at": None, "transfers": 0, "waiting_since": 50.0}
AFTER = {**BEFORE, "state": "no_show", "finished_at": 130.0}


def _entry(**kw: object) -> Undoable:
    base: dict = {"undo_id": "a" * 32, "action": "no_show", "target": "t1", "member_id": "s1", "at": 130.0,
                  "before": BEFORE, "after": AFTER, "undone_at": None}
    return Undoable(**{**base, **kw})


def test_the_rules_allow_the_actor_within_10_s_on_an_untouched_row() -> None:
    assert refusal(_entry(), dict(AFTER), S1, 130.0 + UNDO_SECONDS) is None
    late = refusal(_entry(), dict(AFTER), S1, 130.0 + UNDO_SECONDS + 0.01)
    assert late is not None and late.status == 410 and "10 秒" in late.zh and "10 s" in late.en
    other = refusal(_entry(), dict(AFTER), Person("s2", "staff", "陈立"), 131.0)
    assert other is not None and other.status == 403
    again = refusal(_entry(undone_at=131.0), dict(AFTER), S1, 132.0)
    assert again is not None and again.status == 409 and "already undone" in again.en
    assert refusal(None, None, S1, 131.0).status == 404  # type: ignore[union-attr]
    changed = refusal(_entry(), {**AFTER, "recalls": 3}, S1, 131.0)
    assert changed is not None and changed.status == 409 and "别人改动" in changed.zh
    busy = refusal(_entry(), dict(AFTER), S1, 131.0, busy_number="N0007")
    assert busy is not None and busy.status == 409 and "N0007" in busy.zh and "N0007" in busy.en


def _two_recalls(hall: HallHub, kiosk_factory, n: int = 2) -> tuple[list[dict], object]:
    k = kiosk_factory("kiosk-a")
    tickets = [take_ticket(k.store, None, "kiosk-a") for _ in range(n)]
    k.deliver()
    s = hall.person("s1")
    assert s.act("/v1/counters/3/call-next").json()["ticket_id"] == tickets[0]["ticket_id"]
    for _ in range(2):
        assert s.act("/v1/counters/3/recall").status_code == 200
    return tickets, s


def _row(hall: HallHub, ticket_id: str) -> tuple:
    return hall.admin.db.one("SELECT state, lane, counter_id, called_at, announced_at, recalls, finished_at, "
                             "transfers, waiting_since FROM hall_tickets WHERE ticket_id=?", (ticket_id,))


def test_a_no_show_is_undone_exactly_and_audited(hall: HallHub, kiosk_factory) -> None:
    tickets, s = _two_recalls(hall, kiosk_factory)
    tid = tickets[0]["ticket_id"]
    before = _row(hall, tid)
    r = s.act("/v1/counters/3/no-show", {"ticket_id": tid})
    assert r.status_code == 200 and r.json()["state"] == "no_show"
    handle = r.json()["undo"]
    assert handle["seconds"] == UNDO_SECONDS and handle["expires_at"] > time.time()
    assert hall.person("s2").act(f"/v1/undo/{handle['undo_id']}").status_code == 403  # not theirs
    r = s.act(f"/v1/undo/{handle['undo_id']}")
    assert r.status_code == 200 and r.json()["undone"] == "no_show"
    assert r.json()["item"]["state"] == "called" and r.json()["item"]["counter_id"] == "3"
    assert _row(hall, tid) == before  # called at 3 again, both recalls, the same times
    again = s.act(f"/v1/undo/{handle['undo_id']}")
    assert again.status_code == 409 and again.json()["detail"]["message"]["zh_CN"] == "这个操作已经撤销过了"
    log = [(e["action"], e["actor"], e["detail"].get("undo_id")) for e in hall.admin.audit.recent()[:2]]
    assert log == [("undo", "member:s1", handle["undo_id"]), ("ticket_no_show", "member:s1", handle["undo_id"])]
    assert s.act("/v1/undo/..%2Fauth%2Flogout").status_code == 404  # an undo id is data, never a path
    assert s.get_json("/v1/auth/me").status_code == 200
    assert s.act("/v1/undo/" + "g" * 32).status_code == 404


def test_undo_after_10_s_or_after_the_counter_moved_on_is_refused(hall: HallHub, kiosk_factory) -> None:
    tickets, s = _two_recalls(hall, kiosk_factory, n=3)
    handle = s.act("/v1/counters/3/no-show").json()["undo"]
    with hall.admin.db.transaction() as db:  # the no-show was 11 s ago
        db.execute("UPDATE hall_undo SET at=? WHERE undo_id=?", (time.time() - 11, handle["undo_id"]))
    r = s.act(f"/v1/undo/{handle['undo_id']}")
    assert r.status_code == 410 and r.json()["detail"]["message"]["en"].startswith("More than 10 s")
    assert _row(hall, tickets[0]["ticket_id"])[0] == "no_show"  # nothing changed
    # The counter calls the next one before the undo: the no-show stays (two people cannot both be served there).
    nxt = s.act("/v1/counters/3/call-next").json()
    for _ in range(2):
        s.act("/v1/counters/3/recall")
    handle = s.act("/v1/counters/3/no-show").json()["undo"]
    s.act("/v1/counters/3/call-next")
    r = s.act(f"/v1/undo/{handle['undo_id']}")
    assert r.status_code == 409 and tickets[2]["number"] in r.json()["detail"]["message"]["zh_CN"]
    assert _row(hall, nxt["ticket_id"])[0] == "no_show"


def test_a_transfer_is_undone_unless_another_counter_called_the_ticket(hall: HallHub, kiosk_factory) -> None:
    k = kiosk_factory("kiosk-a")
    tickets = [take_ticket(k.store, None, "kiosk-a") for _ in range(2)]
    k.deliver()
    s, other = hall.person("s1"), hall.person("s2")
    tid = s.act("/v1/counters/3/call-next").json()["ticket_id"]
    s.act("/v1/counters/3/recall")
    before = _row(hall, tid)
    r = s.act("/v1/counters/3/transfer", {"lane": "difficult", "ticket_id": tid})
    assert (r.json()["state"], r.json()["lane"]) == ("waiting", "difficult")
    r = s.act(f"/v1/undo/{r.json()['undo']['undo_id']}")
    assert r.status_code == 200 and _row(hall, tid) == before  # back at counter 3, normal lane, recalled once
    assert hall.admin.audit.recent()[1]["detail"]["to"] == "difficult"
    handle = s.act("/v1/counters/3/transfer", {"lane": "difficult"}).json()["undo"]
    assert other.act("/v1/counters/9/call-next").json()["ticket_id"] == tid  # the difficult window took it
    r = s.act(f"/v1/undo/{handle['undo_id']}")
    assert r.status_code == 409 and "Someone has changed this ticket" in r.json()["detail"]["message"]["en"]
    assert _row(hall, tid)[:3] == ("called", "difficult", "9")
    assert tickets[1]["ticket_id"] != tid


def test_closing_a_case_is_undone_with_its_assignee(hall: HallHub, kiosk_factory) -> None:
    k = kiosk_factory("kiosk-a")
    cid = difficult_case(k)
    k.deliver()
    s = hall.person("s1")
    assert s.act(f"/v1/cases/{cid}/assign", {"member_id": "s2"}).json()["assigned_to"] == "s2"
    r = s.act(f"/v1/cases/{cid}/close")
    assert r.json()["state"] == "closed" and s.get_json("/v1/cases").json()["items"] == []
    r = s.act(f"/v1/undo/{r.json()['undo']['undo_id']}")
    assert r.status_code == 200 and r.json()["undone"] == "close_case"
    case = s.get_json("/v1/cases").json()["items"][0]
    assert (case["state"], case["assigned_to"], case["assigned_name"], case["closed_at"]) == \
        ("assigned", "s2", "陈立", None)
    handle = s.act(f"/v1/cases/{cid}/close").json()["undo"]
    with hall.admin.db.transaction() as db:  # someone re-opened and changed it meanwhile
        db.execute("UPDATE hall_cases SET state='open' WHERE case_id=?", (cid,))
    assert s.act(f"/v1/undo/{handle['undo_id']}").status_code == 409
    assert hall.person("v1").act(f"/v1/undo/{handle['undo_id']}").status_code == 403  # staff only


def test_a_case_goes_to_someone_else_only_if_they_are_staff_on_the_roster(hall: HallHub, kiosk_factory) -> None:
    k = kiosk_factory("kiosk-a")
    cid = difficult_case(k)
    k.deliver()
    s = hall.person("s1")
    assert s.get_json("/v1/members").json() == {"members": [{"member_id": "s1", "display_name": "王敏"},
                                                            {"member_id": "s2", "display_name": "陈立"}]}
    assert hall.person("v1").get_json("/v1/members").status_code == 403
    r = s.act(f"/v1/cases/{cid}/assign", {"member_id": "v1"})
    assert r.status_code == 409 and "不是工作人员" in r.json()["detail"]["message"]["zh_CN"]
    assert s.act(f"/v1/cases/{cid}/assign", {"member_id": "ghost"}).status_code == 404
    assert hall.person("v1").act(f"/v1/cases/{cid}/assign", {"member_id": "s2"}).status_code == 403
    assert s.act(f"/v1/cases/{cid}/assign", {"member_id": "s2"}).json()["assigned_to"] == "s2"
