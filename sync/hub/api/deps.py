"""What every kiosk route needs from the app: the hub, and a body checked against its `Content-Digest`."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

from sync.hub.service import Hub
from sync.wire import content_digest


def _hub(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


HubDep = Annotated[Hub, Depends(_hub)]


async def verified_json(request: Request, *, required: bool) -> Any:
    """The body as JSON; 400 when a required `Content-Digest` (RFC 9530) is missing or does not match the bytes."""
    raw = await request.body()
    header = request.headers.get("content-digest")
    if header is None and required:
        raise HTTPException(400, "Content-Digest header required")
    if header is not None and header.replace(" ", "") != content_digest(raw):
        raise HTTPException(400, "body does not match Content-Digest")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise HTTPException(400, "body is not JSON") from None
