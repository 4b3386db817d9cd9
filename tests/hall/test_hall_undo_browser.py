"""Confirm, then undo for 10 s, in Debian's chromium against a real hub: no-show, transfer and closing a case ask
in an in-page dialog (Cancel sends nothing), the undo bar puts the row back; staff assign a case to someone else;
a volunteer releases a request claimed by mistake. Screenshots at a desk width and a narrow one (docs/hall/)."""

from __future__ import annotations

from kiosk.services import request_help, take_ticket
from tests.hall.conftest import HallHub
from tests.hall.test_hall_api import difficult_case
from tests.hall.test_hall_browser import LIVE_MS, browser, hall, shot, sign_in  # noqa: F401

CURRENT = "document.getElementById('current-number').textContent"


def _state(hall: HallHub, ticket_id: str) -> tuple:  # noqa: F811
    return hall.admin.db.one("SELECT state, lane, counter_id, recalls FROM hall_tickets WHERE ticket_id=?",
                             (ticket_id,))


def test_no_show_and_transfer_ask_first_and_undo_puts_the_ticket_back(browser, hall: HallHub,  # noqa: F811
                                                                    kiosk_factory) -> None:
    k = kiosk_factory("kiosk-a")
    first, second = take_ticket(k.store, None, "kiosk-a"), take_ticket(k.store, None, "kiosk-a")
    k.deliver()
    for width, tag in ((1366, ""), (420, "-narrow")):
        page = sign_in(browser, hall, "s1", "/hall/counter/3", width=width, height=900)
        posts: list[str] = []
        page.on("request", lambda r, posts=posts: posts.append(r.url) if r.method == "POST" else None)
        page.wait_for_selector("#current-number")  # the counter page itself has loaded (not just its URL)
        if not tag:
            page.click("#call-next")
            page.wait_for_function(f"{CURRENT} === '{first['number']}'", timeout=LIVE_MS)
            for n in (1, 2):
                page.click("#recall")
                page.wait_for_function(f"document.getElementById('current-info').textContent.includes('已重呼 {n} 次')",
                                       timeout=LIVE_MS)
        else:
            page.wait_for_function(f"{CURRENT} === '{first['number']}'", timeout=LIVE_MS)
        posts.clear()
        page.click("#no-show")
        dialog = page.wait_for_selector("dialog#confirm[open]")
        assert f"确认 {first['number']} 号过号" in dialog.inner_text() and "Mark" in dialog.inner_text()
        assert page.evaluate("document.activeElement.id") == "confirm-no"  # Enter on an unread dialog cancels
        box = page.eval_on_selector("#confirm-yes", "e => e.getBoundingClientRect().toJSON()")
        assert box["height"] >= 60 and box["x"] >= 0 and box["x"] + box["width"] <= width  # large, on screen
        shot(page, "confirm-no-show" + tag)
        page.click("#confirm-no")
        page.wait_for_selector("dialog#confirm", state="hidden")
        assert posts == [] and _state(hall, first["ticket_id"]) == ("called", "normal", "3", 2)  # nothing sent
        page.click("#no-show")
        page.click("#confirm-yes")
        page.wait_for_selector("#undo-bar:not([hidden])", timeout=LIVE_MS)
        assert f"{first['number']} 号已过号" in page.inner_text("#undo-bar")
        left = int(page.inner_text("#undo-left").split("秒")[0].strip("· "))
        assert 1 <= left <= 10  # never more than the hub's window
        assert _state(hall, first["ticket_id"])[0] == "no_show"
        shot(page, "undo-bar" + tag)
        page.click("#undo")
        page.wait_for_function(f"{CURRENT} === '{first['number']}'", timeout=LIVE_MS)
        assert _state(hall, first["ticket_id"]) == ("called", "normal", "3", 2)  # back, with both recalls
        assert page.is_hidden("#undo-bar") and "已撤销" in page.inner_text("#status")
        page.context.close()
    # Transfer: confirm, then the bar disappears by itself after 10 s and the hub refuses a late undo anyway.
    page = sign_in(browser, hall, "s1", "/hall/counter/3")
    page.wait_for_selector("#current-number")
    page.wait_for_function(f"{CURRENT} === '{first['number']}'", timeout=LIVE_MS)
    page.select_option("#transfer-lane", "priority")
    page.click("#transfer")
    assert "绿色通道" in page.inner_text("dialog#confirm[open]")
    page.click("#confirm-yes")
    page.wait_for_selector("#undo-bar:not([hidden])", timeout=LIVE_MS)
    assert _state(hall, first["ticket_id"])[:2] == ("waiting", "priority")
    undo_id = page.eval_on_selector("#undo-bar", "e => e.dataset.undoId")
    page.wait_for_selector("#undo-bar", state="hidden", timeout=12000)
    r = page.request.post(f"{hall.url}/v1/undo/{undo_id}",
                          headers={"X-CSRF-Token": page.eval_on_selector('meta[name="csrf-token"]', "e => e.content")})
    assert r.status == 410 and "不能撤销" in r.json()["detail"]["message"]["zh_CN"]
    assert _state(hall, first["ticket_id"])[:2] == ("waiting", "priority")
    assert second["ticket_id"]
    page.context.close()


def test_closing_a_case_asks_and_undoes_and_staff_assign_it_to_someone_else(browser, hall: HallHub,  # noqa: F811
                                                                            kiosk_factory) -> None:
    k = kiosk_factory("kiosk-a")
    cid = difficult_case(k)
    k.deliver()
    page = sign_in(browser, hall, "s1", "/hall/cases")
    card = f'li[data-id="{cid}"]'
    page.wait_for_selector(f"{card} select.assign-to option[value=s2]", state="attached", timeout=LIVE_MS)
    options = page.eval_on_selector_all(f"{card} select.assign-to option", "os => os.map(o => o.value)")
    assert options == ["", "s1", "s2"]  # staff only: the volunteer v1 is not offered
    page.select_option(f"{card} select.assign-to", "s2")
    page.click(f"{card} button.assign-other-go")
    page.wait_for_function(f"document.querySelector('{card}').textContent.includes('陈立 负责')", timeout=LIVE_MS)
    assert hall.admin.db.one("SELECT assigned_to FROM hall_cases WHERE case_id=?", (cid,)) == ("s2",)
    page.click(f"{card} button.ok")
    assert "确认结案" in page.inner_text("dialog#confirm[open]")
    shot(page, "confirm-close-case")
    page.click("#confirm-yes")
    page.wait_for_selector(card, state="detached", timeout=LIVE_MS)
    page.click("#undo")
    page.wait_for_selector(f"{card}[data-state=assigned]", timeout=LIVE_MS)
    assert hall.admin.db.one("SELECT state, assigned_to, closed_at FROM hall_cases WHERE case_id=?",
                             (cid,)) == ("assigned", "s2", None)
    page.context.close()


def test_a_volunteer_releases_a_request_claimed_by_mistake(browser, hall: HallHub, kiosk_factory) -> None:  # noqa: F811
    k = kiosk_factory("kiosk-a")
    hid = request_help(k.store, None, "kiosk-a", screen="identify")
    k.deliver()
    page = sign_in(browser, hall, "v1", "/hall/help")
    card = f'li[data-id="{hid}"]'
    page.click(f"{card} button.primary", timeout=LIVE_MS)
    page.wait_for_selector(f"{card}[data-state=claimed]", timeout=LIVE_MS)
    page.click(f"{card} button.release")
    page.wait_for_selector(f"{card}[data-state=open]", timeout=LIVE_MS)
    assert hall.admin.db.one("SELECT state, claimed_by FROM hall_help WHERE help_request_id=?", (hid,)) == \
        ("open", None)
    page.context.close()
