"""Hall lists are drawn again on every change; a volunteer's press and a half-typed note must survive that.
Real chromium against a real hub process: the press goes down, another kiosk's request redraws the list, the
press comes up, and the claim is made; a note being typed keeps its text and focus while cases change."""

from __future__ import annotations

import time
import uuid

from kiosk.services import request_help
from kiosk.store.outbox import enqueue
from tests.hall.conftest import HallHub
from tests.hall.test_hall_browser import LIVE_MS, browser, hall, sign_in  # noqa: F401


def test_a_press_held_while_the_list_is_redrawn_still_claims(browser, hall: HallHub, kiosk_factory) -> None:  # noqa: F811
    k = kiosk_factory("kiosk-a")
    first = request_help(k.store, None, "kiosk-a", screen="identify")
    k.deliver()
    page = sign_in(browser, hall, "v1", "/hall/help")
    page.wait_for_selector(f'li[data-id="{first}"] button.primary', timeout=LIVE_MS)
    page.wait_for_timeout(1500)  # the page's own first redraws (labels, the stream's snapshot) are over
    claims: list[str] = []
    page.on("request", lambda r: claims.append(r.url) if r.method == "POST" and r.url.endswith("/claim") else None)
    box = page.locator(f'li[data-id="{first}"] button.primary').bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    kb = kiosk_factory("kiosk-b")  # another kiosk asks for help while the finger is down
    second = request_help(kb.store, None, "kiosk-b", screen="form")
    kb.deliver()
    page.wait_for_selector(f'li[data-id="{second}"]', timeout=LIVE_MS)  # the list was redrawn under the press
    page.mouse.up()
    page.wait_for_selector(f'li[data-id="{first}"][data-state="claimed"]', timeout=LIVE_MS)
    assert len(claims) == 1 and first in claims[0], claims
    assert page.get_attribute(f'li[data-id="{second}"]', "data-state") == "open"  # only the pressed one
    page.context.close()


def _case(kiosk, number: str) -> str:
    cid = str(uuid.uuid4())
    with kiosk.store.transaction():
        enqueue(kiosk.store, "difficult_case", cid, {
            "case_id": cid, "kiosk_id": kiosk.kiosk_id,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()), "item_code": "pension_qualification",
            "step": "materials", "reason": "no_household_register",
            "reason_label": {"zh": "没有户口本", "en": "No household register"}, "elderly": True,
            "ticket_id": str(uuid.uuid4()), "number": number, "lane": "difficult", "helper_id": None,
            "session_id": None})
    return cid


def test_a_note_being_typed_keeps_its_text_and_focus_while_cases_change(browser, hall: HallHub,  # noqa: F811
                                                                      kiosk_factory) -> None:
    k = kiosk_factory("kiosk-a")
    mine, other = _case(k, "N0001"), _case(k, "N0002")
    k.deliver()
    page = sign_in(browser, hall, "s1", "/hall/cases")
    note = f'li[data-id="{mine}"] input[name=text]'
    page.wait_for_selector(note, timeout=LIVE_MS)
    page.wait_for_timeout(1500)
    page.click(note)
    page.keyboard.type("已联系社保")
    desk = hall.person("s2")
    for case, text in ((other, "另一件的备注"), (mine, "同事补了一句")):  # another case changes, then this one
        assert desk.act(f"/v1/cases/{case}/note", {"text": text}).status_code == 200
        page.wait_for_function(f"document.querySelector('li[data-id=\"{case}\"] .notes').textContent"
                               f".includes('{text}')", timeout=LIVE_MS)
        assert page.evaluate("(s) => { const a = document.activeElement; return a && a.matches(s) ? a.value : null; }",
                             note) == "已联系社保", case
    page.keyboard.type("科，明天补材料")  # the finger keeps typing where it was
    page.click(f'li[data-id="{mine}"] form button')
    page.wait_for_function(f"document.querySelector('li[data-id=\"{mine}\"] .notes').textContent"
                           ".includes('已联系社保科，明天补材料')", timeout=LIVE_MS)
    page.wait_for_function(f"document.querySelector('{note}').value === ''", timeout=LIVE_MS)  # sent: not twice
    page.context.close()
