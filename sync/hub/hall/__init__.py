"""The hall side served by the hub: sign-in for people, help station, counters, calling board, cases, fleet.

`mount(app, hub)` creates the hall tables, listens to kiosk records and adds the routes and pages.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
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
    hub.records.add_listener(hall.on_record)
    hub.fleet.add_listener(hall.on_heartbeat)
    app.state.hall = hall
    app.state.hall_auth = Auth(hub)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_middleware(SecurityHeaders)  # every answer of the hub, pages and APIs alike
    app.mount("/hall/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="hall-static")
    # People share the kiosks' list path: the core route hands callers without a kiosk token to the hall.
    app.state.people_lists["help_request"] = api.people_help_list
