"""Record ingest and reads: batches and single records (Idempotency-Key), tickets and help requests by path.

Each kiosk posts and reads only its own records; a record naming another kiosk is refused with 403.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from sync.hub.api.deps import HubDep, verified_json
from sync.hub.auth import Kiosk, current_kiosk
from sync.hub.service import Hub

RETRY_AFTER_IN_PROGRESS = "1"
router = APIRouter()


def _check_owner(kiosk_id: str, records: list[dict[str, Any]]) -> None:
    for r in records:
        body = r.get("body")
        if isinstance(body, dict) and body.get("kiosk_id") not in (None, kiosk_id):
            raise HTTPException(403, "records belong to another kiosk")


@router.post("/v1/records/batch")
async def post_batch(request: Request, kiosk_id: Kiosk, hub: HubDep) -> JSONResponse:
    payload = await verified_json(request, required=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("records"), list):
        raise HTTPException(400, "expected {kiosk_id, records: [...]}")
    if payload.get("kiosk_id") != kiosk_id:
        raise HTTPException(403, "batch is for another kiosk")
    records = [r for r in payload["records"] if isinstance(r, dict)]
    if len(records) != len(payload["records"]) or len(records) > 1000:
        raise HTTPException(400, "records must be 1..1000 objects")
    _check_owner(kiosk_id, records)
    results = await run_in_threadpool(hub.records.ingest, kiosk_id, records)
    headers: dict[str, str] = {}
    if results and all(r.status == "replayed" for r in results):
        headers["Idempotent-Replayed"] = "true"
    if any(r.status == "in_progress" for r in results):
        headers["Retry-After"] = RETRY_AFTER_IN_PROGRESS
    return JSONResponse({"results": [r.as_dict() for r in results]}, headers=headers)


async def _single(request: Request, hub: Hub, kiosk_id: str, key: str | None, kind: str | None) -> JSONResponse:
    if not key:
        raise HTTPException(400, "Idempotency-Key header required")
    payload = await verified_json(request, required=True)
    if not isinstance(payload, dict):
        raise HTTPException(400, "expected a JSON object")
    item = {"key": key, "kind": kind or payload.get("kind"), "record_id": payload.get("record_id"),
            "body": payload.get("body"), "sha256": payload.get("sha256")}
    _check_owner(kiosk_id, [item])
    (result,) = await run_in_threadpool(hub.records.ingest, kiosk_id, [item])
    headers: dict[str, str] = {}
    if result.status == "replayed":
        headers["Idempotent-Replayed"] = "true"
    if result.status == "in_progress":
        headers["Retry-After"] = RETRY_AFTER_IN_PROGRESS
    body = result.receipt if result.receipt else {"error": result.error}
    return JSONResponse(body, status_code=result.http_status, headers=headers)


@router.post("/v1/records")
async def post_record(request: Request, kiosk_id: Kiosk, hub: HubDep,
                      idempotency_key: Annotated[str | None, Header()] = None) -> JSONResponse:
    return await _single(request, hub, kiosk_id, idempotency_key, None)


@router.get("/v1/records/{key}")
def get_record(key: str, kiosk_id: Kiosk, hub: HubDep) -> dict[str, Any]:
    rec = hub.records.get(kiosk_id, key)
    if rec is None:  # another kiosk's record looks exactly like a missing one
        raise HTTPException(404, "no such record")
    return rec


def _kind_routes(path: str, kind: str) -> None:
    async def post(request: Request, kiosk_id: Kiosk, hub: HubDep,
                   idempotency_key: Annotated[str | None, Header()] = None) -> JSONResponse:
        return await _single(request, hub, kiosk_id, idempotency_key, kind)

    def get(request: Request, hub: HubDep, authorization: Annotated[str | None, Header()] = None,
            limit: Annotated[int, Query(ge=1, le=500)] = 100) -> Any:
        """A kiosk's bearer token lists its own records. Without one, an extension that answers people on this
        path (`app.state.people_lists`, e.g. the hall's help list) does, instead of a 401."""
        people = request.app.state.people_lists.get(kind)
        if authorization is None and people is not None:
            return people(request, limit)
        return {"items": hub.records.listing(current_kiosk(request, authorization), kind, limit)}

    router.post(path, name=f"post_{kind}")(post)
    router.get(path, name=f"list_{kind}")(get)


_kind_routes("/v1/help-requests", "help_request")
_kind_routes("/v1/tickets", "ticket")
