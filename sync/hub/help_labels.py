"""What the hall's help page needs to say a call in a volunteer's words: each kiosk screen's title (not its state
code), each catalog item's name (not its code), each kiosk's place in the hall (`kiosk add --location`).

`GET /v1/help-labels` (a hall session, staff or volunteer) answers `{screens: {STATE: {zh, en}}, items: {CODE:
{zh, en}}, kiosks: {NAME: {hall, location}}}`. Item names come from the catalog the hub publishes (what the kiosks
pull), else the bundled one. Mounted by `mount(app, hub)`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from starlette.concurrency import run_in_threadpool

from sync.hub.hall.api import Anyone
from sync.hub.service import Hub

router = APIRouter()


def screen_titles() -> dict[str, dict[str, str]]:
    """Every journey state's screen title; a state without a title of its own (proxy_agent, health_waiting…)
    has its screen's (proxy, health)."""
    from kiosk.journey.states import State
    from kiosk.journey.texts import TITLES

    out: dict[str, dict[str, str]] = {}
    for state in State:
        title = TITLES.get(state.value) or TITLES.get(state.value.split("_")[0])
        if title is not None:
            out[state.value] = title.as_dict()
    return out


def item_names(hub: Hub) -> dict[str, dict[str, str]]:
    from kiosk.catalog.loader import load_bundled_catalog, parse_catalog

    published = hub.datasets.get("catalog")
    try:
        catalog = parse_catalog(published[0]) if published is not None else load_bundled_catalog()
    except Exception:  # a broken published copy: the kiosks keep their last good one, which names items alike
        catalog = load_bundled_catalog()
    return {item.code: {"zh": item.name.zh, "en": item.name.en} for item in catalog.items}


def labels(hub: Hub) -> dict[str, Any]:
    from sync.hub.placement import placements

    return {"screens": screen_titles(), "items": item_names(hub),
            "kiosks": {name: {"hall": p.hall, "location": p.location} for name, p in placements(hub.db).items()}}


@router.get("/v1/help-labels")
async def help_labels(request: Request, who: Anyone) -> dict[str, Any]:
    return await run_in_threadpool(labels, request.app.state.hub)


def mount(app: FastAPI, hub: Hub) -> None:
    app.include_router(router)
