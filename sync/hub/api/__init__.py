"""The hub's kiosk API as routers, one module per concern; `create_app` (sync/hub/app.py) includes `ROUTERS`."""

from __future__ import annotations

from fastapi import APIRouter

from sync.hub.api import codes, datasets, fleet, records

ROUTERS: tuple[APIRouter, ...] = (fleet.router, records.router, datasets.router, codes.router)
