"""What one kiosk token may send: the body-size cap (413) and the per-token request rate (429)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from fastapi import HTTPException
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


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
