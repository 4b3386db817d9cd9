"""The hub's HTTP API (FastAPI; OpenAPI at /openapi.json): ingest, pulls, verification, heartbeats.

Every kiosk call carries `Authorization: Bearer <token>`; record posts carry `Content-Digest` (RFC 9530,
sha-256) over the exact body, so a body altered on the way is refused before anything is stored. A body
above `Limits.max_body_bytes` gets 413 before it is read, and a token above its request rate gets 429.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Annotated, Any, Protocol

from fastapi import FastAPI, Header, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.hub.auth import Kiosk, current_kiosk
from sync.hub.availability import RETRY_AFTER_S, DatabaseUnavailableError
from sync.hub.health import database_health
from sync.hub.service import DATASETS, Hub
from sync.wire import content_digest

RETRY_AFTER_IN_PROGRESS = "1"


@dataclass(frozen=True)
class Limits:
    """What one kiosk token may send: body size (413 above it) and a token bucket per token (429 above it).

    The bucket holds `rate_burst` requests and refills at `rate_per_second`; each hub process keeps its own.
    """

    max_body_bytes: int = 1024 * 1024
    rate_per_second: float = 50.0
    rate_burst: int = 200


class TokenBuckets:
    """Per-key token buckets (kiosk names, so only authenticated callers get one; bounded LRU anyway)."""

    def __init__(self, rate: float, burst: int, max_keys: int = 10_000) -> None:
        self.rate, self.burst, self.max_keys = rate, burst, max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when a request may go now (and counts it), else seconds until one may."""
        now = time.monotonic()
        with self._lock:
            tokens, at = self._buckets.pop(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - at) * self.rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        return wait


class BodyLimitMiddleware:
    """413 for a body above `max_bytes`: by `Content-Length` before reading anything, and for a chunked body
    as soon as the bytes read pass the limit. Unread bytes are discarded by the server, never buffered."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self) -> JSONResponse:
        # No "Connection: close": the server then drains (and discards) the rest, so a client still sending
        # reads this answer instead of a connection reset.
        return JSONResponse({"detail": "request body too large", "max_bytes": self.max_bytes}, status_code=413)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            try:
                too_large = int(length) > self.max_bytes
            except ValueError:
                too_large = False  # the server refuses a malformed length itself
            if too_large:
                await self._too_large()(scope, receive, send)
                return
        seen = 0

        async def capped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise HTTPException(413, f"request body too large (max {self.max_bytes} bytes)")
            return message

        await self.app(scope, capped, send)


class IssuerBackend(Protocol):
    """Where online-only codes are checked: the issuing platform in production, a local registry here. The answer:
    `{verdict: valid|expired|revoked|unknown, issuer, expires_at, holder}`, `holder` being whatever the issuer says
    of whose code it is (`{name?, date_of_birth?, id_digest?, salt?}`, see `code_holder.py`) or null."""

    def verify(self, code: str) -> dict[str, Any]: ...


class LocalRegistryBackend:
    """The reference back end: codes registered on this hub (`Hub.register_code`)."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    def verify(self, code: str) -> dict[str, Any]:
        import datetime as dt

        from sync.hub.code_holder import holder_answer

        entry = self.hub.lookup_code(code)
        if entry is None:
            return {"verdict": "unknown", "issuer": None, "expires_at": None, "holder": None}
        verdict = "valid" if entry["status"] == "valid" else entry["status"]
        if verdict == "valid" and entry["expires_at"] and entry["expires_at"] < dt.datetime.now(dt.UTC).isoformat():
            verdict = "expired"
        info = entry["info"] if isinstance(entry["info"], dict) else {}
        return {"verdict": verdict, "issuer": entry["issuer"], "expires_at": entry["expires_at"],
                "holder": holder_answer(info.get("holder"))}


async def _verified_json(request: Request, *, required: bool) -> Any:
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
    limits = limits or Limits()
    app = FastAPI(title="Service-hall kiosk hub", version="1")
    app.state.hub = hub
    app.state.limits = limits
    app.state.rate = TokenBuckets(limits.rate_per_second, limits.rate_burst)
    app.state.people_lists = {}  # kind: (request, limit) -> answer, for callers without a kiosk token
    app.add_middleware(BodyLimitMiddleware, max_bytes=limits.max_body_bytes)
    backend = issuer or LocalRegistryBackend(hub)

    def _check_owner(kiosk_id: str, records: list[dict[str, Any]]) -> None:
        for r in records:
            body = r.get("body")
            if isinstance(body, dict) and body.get("kiosk_id") not in (None, kiosk_id):
                raise HTTPException(403, "records belong to another kiosk")

    app.add_exception_handler(DatabaseUnavailableError, database_unavailable)

    @app.get("/v1/health")
    async def health() -> JSONResponse:
        """200 only when the database answers now; 503 otherwise, so a balancer takes this process out."""
        ok = await database_health(hub.db)
        body = {"status": "ok" if ok else "unavailable", "database": "ok" if ok else "unavailable"}
        return JSONResponse(body, status_code=200 if ok else 503,
                            headers={} if ok else {"Retry-After": str(RETRY_AFTER_S)})

    @app.post("/v1/records/batch")
    async def post_batch(request: Request, kiosk_id: Kiosk) -> JSONResponse:
        payload = await _verified_json(request, required=True)
        if not isinstance(payload, dict) or not isinstance(payload.get("records"), list):
            raise HTTPException(400, "expected {kiosk_id, records: [...]}")
        if payload.get("kiosk_id") != kiosk_id:
            raise HTTPException(403, "batch is for another kiosk")
        records = [r for r in payload["records"] if isinstance(r, dict)]
        if len(records) != len(payload["records"]) or len(records) > 1000:
            raise HTTPException(400, "records must be 1..1000 objects")
        _check_owner(kiosk_id, records)
        results = await run_in_threadpool(hub.ingest, kiosk_id, records)
        headers: dict[str, str] = {}
        if results and all(r.status == "replayed" for r in results):
            headers["Idempotent-Replayed"] = "true"
        if any(r.status == "in_progress" for r in results):
            headers["Retry-After"] = RETRY_AFTER_IN_PROGRESS
        return JSONResponse({"results": [r.as_dict() for r in results]}, headers=headers)

    async def _single(request: Request, kiosk_id: str, key: str | None, kind: str | None) -> JSONResponse:
        if not key:
            raise HTTPException(400, "Idempotency-Key header required")
        payload = await _verified_json(request, required=True)
        if not isinstance(payload, dict):
            raise HTTPException(400, "expected a JSON object")
        item = {"key": key, "kind": kind or payload.get("kind"), "record_id": payload.get("record_id"),
                "body": payload.get("body"), "sha256": payload.get("sha256")}
        _check_owner(kiosk_id, [item])
        (result,) = await run_in_threadpool(hub.ingest, kiosk_id, [item])
        headers: dict[str, str] = {}
        if result.status == "replayed":
            headers["Idempotent-Replayed"] = "true"
        if result.status == "in_progress":
            headers["Retry-After"] = RETRY_AFTER_IN_PROGRESS
        body = result.receipt if result.receipt else {"error": result.error}
        return JSONResponse(body, status_code=result.http_status, headers=headers)

    @app.post("/v1/records")
    async def post_record(request: Request, kiosk_id: Kiosk,
                          idempotency_key: Annotated[str | None, Header()] = None) -> JSONResponse:
        return await _single(request, kiosk_id, idempotency_key, None)

    @app.get("/v1/records/{key}")
    def get_record(key: str, kiosk_id: Kiosk) -> dict[str, Any]:
        rec = hub.record(kiosk_id, key)
        if rec is None:  # another kiosk's record looks exactly like a missing one
            raise HTTPException(404, "no such record")
        return rec

    for path, kind in (("/v1/help-requests", "help_request"), ("/v1/tickets", "ticket")):
        def _make(kind: str = kind) -> tuple[Any, Any]:
            async def post(request: Request, kiosk_id: Kiosk,
                           idempotency_key: Annotated[str | None, Header()] = None) -> JSONResponse:
                return await _single(request, kiosk_id, idempotency_key, kind)

            def get(request: Request, authorization: Annotated[str | None, Header()] = None,
                    limit: Annotated[int, Query(ge=1, le=500)] = 100) -> Any:
                """A kiosk's bearer token lists its own records. Without one, an extension that answers people on
                this path (`app.state.people_lists`, e.g. the hall's help list) does, instead of a 401."""
                people = app.state.people_lists.get(kind)
                if authorization is None and people is not None:
                    return people(request, limit)
                return {"items": hub.list_records(current_kiosk(request, authorization), kind, limit)}
            return post, get

        post_fn, get_fn = _make()
        app.post(path, name=f"post_{kind}")(post_fn)
        app.get(path, name=f"list_{kind}")(get_fn)

    for name in DATASETS:
        def _make_get(name: str = name) -> Any:
            def get(request: Request, kiosk_id: Kiosk) -> Response:
                found = hub.dataset(name)
                if name == "roster" and found is not None:  # PIN hashes stay on the hub (sync/hub/members.py)
                    from sync.hub.members import public_roster
                    from sync.hub.service import etag_of

                    public = public_roster(found[0])
                    found = (public, etag_of(public))
                if found is None:  # never a bundled or demo copy in its place
                    raise HTTPException(404, f"not published: this hub has no {name} published "
                                             f"(中心尚未发布 {name})")
                body, etag = found
                if request.headers.get("if-none-match") == etag:
                    return Response(status_code=304, headers={"ETag": etag})
                return Response(body.encode("utf-8"), media_type="application/json", headers={"ETag": etag})
            return get

        app.get(f"/v1/{name}", name=f"get_{name}")(_make_get())

    @app.get("/v1/authorizations")
    def authorizations(kiosk_id: Kiosk, since: Annotated[int, Query(ge=0)] = 0) -> dict[str, Any]:
        items, cursor = hub.authorizations_since(since)
        return {"items": items, "cursor": cursor}

    @app.post("/v1/codes/verify")
    async def verify_code(request: Request, kiosk_id: Kiosk) -> dict[str, Any]:
        payload = await _verified_json(request, required=False)
        code = payload.get("code") if isinstance(payload, dict) else None
        if not isinstance(code, str) or not code.strip() or len(code) > 4096:
            raise HTTPException(400, "expected {code: string}")
        return await run_in_threadpool(backend.verify, code)

    @app.post("/v1/heartbeat")
    async def heartbeat(request: Request, kiosk_id: Kiosk) -> dict[str, Any]:
        payload = await _verified_json(request, required=False)
        if not isinstance(payload, dict):
            raise HTTPException(400, "expected a JSON object")
        from kiosk.records import RecordError, validate_heartbeat

        try:
            validate_heartbeat(payload)
        except RecordError as exc:  # nothing stored; the field is named
            raise HTTPException(422, {"field": exc.field, "error": exc.problem}) from None
        received = await run_in_threadpool(hub.heartbeat, kiosk_id, payload)
        return {"received_at": received}

    mount_extensions(app, hub)
    return app
