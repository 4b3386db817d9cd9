"""Health probe and kiosk heartbeats: what a balancer and the fleet page learn about the hub and its kiosks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from sync.hub.api.deps import HubDep, verified_json
from sync.hub.auth import Kiosk
from sync.hub.availability import RETRY_AFTER_S
from sync.hub.health import database_health

router = APIRouter()


@router.get("/v1/health")
async def health(hub: HubDep) -> JSONResponse:
    """200 only when the database answers now; 503 otherwise, so a balancer takes this process out."""
    ok = await database_health(hub.db)
    body = {"status": "ok" if ok else "unavailable", "database": "ok" if ok else "unavailable"}
    return JSONResponse(body, status_code=200 if ok else 503,
                        headers={} if ok else {"Retry-After": str(RETRY_AFTER_S)})


@router.post("/v1/heartbeat")
async def heartbeat(request: Request, kiosk_id: Kiosk, hub: HubDep) -> dict[str, Any]:
    payload = await verified_json(request, required=False)
    if not isinstance(payload, dict):
        raise HTTPException(400, "expected a JSON object")
    from kiosk.records import RecordError, validate_heartbeat

    try:
        validate_heartbeat(payload)
    except RecordError as exc:  # nothing stored; the field is named
        raise HTTPException(422, {"field": exc.field, "error": exc.problem}) from None
    received = await run_in_threadpool(hub.fleet.heartbeat, kiosk_id, payload)
    return {"received_at": received}
