"""Online verification of health codes: the kiosk sends the code, the issuer back end answers (holder included)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from sync.hub.api.deps import verified_json
from sync.hub.auth import Kiosk

router = APIRouter()


@router.post("/v1/codes/verify")
async def verify_code(request: Request, kiosk_id: Kiosk) -> dict[str, Any]:
    payload = await verified_json(request, required=False)
    code = payload.get("code") if isinstance(payload, dict) else None
    if not isinstance(code, str) or not code.strip() or len(code) > 4096:
        raise HTTPException(400, "expected {code: string}")
    answer: dict[str, Any] = await run_in_threadpool(request.app.state.issuer.verify, code)
    return answer
