"""The answer while the database is away: 503 + Retry-After, JSON for scripts, a self-refreshing page for people."""

from __future__ import annotations

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from sync.hub.availability import RETRY_AFTER_S

UNAVAILABLE_ZH = "服务暂时不可用，请稍后再试"
UNAVAILABLE_EN = "The service is briefly unavailable; please try again shortly"


async def database_unavailable(request: Request, exc: Exception) -> Response:
    """503 + Retry-After while the database does not answer: JSON for kiosks and pages' scripts, a short page
    that retries by itself for a person's browser. No traceback: the database's state is logged once."""
    headers = {"Retry-After": str(RETRY_AFTER_S)}
    if "text/html" in request.headers.get("accept", ""):
        page = (f"<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                f"<meta http-equiv=\"refresh\" content=\"{RETRY_AFTER_S}\"><title>{UNAVAILABLE_ZH}</title></head>"
                f"<body style=\"font-size:28px;font-family:sans-serif;margin:2em\"><p>{UNAVAILABLE_ZH}</p>"
                f"<p><small>{UNAVAILABLE_EN}</small></p></body></html>")
        return HTMLResponse(page, status_code=503, headers=headers)
    detail = {"error": "database unavailable", "message": {"zh_CN": UNAVAILABLE_ZH, "en": UNAVAILABLE_EN}}
    return JSONResponse({"detail": detail, "database": "unavailable"}, status_code=503, headers=headers)
