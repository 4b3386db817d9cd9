"""HTTP client to the hub: verified HTTPS (configurable CA bundle), bearer token from a 0600 file, timeouts.

URLs carry only record keys (UUIDs) and data set names; bodies are never logged.
"""

from __future__ import annotations

import json
import os
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from kiosk.locale import phrase
from kiosk.messages import KioskError
from sync.wire import content_digest


def load_token(path: Path) -> str:
    """Read the kiosk's bearer token; a token file others can read is refused (it is a credential)."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
        token = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise KioskError("token_missing", phrase("sync.client.token_file_unreadable", path=path),
                         detail=type(exc).__name__) from None
    if mode & 0o077:
        raise KioskError("token_file_insecure", phrase("sync.client.token_file_insecure", path=path))
    if not token:
        raise KioskError("token_missing", phrase("sync.client.token_file_empty", path=path))
    return token


def write_token(path: Path, token: str) -> None:
    """Store a token with mode 0600 from the start (never briefly world-readable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(token + "\n")
    os.chmod(path, 0o600)


@dataclass(frozen=True)
class Fetched:
    status: int  # 200, 304, or 404 (the hub publishes no such data set)
    body: bytes | None
    etag: str | None


class HubClient:
    """One `requests.Session` (keep-alive) per drainer thread.

    Every call notes whether the hub answered: `reachable` is True after any answer below 500 (even a 4xx:
    the hub is there), False after a connection error, a timeout or a 5xx; None before the first call.
    `on_contact(reachable)` (optional) hears each of those, on the thread that made the call.
    """

    def __init__(self, base_url: str, token: str, *, ca_bundle: Path | None = None, timeout: float = 10.0) -> None:
        if not (base_url.startswith("https://") or base_url.startswith(("http://127.0.0.1", "http://localhost"))):
            raise KioskError("hub_url_insecure", phrase("sync.client.hub_url_insecure"))
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        # Verification is always on: the system store, or the configured CA bundle. Never False. It is also
        # passed on every call, because requests lets $REQUESTS_CA_BUNDLE override a session-level setting.
        self.verify: str | bool = str(ca_bundle) if ca_bundle else True
        self.session.verify = self.verify
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.session.headers["User-Agent"] = "service-hall-kiosk"
        # No urllib3 retries here: the outbox schedule decides when to try again.
        self.session.mount("http://", HTTPAdapter(max_retries=0, pool_maxsize=2))
        self.session.mount("https://", HTTPAdapter(max_retries=0, pool_maxsize=2))
        self.reachable: bool | None = None
        self.last_contact_at: float | None = None  # time.monotonic() of the last answer
        self.on_contact: Callable[[bool], None] | None = None
        self._contact_lock = threading.Lock()

    def _note(self, reachable: bool) -> None:
        with self._contact_lock:
            self.reachable = reachable
            if reachable:
                self.last_contact_at = time.monotonic()
        if self.on_contact is not None:
            self.on_contact(reachable)

    def _send(self, method: str, path: str, **kw: Any) -> requests.Response:
        kw.setdefault("timeout", self.timeout)
        try:
            r = self.session.request(method, self.base_url + path, verify=self.verify, **kw)
        except requests.RequestException:
            self._note(False)
            raise
        self._note(r.status_code < 500)
        return r

    def _post_json(self, path: str, payload: Any, headers: dict[str, str] | None = None) -> requests.Response:
        raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        hdrs = {"Content-Type": "application/json", "Content-Digest": content_digest(raw), **(headers or {})}
        return self._send("POST", path, data=raw, headers=hdrs)

    def health(self, timeout: float | None = None) -> bool:
        try:
            r = self._send("GET", "/v1/health", timeout=timeout or min(self.timeout, 3.0))
            return r.status_code == 200
        except requests.RequestException:
            return False

    def post_batch(self, kiosk_id: str, records: list[dict[str, Any]]) -> requests.Response:
        return self._post_json("/v1/records/batch", {"kiosk_id": kiosk_id, "records": records})

    def post_record(self, key: str, record: dict[str, Any]) -> requests.Response:
        return self._post_json("/v1/records", record, {"Idempotency-Key": key})

    def fetch(self, name: str, etag: str | None = None, params: dict[str, Any] | None = None) -> Fetched:
        headers = {"If-None-Match": etag} if etag else {}
        r = self._send("GET", f"/v1/{name}", headers=headers, params=params)
        if r.status_code == 304:
            return Fetched(304, None, etag)
        if r.status_code == 404:
            return Fetched(404, None, None)
        r.raise_for_status()
        return Fetched(r.status_code, r.content, r.headers.get("ETag"))

    def heartbeat(self, body: dict[str, Any]) -> None:
        """Send a heartbeat; raises `requests.HTTPError` on a refusal (the hub still counts as reachable)."""
        self._post_json("/v1/heartbeat", body).raise_for_status()

    def verify_code(self, code: str) -> dict[str, Any]:
        r = self._post_json("/v1/codes/verify", {"code": code})
        r.raise_for_status()
        return dict(r.json())

    def close(self) -> None:
        self.session.close()
