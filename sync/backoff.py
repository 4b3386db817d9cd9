"""Retry timing: full-jitter exponential backoff with a cap (tenacity), and `Retry-After` parsing (urllib3).

Only the computation comes from the libraries; the schedule itself is persisted in the outbox table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from tenacity import RetryCallState, wait_random_exponential
from urllib3.exceptions import InvalidHeader
from urllib3.util.retry import Retry


@dataclass(frozen=True)
class _Attempt:
    # tenacity's wait strategies read only `attempt_number` from their retry state.
    attempt_number: int


def backoff_seconds(attempts: int, base: float, cap: float) -> float:
    """Uniform in [0, min(cap, base · 2^(attempts-1))] (AWS "full jitter")."""
    state = cast("RetryCallState", _Attempt(max(1, attempts)))  # all the strategy reads of it
    return float(wait_random_exponential(multiplier=base, max=cap)(state))


_RETRY = Retry()


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds from a `Retry-After` header (delta-seconds or HTTP date); None if absent or invalid."""
    if not value:
        return None
    try:
        return max(0.0, float(_RETRY.parse_retry_after(value)))
    except (InvalidHeader, ValueError, TypeError):
        return None


def next_delay(attempts: int, base: float, cap: float, retry_after: float | None) -> float:
    """The backoff, but never sooner than the hub asked; a huge Retry-After is still capped."""
    delay = backoff_seconds(attempts, base, cap)
    if retry_after is not None:
        delay = max(delay, min(retry_after, cap))
    return delay
