"""Hall API against a real hub process (SQLite and PostgreSQL): sign-in, roles, CSRF, help requests through a
real kiosk outbox, counters and the order rule, difficult cases, fleet, alerts, the live stream."""

from __future__ import annotations

import json
import threading
import time

import requests

from kiosk.services import request_help, take_ticket
from sync.client import HubClient
from sync.help_status import HelpStatus, fetch_help_status
from tests.hall.conftest import HallHub, PersonClient


# --- sign-in, roles, CSRF -------------------------------------------------------------------------------------
def test_login_sets_a_strict_httponly_cookie_and_answers_role_name_csrf(hall: HallHub) -> None:
    c = PersonClient(hall.url)
    r = c.login("v1")
    assert r.status_code == 200
    body = r.json()
    assert body["role"] == "volunteer" and body["display_name"] == "张三" and len(body["csrf_token"]) >= 20
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert "Secure" not in cookie  # plain http on 127.0.0.1; under TLS the cookie is Secure
    assert body["csrf_token"] not in cookie
    assert c.get_json("/v1/auth/me").json() == {"member_id": "v1", "role": "volunteer", "display_name": "张三"}
    assert c.act("/v1/auth/logout").status_code == 200
    assert c.get_json("/v1/auth/me").status_code == 401


def test_five_wrong_pins_lock_the_member_for_15_minutes(hall: HallHub) -> None:
    c = PersonClient(hall.url)
    for _ in range(5):
        r = c.login("s1", "000000")
        assert r.status_code == 401
        assert r.json()["detail"]["message"]["zh_CN"] == "工号或密码不正确"
    r = c.login("s1")  # the right PIN, but locked
    assert r.status_code == 423
    assert "15 分钟" in r.json()["detail"]["message"]["zh_CN"]
    # The lock is in the database: it holds for another member id? no — only this member is locked.
    assert PersonClient(hall.url).login("s2").status_code == 200
    row = hall.admin.db.one("SELECT failures, locked_until FROM hall_pin_guesses WHERE member_id='s1' "
                            "AND source='127.0.0.1'")  # locked from this source (test_hall_signin.py: only there)
    assert row is not None and row[0] == 5 and row[1] - time.time() > 14 * 60


def test_unknown_member_and_wrong_pin_look_the_same(hall: HallHub) -> None:
    a = PersonClient(hall.url).login("nobody", "123456")
    b = PersonClient(hall.url).login("s2", "999999")
    assert a.status_code == b.status_code == 401 and a.json() == b.json()


def test_volunteer_gets_403_on_counter_cases_fleet(hall: HallHub) -> None:
    v = hall.person("v1")
    assert v.act("/v1/counters/1/call-next").status_code == 403
    assert v.act("/v1/counters/1/recall").status_code == 403
    assert v.get_json("/v1/counters/1").status_code == 403
    assert v.get_json("/v1/fleet").status_code == 403
    assert v.get_json("/v1/cases").status_code == 403
    assert v.get_json("/v1/help-requests?state=open").status_code == 200


def test_kiosk_token_opens_no_hall_api_and_a_session_opens_no_kiosk_api(hall: HallHub) -> None:
    kh = hall.kiosk_headers("kiosk-a")
    for method, path in [("POST", "/v1/counters/1/call-next"), ("GET", "/v1/fleet"), ("GET", "/v1/cases"),
                         ("POST", "/v1/help-requests/x/claim"), ("GET", "/v1/queue"), ("GET", "/v1/board"),
                         ("GET", "/hall/events?page=help"), ("GET", "/v1/auth/me")]:
        r = requests.request(method, hall.url + path, headers=kh, timeout=10)
        assert r.status_code in (401, 403), (path, r.status_code)
    s = hall.person("s1")
    for method, path in [("GET", "/v1/roster"), ("GET", "/v1/settings"), ("POST", "/v1/heartbeat"),
                         ("GET", "/v1/tickets"), ("POST", "/v1/records/batch")]:
        r = s.request(method, hall.url + path, headers={"X-CSRF-Token": s.csrf or ""}, json={}, timeout=10)
        assert r.status_code == 401, (path, r.status_code)
    # The shared list answers a kiosk with its own records and a person with the hall's list.
    assert "items" in requests.get(hall.url + "/v1/help-requests", headers=kh, timeout=10).json()
    assert requests.get(hall.url + "/v1/help-requests", timeout=10).status_code == 401


def test_post_without_or_with_a_wrong_csrf_token_is_refused(hall: HallHub) -> None:
    s = hall.person("s1")
    r = s.post(hall.url + "/v1/counters/1/call-next", timeout=10)
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]["error"]
    r = s.post(hall.url + "/v1/counters/1/call-next", headers={"X-CSRF-Token": "x" * 32}, timeout=10)
    assert r.status_code == 403
    other = hall.person("s2")  # another session's token does not fit this session
    r = s.post(hall.url + "/v1/counters/1/call-next", headers={"X-CSRF-Token": other.csrf or ""}, timeout=10)
    assert r.status_code == 403
    assert s.act("/v1/counters/1/call-next").status_code == 204  # with its own token: nobody waits


# --- help requests ----------------------------------------------------------------------------------------------
def test_help_request_from_a_kiosk_is_claimed_and_the_kiosk_learns_the_name(hall: HallHub, kiosk_factory) -> None:
    k = kiosk_factory("kiosk-a")
    hid = request_help(k.store, None, "kiosk-a")
    client = HubClient(hall.url, hall.tokens["kiosk-a"], timeout=3)
    assert fetch_help_status(client, hid) is None  # still in the outbox: the hub does not know it
    k.deliver()
    assert fetch_help_status(client, hid) == HelpStatus("open", None)
    v = hall.person("v1")
    items = v.get_json("/v1/help-requests?state=open").json()["items"]
    assert [i["help_request_id"] for i in items] == [hid] and items[0]["kiosk_id"] == "kiosk-a"
    assert v.act(f"/v1/help-requests/{hid}/claim").status_code == 200
    assert fetch_help_status(client, hid) == HelpStatus("claimed", "张三")
    raw = requests.get(f"{hall.url}/v1/help-requests/{hid}", headers=hall.kiosk_headers("kiosk-a"), timeout=5)
    assert raw.json() == {"state": "claimed", "claimed_by": "张三"}
    # Another kiosk cannot read it, and another volunteer-or-staff cannot take it over.
    assert requests.get(f"{hall.url}/v1/help-requests/{hid}", headers=hall.kiosk_headers("kiosk-b"),
                        timeout=5).status_code == 404
    assert hall.person("s2").act(f"/v1/help-requests/{hid}/claim").status_code == 409
    assert v.get_json("/v1/help-requests?state=claimed").json()["items"][0]["claimed_name"] == "张三"
    assert v.act(f"/v1/help-requests/{hid}/resolve").status_code == 200
    assert fetch_help_status(client, hid) == HelpStatus("resolved", "张三")
    assert v.get_json("/v1/help-requests?state=open").json()["items"] == []
    assert v.get_json("/v1/help-requests?state=bogus").status_code == 422
    client.close()


def test_help_status_is_none_when_the_hub_is_unreachable(hall: HallHub) -> None:
    from tests.sync.conftest import free_port

    client = HubClient(f"http://127.0.0.1:{free_port()}", hall.tokens["kiosk-a"], timeout=1)
    assert fetch_help_status(client, "anything") is None
    assert client.reachable is False


def test_unclaimed_help_raises_an_alert_for_staff(hall: HallHub, kiosk_factory) -> None:
    k = kiosk_factory("kiosk-a")
    hid = request_help(k.store, None, "kiosk-a")
    k.deliver()
    s = hall.person("s1")
    assert s.get_json("/v1/alerts").json()["help_unclaimed"] == []
    with hall.admin.db.transaction() as db:  # six minutes ago (the setting is 5)
        db.execute("UPDATE hall_help SET created_at=? WHERE help_request_id=?", (time.time() - 360, hid))
    alerts = s.get_json("/v1/alerts").json()
    assert alerts["alert_minutes"] == 5
    assert [(a["help_request_id"], a["minutes"]) for a in alerts["help_unclaimed"]] == [(hid, 6)]
    assert hall.person("v1").get_json("/v1/alerts").status_code == 403


# --- counters -----------------------------------------------------------------------------------------------------
def _ticket(k, lane: str) -> dict:
    from kiosk.session import Mode, Session

    return take_ticket(k.store, Session(mode=Mode.PRIORITY) if lane == "priority" else None, k.kiosk_id)


def test_call_next_order_recall_no_show_served_transfer(hall: HallHub, kiosk_factory) -> None:
    k = kiosk_factory("kiosk-a")
    tickets = [take_ticket(k.store, None, "kiosk-a") for _ in range(4)]
    k.deliver()
    s = hall.person("s1")
    r = s.act("/v1/counters/3/call-next")
    assert r.status_code == 200
    first = r.json()
    assert {k: first[k] for k in ("ticket_id", "number", "lane", "kiosk_id")} == \
        {k: tickets[0][k] for k in ("ticket_id", "number", "lane", "kiosk_id")}
    assert s.act("/v1/counters/3/call-next").status_code == 409  # finish the current one first
    assert s.act("/v1/counters/3/no-show").status_code == 409  # not before two recalls
    assert s.act("/v1/counters/3/recall").json()["recalls"] == 1
    assert s.act("/v1/counters/3/no-show").status_code == 409
    assert s.act("/v1/counters/3/recall").json()["recalls"] == 2
    r = s.act("/v1/counters/3/no-show", {"ticket_id": first["ticket_id"]})
    assert r.status_code == 200 and r.json()["state"] == "no_show"
    second = s.act("/v1/counters/3/call-next").json()
    assert second["ticket_id"] == tickets[1]["ticket_id"]
    moved = s.act("/v1/counters/3/transfer", {"lane": "difficult"}).json()
    assert moved["state"] == "waiting" and moved["lane"] == "difficult"
    # Counter 3 never calls a difficult ticket; the difficult-case window (9) calls it first.
    third = s.act("/v1/counters/3/call-next").json()
    assert third["ticket_id"] == tickets[2]["ticket_id"]
    assert s.act("/v1/counters/3/served").json()["state"] == "served"
    nine = s.act("/v1/counters/9/call-next").json()
    assert nine["ticket_id"] == tickets[1]["ticket_id"] and nine["lane"] == "difficult"
    assert s.act("/v1/counters/3/call-next").json()["ticket_id"] == tickets[3]["ticket_id"]
    assert s.act("/v1/counters/3/served").status_code == 200
    assert s.act("/v1/counters/3/call-next").status_code == 204
    board = s.get_json("/v1/board").json()["calls"]
    assert board[0]["number"] == tickets[3]["number"] and board[0]["counter_id"] == "3"


def test_priority_first_but_a_normal_ticket_after_two_priority_calls(hall: HallHub, kiosk_factory) -> None:
    k = kiosk_factory("kiosk-a")
    n1 = _ticket(k, "normal")
    ps = [_ticket(k, "priority") for _ in range(3)]
    k.deliver()
    s = hall.person("s1")
    called = []
    for _ in range(4):
        t = s.act("/v1/counters/1/call-next").json()
        called.append(t["ticket_id"])
        assert s.act("/v1/counters/1/served").status_code == 200
    assert called == [ps[0]["ticket_id"], ps[1]["ticket_id"], n1["ticket_id"], ps[2]["ticket_id"]]


def test_two_counters_calling_at_once_never_get_the_same_ticket(hall: HallHub, kiosk_factory) -> None:
    k = kiosk_factory("kiosk-a")
    for _ in range(30):
        take_ticket(k.store, None, "kiosk-a")
    k.deliver()
    people = [hall.person("s1") for _ in range(6)]
    got: list[str] = []
    lock = threading.Lock()

    def counter(i: int) -> None:
        p = people[i]
        while True:
            r = p.act(f"/v1/counters/c{i}/call-next")
            if r.status_code == 204:
                return
            assert r.status_code == 200, r.text
            with lock:
                got.append(r.json()["ticket_id"])
            assert p.act(f"/v1/counters/c{i}/served").status_code == 200

    threads = [threading.Thread(target=counter, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(got) == 30 and len(set(got)) == 30


# --- difficult cases and fleet ------------------------------------------------------------------------------------
def difficult_case(k, **extra: object) -> str:
    """A difficult case as the kiosk sends it (INTERFACES.md, kiosk/difficult.py body), through its outbox."""
    import uuid

    from kiosk.store.outbox import enqueue

    cid = str(uuid.uuid4())
    body = {"case_id": cid, "kiosk_id": k.kiosk_id, "created_at": "2026-01-05T02:00:00+00:00",
            "item_code": "SB-001", "step": "materials", "reason": "no_household_register",
            "reason_label": {"zh": "没有户口本", "en": "No household register"}, "elderly": True,
            "ticket_id": str(uuid.uuid4()), "number": "N0003", "lane": "difficult", "helper_id": None,
            "session_id": None, "phone": "13800138000", **extra}
    with k.store.transaction():
        enqueue(k.store, "difficult_case", cid, body)
    return cid


def test_difficult_case_assign_note_close(hall: HallHub, kiosk_factory) -> None:
    k = kiosk_factory("kiosk-a")
    cid = difficult_case(k)
    k.deliver()
    s = hall.person("s1")
    items = s.get_json("/v1/cases").json()["items"]
    assert len(items) == 1
    case = items[0]
    assert (case["case_id"], case["item_code"], case["step"], case["reason"], case["reason_zh"], case["number"],
            case["elderly"], case["state"]) == \
        (cid, "SB-001", "materials", "no_household_register", "没有户口本", "N0003", True, "open")
    assert "13800138000" not in json.dumps(case)  # the call-back phone stays out of the hall's tables
    dump = hall.admin.db.query("SELECT * FROM hall_cases")
    assert "13800138000" not in repr(dump)
    assert s.act(f"/v1/cases/{cid}/assign", {"member_id": "s2"}).json()["assigned_name"] == "陈立"
    assert s.act(f"/v1/cases/{cid}/assign", {"member_id": "ghost"}).status_code == 404
    r = s.act(f"/v1/cases/{cid}/note", {"text": "请提供 440106199001011234 的户口本"})
    assert r.status_code == 400 and r.json()["detail"]["message"]["zh_CN"] == "备注里不要写身份证号或手机号"
    r = s.act(f"/v1/cases/{cid}/note", {"text": "已电话联系社保科，明天补材料"})
    assert r.json()["notes"][0]["text"] == "已电话联系社保科，明天补材料"
    assert s.act(f"/v1/cases/{cid}/close").json()["state"] == "closed"
    assert s.get_json("/v1/cases").json()["items"] == []


def test_fleet_shows_heartbeats_and_marks_a_silent_kiosk_offline(hall: HallHub, kiosk_factory) -> None:
    k = kiosk_factory("kiosk-a")
    take_ticket(k.store, None, "kiosk-a")
    assert k.worker.heartbeat()
    s = hall.person("s1")
    fleet = {f["kiosk_id"]: f for f in s.get_json("/v1/fleet").json()["kiosks"]}
    assert set(fleet) == {"kiosk-a", "kiosk-b"}
    a = fleet["kiosk-a"]
    assert a["online"] is True and a["pending"] == 1 and a["version"]
    assert fleet["kiosk-b"]["online"] is False and fleet["kiosk-b"]["last_seen"] is None
    # 3 missed heartbeats (180 s each) later it is offline.
    with hall.admin.db.transaction() as db:
        old = time.time() - 3 * 180 - 5
        import datetime as dt
        db.execute("UPDATE heartbeats SET received_at=? WHERE kiosk_id='kiosk-a'",
                   (dt.datetime.fromtimestamp(old, dt.UTC).isoformat(timespec="milliseconds"),))
    a = {f["kiosk_id"]: f for f in s.get_json("/v1/fleet").json()["kiosks"]}["kiosk-a"]
    assert a["online"] is False


# --- the live stream -------------------------------------------------------------------------------------------------
def test_counter_stream_gets_a_snapshot_then_each_new_ticket(hall: HallHub, kiosk_factory) -> None:
    s = hall.person("s1")
    events: list[tuple[str, dict]] = []
    r = s.get(hall.url + "/hall/events?page=counter&counter=1", stream=True, timeout=10)
    assert r.headers["content-type"].startswith("text/event-stream")
    lines = r.iter_lines(decode_unicode=True)

    def read_event() -> tuple[str, dict]:
        name = None
        for line in lines:
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: ") and name:
                return name, json.loads(line[6:])
        raise AssertionError("stream ended")

    events.append(read_event())
    assert events[0][0] == "snapshot" and events[0][1]["waiting"] == []
    k = kiosk_factory("kiosk-a")
    t = take_ticket(k.store, None, "kiosk-a")
    k.deliver()
    name, data = read_event()
    while name == "alerts":  # the staff page's periodic alert check may come first
        name, data = read_event()
    assert name == "ticket" and data["item"]["ticket_id"] == t["ticket_id"] and data["item"]["state"] == "waiting"
    r.close()
    v = hall.person("v1")
    assert v.get(hall.url + "/hall/events?page=counter", timeout=5).status_code == 403
