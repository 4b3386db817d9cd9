"""The hall's HTTP API for people (cookie session + CSRF, roles) and the kiosk's help-request status.

Volunteers: help requests. Staff: everything. A kiosk's bearer token opens none of these (401), except
`GET /v1/help-requests/{id}`, which answers the kiosk that sent the request with its state only.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import re
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from sync.hub.availability import DatabaseUnavailableError
from sync.hub.hall.auth import COOKIE, Auth, csrf_ok
from sync.hub.hall.service import COUNTER_ID, Hall, HallError, Person
from sync.hub.hall.tts import render

UNDO_ID = re.compile(r"\A[0-9a-f]{32}\Z")

# A stream ends after this (the page reconnects and gets a fresh snapshot), so no connection lives forever.
STREAM_MAX_S = float(os.environ.get("KIOSK_HUB_STREAM_MAX_S", "300"))
KEEPALIVE_S = 15.0
SSE_BATCH_MAX = 200  # events written to a page in one send
SESSION_CHECK_S = 2.0  # an open stream re-reads its session this often: logout and roster changes end it


def refuse(status: int, zh: str, en: str, retry_after: int | None = None) -> HTTPException:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return HTTPException(status, {"error": en, "message": {"zh_CN": zh, "en": en}}, headers=headers)


def hall_of(request: Request) -> Hall:
    return request.app.state.hall


def auth_of(request: Request) -> Auth:
    return request.app.state.hall_auth


def session_of(request: Request) -> tuple[Person, str] | None:
    return auth_of(request).session(request.cookies.get(COOKIE))


def person(*roles: str) -> Callable[..., Person]:
    """Dependency: the signed-in person with one of `roles`; state-changing methods also need the CSRF token."""

    def dep(request: Request, x_csrf_token: Annotated[str | None, Header()] = None) -> Person:
        found = session_of(request)
        if found is None:
            raise refuse(401, "请先登录", "Sign in first")
        who, csrf = found
        if request.method not in ("GET", "HEAD", "OPTIONS") and not csrf_ok(csrf, x_csrf_token):
            raise refuse(403, "页面已过期，请刷新后重试", "Missing or wrong CSRF token; reload the page")
        if who.role not in roles:
            raise refuse(403, "您的账号没有这项权限", "Your role may not do this")
        return who

    return dep


Anyone = Annotated[Person, Depends(person("staff", "volunteer"))]
Staff = Annotated[Person, Depends(person("staff"))]
BoardViewer = Annotated[Person, Depends(person("staff", "display"))]  # a paired display sees the board only


async def _do(fn: Callable[..., Any], *args: Any) -> Any:
    try:
        return await run_in_threadpool(fn, *args)
    except HallError as exc:
        raise refuse(exc.status, exc.zh, exc.en, exc.retry_after) from None


class Login(BaseModel):
    member_id: str = Field(min_length=1, max_length=64)
    pin: str = Field(min_length=1, max_length=64)


class Transfer(BaseModel):
    lane: str
    ticket_id: uuid.UUID | None = None


class TicketRef(BaseModel):
    ticket_id: uuid.UUID | None = None


class Assign(BaseModel):
    member_id: str | None = None


class Note(BaseModel):
    text: str = Field(max_length=2000)


def _counter(counter_id: str) -> str:
    if not COUNTER_ID.match(counter_id):
        raise refuse(400, "窗口编号不正确", "Bad counter id")
    return counter_id


router = APIRouter()


# --- sign-in ---------------------------------------------------------------------------------------------------
@router.post("/v1/auth/login")
async def login(body: Login, request: Request) -> JSONResponse:
    source = request.client.host if request.client else ""
    who, token, csrf = await _do(auth_of(request).login, body.member_id, body.pin, source)
    resp = JSONResponse({"role": who.role, "display_name": who.display_name, "csrf_token": csrf})
    resp.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https",
                    path="/", max_age=12 * 3600)
    return resp


@router.post("/v1/auth/logout")
async def logout(request: Request, who: Anyone) -> JSONResponse:
    await run_in_threadpool(auth_of(request).logout, request.cookies.get(COOKIE, ""))
    resp = JSONResponse({"signed_out": True})
    resp.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https")
    return resp


@router.get("/v1/auth/me")
def me(who: Anyone) -> dict[str, str]:
    return {"member_id": who.member_id, "role": who.role, "display_name": who.display_name}


# --- help requests -------------------------------------------------------------------------------------------------
def help_list_for_people(request: Request, state: str | None) -> list[dict[str, Any]]:
    try:
        return hall_of(request).help_list(state)
    except HallError as exc:
        raise refuse(exc.status, exc.zh, exc.en, exc.retry_after) from None


HELP_STATES = ("open", "claimed", "resolved")


def people_help_list(request: Request, limit: int) -> dict[str, Any]:
    """`GET /v1/help-requests` for a signed-in person (`?state=open|claimed|resolved`); kiosks get their own list
    from the core route, which hands other callers here."""
    state = request.query_params.get("state")
    if state is not None and state not in HELP_STATES:
        raise RequestValidationError([{"type": "literal_error", "loc": ("query", "state"), "input": state,
                                       "msg": f"Input should be one of {', '.join(HELP_STATES)}"}])
    found = session_of(request)
    if found is None:
        raise refuse(401, "请先登录", "Sign in first")
    if found[0].role not in ("staff", "volunteer"):  # a paired display sees the board only
        raise refuse(403, "您的账号没有这项权限", "Your role may not do this")
    return {"items": help_list_for_people(request, state)}


@router.get("/v1/help-requests/{help_id}")
def help_status(help_id: uuid.UUID, request: Request, authorization: Annotated[str | None, Header()] = None) -> Any:
    hall = hall_of(request)
    if authorization and authorization.startswith("Bearer "):
        kiosk = hall.hub.kiosks.named_by(authorization.removeprefix("Bearer ").strip())
        if kiosk is None:
            raise HTTPException(401, "token unknown or revoked", headers={"WWW-Authenticate": "Bearer"})
        item = hall.help_get(str(help_id))
        if item is None or item["kiosk_id"] != kiosk:  # another kiosk's request looks like a missing one
            raise HTTPException(404, "no such help request")
        return {"state": item["state"], "claimed_by": item["claimed_name"] if item["state"] != "open" else None}
    found = session_of(request)
    if found is None:
        raise refuse(401, "请先登录", "Sign in first")
    if found[0].role not in ("staff", "volunteer"):
        raise refuse(403, "您的账号没有这项权限", "Your role may not do this")
    item = hall.help_get(str(help_id))
    if item is None:
        raise refuse(404, "没有这个求助", "No such help request")
    return item


@router.post("/v1/help-requests/{help_id}/claim")
async def claim(help_id: uuid.UUID, request: Request, who: Anyone) -> Any:
    return await _do(hall_of(request).claim, str(help_id), who)


@router.post("/v1/help-requests/{help_id}/release")
async def release(help_id: uuid.UUID, request: Request, who: Anyone) -> Any:
    return await _do(hall_of(request).release, str(help_id), who)


@router.post("/v1/help-requests/{help_id}/resolve")
async def resolve(help_id: uuid.UUID, request: Request, who: Anyone) -> Any:
    return await _do(hall_of(request).resolve, str(help_id), who)


# --- counters ------------------------------------------------------------------------------------------------------
@router.get("/v1/counters/{counter_id}")
async def counter_state(counter_id: str, request: Request, who: Staff) -> Any:
    hall = hall_of(request)
    cid = _counter(counter_id)
    return {"counter_id": cid, "difficult_window": cid in (await run_in_threadpool(hall.settings)).difficult_counters,
            "current": await run_in_threadpool(hall.current, cid), "waiting": await run_in_threadpool(hall.waiting),
            "order": await run_in_threadpool(hall.call_order, cid)}


@router.post("/v1/counters/{counter_id}/call-next", responses={204: {"description": "nobody waits"}})
async def call_next(counter_id: str, request: Request, who: Staff) -> Any:
    ticket = await _do(hall_of(request).call_next, _counter(counter_id))
    return Response(status_code=204) if ticket is None else ticket


async def _current_id(hall: Hall, cid: str, given: str | None) -> str:
    cur = await run_in_threadpool(hall.current, cid)
    if cur is None:
        raise refuse(409, "本窗口当前没有在办理的号码", "No ticket is being served at this counter")
    if given is not None and given != cur["ticket_id"]:
        raise refuse(409, "页面已过期，请刷新", "That ticket is no longer the current one; reload")
    return str(cur["ticket_id"])


def _ticket_action(name: str, fn_name: str) -> None:
    async def action(counter_id: str, request: Request, who: Staff, body: TicketRef | None = None) -> Any:
        hall = hall_of(request)
        cid = _counter(counter_id)
        tid = await _current_id(hall, cid, str(body.ticket_id) if body and body.ticket_id else None)
        if fn_name == "no_show":  # undoable for 10 s by the one who pressed it
            return await _do(hall.no_show, cid, tid, who)
        return await _do(getattr(hall, fn_name), cid, tid)

    router.post(f"/v1/counters/{{counter_id}}/{name}", name=f"counter_{fn_name}")(action)


for _name, _fn in (("recall", "recall"), ("served", "served"), ("no-show", "no_show")):
    _ticket_action(_name, _fn)


@router.post("/v1/counters/{counter_id}/transfer")
async def transfer(counter_id: str, body: Transfer, request: Request, who: Staff) -> Any:
    hall = hall_of(request)
    cid = _counter(counter_id)
    tid = await _current_id(hall, cid, str(body.ticket_id) if body.ticket_id else None)
    return await _do(hall.transfer, cid, tid, body.lane, who)


@router.post("/v1/undo/{undo_id}")
async def undo(undo_id: str, request: Request, who: Staff) -> Any:
    """Undo a no-show, transfer or case close within 10 s (sync/hub/hall/undo.py says when it is refused)."""
    if not UNDO_ID.match(undo_id):
        raise refuse(404, "没有可以撤销的操作", "Nothing to undo")
    return await _do(hall_of(request).undo, undo_id, who)


@router.get("/v1/queue")
async def queue(request: Request, who: Staff) -> Any:
    waiting = await run_in_threadpool(hall_of(request).waiting)
    counts = {lane: sum(1 for t in waiting if t["lane"] == lane) for lane in ("priority", "normal", "difficult")}
    return {"waiting": waiting, "counts": counts}


@router.get("/v1/board")
async def board(request: Request, who: BoardViewer) -> Any:
    return {"calls": await run_in_threadpool(hall_of(request).recent_calls)}


@router.get("/hall/audio/{voice}/{number}/{counter_id}.wav")
async def audio(voice: str, number: str, counter_id: str, who: BoardViewer) -> FileResponse:
    try:
        path = await run_in_threadpool(render, number, counter_id, voice)
    except ValueError:
        raise refuse(400, "号码或窗口不正确", "Bad number, counter or voice") from None
    return FileResponse(path, media_type="audio/wav", headers={"Cache-Control": "private, max-age=86400"})


# --- difficult cases -----------------------------------------------------------------------------------------------
@router.get("/v1/cases")
async def cases(request: Request, who: Staff, include_closed: bool = False) -> Any:
    return {"items": await run_in_threadpool(hall_of(request).cases, include_closed)}


@router.post("/v1/cases/{case_id}/assign")
async def assign(case_id: uuid.UUID, request: Request, who: Staff, body: Assign | None = None) -> Any:
    hall = hall_of(request)
    to = None
    if body is not None and body.member_id and body.member_id != who.member_id:
        to = await run_in_threadpool(auth_of(request)._member, body.member_id)
        if to is None:
            raise refuse(404, "名册里没有这个工号", "No such member on the roster")
        if to.role != "staff":  # the case desk is staff work: a volunteer could not even see the case
            raise refuse(409, f"{to.display_name} 不是工作人员，不能负责疑难件",
                         f"{to.display_name} is not staff and cannot take a case")
    return await _do(hall.assign, str(case_id), who, to)


@router.get("/v1/members")
async def staff_members(request: Request, who: Staff) -> Any:
    """The staff on the current roster (id and name only), whom a case can be assigned to."""
    members = await run_in_threadpool(auth_of(request).members)
    people = [{"member_id": mid, "display_name": str(m.get("display_name") or mid)}
              for mid, m in members.items() if m.get("role") == "staff"]
    return {"members": sorted(people, key=lambda p: p["member_id"])}


@router.post("/v1/cases/{case_id}/note")
async def note(case_id: uuid.UUID, body: Note, request: Request, who: Staff) -> Any:
    return await _do(hall_of(request).note, str(case_id), who, body.text)


@router.post("/v1/cases/{case_id}/close")
async def close_case(case_id: uuid.UUID, request: Request, who: Staff) -> Any:
    return await _do(functools.partial(hall_of(request).close_case, undoable=True), str(case_id), who)


# --- fleet and alerts ----------------------------------------------------------------------------------------------
@router.get("/v1/fleet")
async def fleet(request: Request, who: Staff) -> Any:
    return {"kiosks": await run_in_threadpool(hall_of(request).fleet), "now": time.time()}


@router.get("/v1/alerts")
async def alerts(request: Request, who: Staff) -> Any:
    return await run_in_threadpool(hall_of(request).alerts)


# --- live updates (Server-Sent Events), one stream per page --------------------------------------------------------
PAGES: dict[str, tuple[tuple[str, ...], set[str]]] = {
    # page: (roles, topics)
    "help": (("staff", "volunteer"), {"help", "alerts"}),
    "counter": (("staff",), {"ticket", "alerts"}),
    "board": (("staff", "display"), {"call"}),
    "cases": (("staff",), {"case", "alerts"}),
    "fleet": (("staff",), {"fleet", "alerts"}),
}


def snapshot(hall: Hall, page: str, who: Person, counter_id: str | None) -> dict[str, Any]:
    if page == "help":
        out: dict[str, Any] = {"items": hall.help_list(None)}
    elif page == "counter":
        out = {"waiting": hall.waiting(), "current": hall.current(counter_id) if counter_id else None,
               "order": hall.call_order(counter_id) if counter_id else None}
    elif page == "board":
        out = {"calls": hall.recent_calls()}
    elif page == "cases":
        out = {"items": hall.cases(False)}
    else:
        out = {"kiosks": hall.fleet()}
    if who.role == "staff" and page != "board":
        out["alerts"] = hall.alerts()
    out["now"] = time.time()
    return out


def still_allowed(request: Request, roles: tuple[str, ...]) -> bool:
    found = session_of(request)
    return found is not None and found[0].role in roles


def _sse(event: str, data: Any) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n".encode()


@router.get("/hall/events")
async def events(request: Request, page: Literal["help", "counter", "board", "cases", "fleet"],
                 counter: str | None = None) -> StreamingResponse:
    found = await run_in_threadpool(session_of, request)  # never the database on the event loop
    if found is None:
        raise refuse(401, "请先登录", "Sign in first")
    who = found[0]
    roles, topics = PAGES[page]
    if who.role not in roles:
        raise refuse(403, "您的账号没有这项权限", "Your role may not do this")
    if counter is not None:
        _counter(counter)
    if who.role != "staff":
        topics = topics - {"alerts"}
    hall = hall_of(request)
    # Subscribe first, then snapshot: nothing falls between the two.
    sub = await hall.bus.subscribe(topics, hall.db.settings.timeout_s)

    async def stream() -> AsyncIterator[bytes]:
        try:
            yield b"retry: 1000\n\n"
            yield _sse("snapshot", await run_in_threadpool(snapshot, hall, page, who, counter))
            ends = time.monotonic() + STREAM_MAX_S
            quiet_since = checked = time.monotonic()
            while time.monotonic() < ends:
                try:
                    event: dict[str, Any] | None = await asyncio.wait_for(sub.queue.get(), SESSION_CHECK_S)
                except TimeoutError:
                    event = None
                if time.monotonic() - checked >= SESSION_CHECK_S:
                    checked = time.monotonic()
                    if not await run_in_threadpool(still_allowed, request, roles):
                        yield _sse("signed_out", {})  # logout, expiry or a roster change: this stream ends
                        return
                if event is None:
                    if await request.is_disconnected():
                        return
                    if time.monotonic() - quiet_since >= KEEPALIVE_S:
                        quiet_since = time.monotonic()
                        yield b": keep-alive\n\n"
                    continue
                if sub.overflowed:  # this page fell behind and lost events: start it over
                    sub.overflowed = False
                    while not sub.queue.empty():
                        sub.queue.get_nowait()
                    yield _sse("snapshot", await run_in_threadpool(snapshot, hall, page, who, counter))
                    continue
                # Everything queued goes out in one write: one send per page per wake-up, not per event (a loop
                # that falls behind catches up instead of paying a GIL-releasing send for each event).
                batch = [event]
                while not sub.queue.empty() and len(batch) < SSE_BATCH_MAX:
                    batch.append(sub.queue.get_nowait())
                sent_at = time.time()
                yield b"".join(_sse(str(e.get("topic")), {**e, "sent_at": sent_at}) for e in batch)
            yield _sse("bye", {})  # the page reconnects at once (and gets a fresh snapshot), no alarm shown
        except DatabaseUnavailableError:  # the page says so and reconnects; the database's state is logged once
            yield _sse("unavailable", {})
        finally:
            hall.bus.unsubscribe(sub)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
