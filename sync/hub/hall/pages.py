"""The hall's pages (Jinja2 templates, plain JS, no build step): sign-in, help station, counters, calling
board, difficult-case desk, kiosk fleet. Data comes over each page's one SSE stream (snapshot, then changes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from sync.hub.hall.api import PAGES, _counter, hall_of, session_of

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(include_in_schema=False)

NAV = [("help", "/hall/help", "求助台", "Help desk", ("staff", "volunteer")),
       ("counter", "/hall/counter/1", "窗口叫号", "Counter", ("staff",)),
       ("board", "/hall/board", "叫号屏", "Calling board", ("staff",)),
       ("cases", "/hall/cases", "疑难件", "Difficult cases", ("staff",)),
       ("fleet", "/hall/fleet", "终端状态", "Kiosks", ("staff",))]


def _page(request: Request, page: str, template: str, **extra: Any) -> Response:
    found = session_of(request)
    if found is None:
        return RedirectResponse(f"/hall/login?next={quote(request.url.path)}", status_code=303)
    who, csrf = found
    roles = PAGES[page][0]
    context = {"who": who, "csrf": csrf, "page": page, "nav": [n for n in NAV if who.role in n[4]], **extra}
    if who.role not in roles:
        return templates.TemplateResponse(request, "forbidden.html", {**context, "page": "forbidden"},
                                          status_code=403)
    return templates.TemplateResponse(request, template, context, headers={"Cache-Control": "no-store"})


@router.get("/hall/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/hall/") -> Response:
    target = next if next.startswith("/hall/") else "/hall/"
    return templates.TemplateResponse(request, "login.html", {"next": target, "page": "login", "nav": []})


@router.get("/hall", response_class=HTMLResponse)
@router.get("/hall/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    found = session_of(request)
    if found is None:
        return RedirectResponse("/hall/login", status_code=303)
    role = found[0].role
    target = {"volunteer": "/hall/help", "display": "/hall/board"}.get(role, "/hall/counter/1")
    return RedirectResponse(target, status_code=303)


@router.get("/hall/help", response_class=HTMLResponse)
def help_page(request: Request) -> Response:
    return _page(request, "help", "help.html")


@router.get("/hall/counter/{counter_id}", response_class=HTMLResponse)
def counter_page(request: Request, counter_id: str) -> Response:
    cid = _counter(counter_id)
    difficult = cid in hall_of(request).settings().difficult_counters
    return _page(request, "counter", "counter.html", counter_id=cid, difficult_window=difficult)


@router.get("/hall/board", response_class=HTMLResponse)
def board_page(request: Request) -> Response:
    return _page(request, "board", "board.html")


@router.get("/hall/pair/{code}", response_class=HTMLResponse)
def pair(request: Request, code: str) -> Response:
    """A display's one-time pairing address: sets its long-lived `display` cookie, then shows the board."""
    from sync.hub.hall.api import auth_of
    from sync.hub.hall.auth import COOKIE
    from sync.hub.hall.displays import DISPLAY_SESSION_SECONDS, redeem

    found = redeem(hall_of(request).db, code)
    if found is None:
        return templates.TemplateResponse(request, "pair_refused.html", {"page": "pair", "nav": []},
                                          status_code=404)
    token, _csrf = auth_of(request).display_session(found[0])
    resp = RedirectResponse("/hall/board", status_code=303)
    resp.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https",
                    path="/", max_age=int(DISPLAY_SESSION_SECONDS))
    return resp


@router.get("/hall/cases", response_class=HTMLResponse)
def cases_page(request: Request) -> Response:
    s = hall_of(request).settings()
    return _page(request, "cases", "cases.html", flag_minutes=s.case_flag_minutes)


@router.get("/hall/fleet", response_class=HTMLResponse)
def fleet_page(request: Request) -> Response:
    return _page(request, "fleet", "fleet.html")
