"""Rough edges staff hit: the counter link remembers this device's counter, a failed action's message stays
until dismissed (a reconnect notice does not replace it), English sub-labels are at least 20 px, the idle
counter shows a light dash, not a black bar."""

from __future__ import annotations

from tests.hall.conftest import HallHub
from tests.hall.test_hall_browser import browser, hall, shot, sign_in  # noqa: F401  (shared fixtures)


def test_counter_link_sticky_errors_and_type_sizes(browser, hall: HallHub) -> None:  # noqa: F811
    page = sign_in(browser, hall, "s1", "/hall/counter/4")
    page.wait_for_function("window.hallStream && window.hallStream.readyState === 1")
    assert "idle" in (page.get_attribute("#current-number", "class") or "")
    color = page.eval_on_selector("#current-number", "e => getComputedStyle(e).color")
    assert color != "rgb(0, 0, 0)"  # the idle dash is light, not a black bar
    sizes = page.eval_on_selector_all("nav a small, button small, h1 small",
                                      "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert sizes and min(sizes) >= 20, sizes
    shot(page, "counter-idle")
    page.goto(hall.url + "/hall/help")
    assert page.get_attribute('nav a[data-nav="counter"]', "href") == "/hall/counter/4"
    page.goto(hall.url + "/hall/counter/4")
    page.wait_for_function("window.hallStream && window.hallStream.readyState === 1")
    hall.procs[0].stop()  # the hub goes away while staff press a button
    page.click("#call-next")
    page.wait_for_selector("#status.bad .dismiss", timeout=5000)
    assert "刚才的操作没有完成" in page.inner_text("#status")
    page.wait_for_timeout(5000)  # the stream notices meanwhile and would say "reconnecting"
    assert "刚才的操作没有完成" in page.inner_text("#status")
    shot(page, "counter-action-failed")
    page.click("#status .dismiss")
    assert "刚才的操作没有完成" not in page.inner_text("#status")
    hall.procs[0].start()
    page.context.close()


def test_the_waiting_list_is_the_order_calls_really_happen(hall: HallHub, kiosk_factory) -> None:  # noqa: F811
    from kiosk.services import take_ticket
    from kiosk.session import Mode, Session

    k = kiosk_factory("kiosk-a")
    made = [take_ticket(k.store, Session(mode=Mode.PRIORITY) if lane == "p" else None, "kiosk-a",
                        lane="difficult" if lane == "d" else None) for lane in "nndppppn"]
    k.deliver()
    s = hall.person("s1")
    order = s.get_json("/v1/counters/3").json()["order"]
    by_id = {t["ticket_id"]: t for t in made}
    assert all(by_id[i]["lane"] != "difficult" for i in order) and len(order) == 7  # not this counter's to call
    assert [by_id[i]["lane"] for i in order] != [t["lane"] for t in made if t["lane"] != "difficult"]  # not arrival
    assert [by_id[i]["lane"] for i in order[:3]] == ["priority", "priority", "normal"]
    called = []
    for _ in range(7):
        called.append(s.act("/v1/counters/3/call-next").json()["ticket_id"])
        assert s.act("/v1/counters/3/served").status_code == 200
    assert called == order
    assert len(s.get_json("/v1/counters/9").json()["order"]) == 1  # the difficult window sees its case
