"""Who is calling the hub's kiosk API: the kiosk named by the request's bearer token (401 without a known one,
429 above its request rate), as the FastAPI dependency `Kiosk` every kiosk route and extension router uses."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request

from sync.hub.service import Hub


def current_kiosk(request: Request, authorization: Annotated[str | None, Header()] = None) -> str:
    """The kiosk named by the bearer token; 401 for a missing, unknown or revoked token."""
    if not authorization or not authorization.startswith("Bearer "):
        raise HTTPException(401, "bearer token required", headers={"WWW-Authenticate": "Bearer"})
    hub: Hub = request.app.state.hub
    name = hub.kiosks.named_by(authorization.removeprefix("Bearer ").strip())
    if name is None:
        raise HTTPException(401, "token unknown or revoked", headers={"WWW-Authenticate": "Bearer"})
    wait = request.app.state.rate.take(name)  # before the endpoint reads any body
    if wait > 0:
        raise HTTPException(429, "too many requests from this kiosk",
                            headers={"Retry-After": str(max(1, math.ceil(wait)))})
    return name


Kiosk = Annotated[str, Depends(current_kiosk)]
