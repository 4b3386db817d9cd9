"""The hall side served by the hub: sign-in for people, help station, counters, calling board, cases, fleet.

`mount(app, hub)` creates the hall tables, listens to kiosk records and adds the routes and pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Header, Query, Request
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from sync.hub.service import Hub


def mount(app: FastAPI, hub: Hub) -> None:
    from sync.hub.hall import api, pages
    from sync.hub.hall.auth import Auth
    from sync.hub.hall.headers import SecurityHeaders
    from sync.hub.hall.schema import init_hall_schema
    from sync.hub.hall.service import Hall

    init_hall_schema(hub.db)
    hall = Hall(hub)
    hub.add_ingest_listener(hall.on_record)
    hub.add_heartbeat_listener(hall.on_heartbeat)
    app.state.hall = hall
    app.state.hall_auth = Auth(hub)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_middleware(SecurityHeaders)  # every answer of the hub, pages and APIs alike
    app.mount("/hall/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="hall-static")
    _share_help_list(app)


def _share_help_list(app: FastAPI) -> None:
    """`GET /v1/help-requests` serves both sides: a kiosk's bearer token gets the hub's own answer (its records),
    a person's session gets the hall's list with `?state=`. Our route goes in front and hands kiosks on."""
    from sync.hub.app import current_kiosk
    from sync.hub.hall.api import help_list_for_people, refuse, session_of

    routes = app.router.routes
    kiosk_route = next((r for r in routes if isinstance(r, APIRoute) and r.path == "/v1/help-requests"
                        and "GET" in r.methods), None)

    def list_help(request: Request, authorization: Annotated[str | None, Header()] = None,
                  state: Literal["open", "claimed", "resolved"] | None = None,
                  limit: Annotated[int, Query(ge=1, le=500)] = 100) -> Any:
        if authorization is not None and kiosk_route is not None:
            return kiosk_route.endpoint(kiosk_id=current_kiosk(request, authorization), limit=limit)
        found = session_of(request)
        if found is None:
            raise refuse(401, "请先登录", "Sign in first")
        if found[0].role not in ("staff", "volunteer"):  # a paired display sees the board only
            raise refuse(403, "您的账号没有这项权限", "Your role may not do this")
        return {"items": help_list_for_people(request, state)}

    app.add_api_route("/v1/help-requests", list_help, methods=["GET"], name="list_help_requests_shared")
    ours = routes.pop()
    routes.insert(routes.index(kiosk_route) if kiosk_route is not None else len(routes), ours)
