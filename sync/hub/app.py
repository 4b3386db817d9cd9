"""The hub's HTTP app (FastAPI; OpenAPI at /openapi.json): the kiosk API's routers plus the extensions' routers.

Every kiosk call carries `Authorization: Bearer <token>`; record posts carry `Content-Digest` (RFC 9530,
sha-256) over the exact body, so a body altered on the way is refused before anything is stored. A body
above `Limits.max_body_bytes` gets 413 before it is read, and a token above its request rate gets 429.
The routes live in `sync/hub/api/`, one module per concern.
"""

from __future__ import annotations

from fastapi import FastAPI

from sync.hub.api import ROUTERS
from sync.hub.api.unavailable import database_unavailable
from sync.hub.availability import DatabaseUnavailableError
from sync.hub.issuer import IssuerBackend, LocalRegistryBackend
from sync.hub.limits import BodyLimitMiddleware, Limits, TokenBuckets
from sync.hub.service import Hub

__all__ = ["IssuerBackend", "Limits", "LocalRegistryBackend", "create_app", "mount_extensions"]


def mount_extensions(app: FastAPI, hub: Hub) -> None:
    """Routers other parts of the hub add to the app (called last by `create_app`).

    EXTENSION POINT: the hall pages (`sync/hub/hall/`) mount their router here with one line.
    """
    from sync.hub.hall import mount as mount_hall  # hall pages, APIs and tables (sync/hub/hall/)
    from sync.hub.help_labels import mount as mount_labels  # help page: screen titles, item names, places
    from sync.hub.people import mount as mount_people  # known phones for one-tap confirmation (sync/hub/people.py)
    from sync.hub.placement import mount as mount_placement  # kiosks' halls, ticket slots, places (placement.py)

    mount_hall(app, hub)
    mount_people(app, hub)
    mount_placement(app, hub)
    mount_labels(app, hub)


def create_app(hub: Hub, issuer: IssuerBackend | None = None, limits: Limits | None = None) -> FastAPI:
    """The hub's app: shared state on `app.state` (hub, issuer, rate buckets, people's list handlers), the body
    cap, the 503 answer while the database is away, the kiosk API's routers, then the extensions."""
    limits = limits or Limits()
    app = FastAPI(title="Service-hall kiosk hub", version="1")
    app.state.hub = hub
    app.state.limits = limits
    app.state.rate = TokenBuckets(limits.rate_per_second, limits.rate_burst)
    app.state.issuer = issuer or LocalRegistryBackend(hub)
    app.state.people_lists = {}  # kind: (request, limit) -> answer, for callers without a kiosk token
    app.add_middleware(BodyLimitMiddleware, max_bytes=limits.max_body_bytes)
    app.add_exception_handler(DatabaseUnavailableError, database_unavailable)
    for router in ROUTERS:
        app.include_router(router)
    mount_extensions(app, hub)
    return app
