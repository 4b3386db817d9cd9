"""`HubOnlineVerifier`: the codes package's `OnlineVerifier`, asking the hub (which asks the issuing platform).
The answer's holder (name, birth date, ID-number digest) becomes the verdict's subject and holder claims, so the
health check matches it with the identified person as it does for KC1 and DCC codes.

Offline (no connection, timeout, hub error) it raises `OnlineUnavailable`, so the verdict becomes
`unverifiable_offline` rather than a guess. The code itself travels only in the POST body, never in a URL.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import requests

from kiosk.codes.verdict import CodeFormat, Subject, Verdict, VerdictKind, verdict_of
from kiosk.codes.verify import OnlineUnavailable
from kiosk.config import KioskConfig
from kiosk.locale import phrase
from sync.client import HubClient, load_token

_REVOKED = phrase("sync.online_verifier._revoked")
_UNKNOWN = phrase("sync.online_verifier._unknown")


def _time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


_HEX = re.compile(r"^[0-9a-f]+$")


def _holder(answer: dict[str, Any]) -> tuple[Subject | None, dict[str, Any] | None]:
    """(subject, claims) from the answer's `holder`: a subject when the issuer names the person or the birth
    date; claims `{holder: {id_digest}, salt}` (the shape of the hub's own codes) when it gives an ID digest."""
    holder = answer.get("holder")
    if not isinstance(holder, dict):
        return None, None

    def text(key: str) -> str | None:
        value = holder.get(key)
        return value if isinstance(value, str) and value.strip() else None

    name, born = text("name"), text("date_of_birth")
    subject = Subject(name=name, date_of_birth=born) if name or born else None
    digest, salt = text("id_digest"), text("salt")
    claims = None
    if digest and salt and _HEX.match(digest) and _HEX.match(salt) and len(salt) % 2 == 0:
        claims = {"holder": {"id_digest": digest}, "salt": salt}
    return subject, claims


class HubOnlineVerifier:
    """Verifies online-only codes through `POST /v1/codes/verify`. One per thread (it owns a session)."""

    def __init__(self, client: HubClient) -> None:
        self.client = client

    @classmethod
    def from_config(cls, cfg: KioskConfig, token: str | None = None, timeout: float = 5.0) -> HubOnlineVerifier:
        if cfg.hub_url is None:
            raise OnlineUnavailable("no hub configured")
        if token is None:
            if cfg.token_file is None:
                raise OnlineUnavailable("no token file configured")
            token = load_token(cfg.token_file)
        return cls(HubClient(cfg.hub_url, token, ca_bundle=cfg.ca_bundle, timeout=timeout))

    def verify_online(self, payload: str) -> Verdict:
        fmt = CodeFormat.ONLINE
        try:
            answer = self.client.verify_code(payload)
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else 0
            if status >= 500 or status in (401, 408, 429):
                raise OnlineUnavailable(f"hub HTTP {status}") from None
            return verdict_of(fmt, VerdictKind.MALFORMED, stage="online", detail=f"hub HTTP {status}")
        except (requests.RequestException, ValueError) as exc:
            raise OnlineUnavailable(type(exc).__name__) from None
        issuer = answer.get("issuer") if isinstance(answer.get("issuer"), str) else None
        expires = _time(answer.get("expires_at"))
        verdict = answer.get("verdict")
        subject, claims = _holder(answer)
        if verdict == "valid":
            return verdict_of(fmt, VerdictKind.VALID, issuer=issuer, expires_at=expires, stage="online",
                              subject=subject, claims=claims)
        if verdict == "expired":
            return verdict_of(fmt, VerdictKind.EXPIRED, issuer=issuer, expires_at=expires, stage="online",
                              subject=subject, claims=claims)
        if verdict == "revoked":
            return verdict_of(fmt, VerdictKind.INVALID_SIGNATURE, message=_REVOKED, issuer=issuer, stage="online",
                              detail="revoked by issuer")
        if verdict == "unknown":
            return verdict_of(fmt, VerdictKind.UNKNOWN_ISSUER, message=_UNKNOWN, stage="online",
                              detail="unknown to issuer")
        raise OnlineUnavailable("unexpected answer from the hub")

    def close(self) -> None:
        self.client.close()
