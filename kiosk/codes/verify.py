"""One entry point for every scanned payload: classify, verify offline or through the hub, return a Verdict.

Never raises on any payload: a bug in a layer becomes `malformed` with a log line (without the payload).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Protocol, runtime_checkable

from kiosk.codes.classify import classify
from kiosk.codes.dcc import verify_dcc
from kiosk.codes.kiosk_codes import verify_kiosk_code
from kiosk.codes.trust import TrustMaterial
from kiosk.codes.verdict import CodeFormat, Verdict, VerdictKind, verdict_of

log = logging.getLogger(__name__)

DEFAULT_SKEW = dt.timedelta(seconds=300)


class OnlineUnavailable(Exception):  # noqa: N818 - reads as a state, like TimeoutError
    """The hub (or the platform behind it) cannot be reached now; the verdict becomes unverifiable_offline."""


@runtime_checkable
class OnlineVerifier(Protocol):
    """Verifies online-only codes through the hub (implemented in sync/). Raise OnlineUnavailable (or
    ConnectionError/TimeoutError/OSError) when offline; return a Verdict with format=online otherwise."""

    def verify_online(self, payload: str) -> Verdict: ...


def _online(payload: str, online: OnlineVerifier | None) -> Verdict:
    fmt = CodeFormat.ONLINE
    if online is None:
        return verdict_of(fmt, VerdictKind.UNVERIFIABLE_OFFLINE, stage="online", detail="no hub connection")
    try:
        verdict = online.verify_online(payload)
    except (OnlineUnavailable, ConnectionError, TimeoutError, OSError) as exc:
        return verdict_of(fmt, VerdictKind.UNVERIFIABLE_OFFLINE, stage="online", detail=type(exc).__name__)
    if not isinstance(verdict, Verdict):
        return verdict_of(fmt, VerdictKind.UNVERIFIABLE_OFFLINE, stage="online", detail="bad answer from the hub")
    return verdict


def verify_payload(payload: str, *, trust: TrustMaterial, now: dt.datetime, online: OnlineVerifier | None = None,
                   skew: dt.timedelta = DEFAULT_SKEW) -> Verdict:
    """Classify and verify one payload at time `now` (aware). Never raises for any payload."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")  # a programming error, not a payload problem
    try:
        fmt = classify(payload)
        text = payload.strip() if isinstance(payload, str) else ""
        if fmt is CodeFormat.DCC:
            return verify_dcc(text, trust.dsc, now, skew)
        if fmt is CodeFormat.KIOSK:
            return verify_kiosk_code(text, trust.hub, now, skew)
        if fmt is CodeFormat.ONLINE:
            return _online(text, online)
        return verdict_of(CodeFormat.UNKNOWN, VerdictKind.UNSUPPORTED, stage="classify")
    except Exception as exc:  # never crash on input: log the failure kind, never the payload
        log.exception("code verification failed unexpectedly", extra={"error": type(exc).__name__})
        return verdict_of(CodeFormat.UNKNOWN, VerdictKind.MALFORMED, stage="internal", detail=type(exc).__name__)
