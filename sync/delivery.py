"""One delivery round: post a claimed batch and sort the hub's answer into delivered, retry later, rejected.

2xx or replay → delivered; 408, 409, 429, 5xx, timeouts, connection errors and unreadable answers → retry
later (full jitter, never sooner than `Retry-After`); other 4xx → rejected with the reason, for staff. A batch
refused as too large (413) is posted again one record at a time; a record too large on its own is a dead letter
with a plain zh/en reason.
A 401 (token revoked or unknown) is a kiosk-wide problem, not the records' fault: they wait, and the status
says why, instead of every record becoming a dead letter.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import requests

from kiosk.config import SyncConfig
from kiosk.store.db import Store
from sync import outbox
from sync.backoff import next_delay, retry_after_seconds
from sync.client import HubClient
from sync.wire import body_digest

log = logging.getLogger(__name__)
RETRYABLE_STATUS = frozenset({408, 409, 429})
TOO_LARGE = "记录过大，中心拒收，请工作人员处理 / Record too large: the hub refused it; staff must handle it"


@dataclass
class BatchOutcome:
    claimed: int = 0
    delivered: int = 0
    retried: int = 0
    rejected: int = 0
    reached_hub: bool = False  # any HTTP answer at all
    error: str | None = None  # technical summary of the last failure
    auth_failed: bool = False
    receipts: dict[str, dict[str, Any]] = field(default_factory=dict)


def lease_seconds(cfg: SyncConfig) -> float:
    # Long enough that a live drainer's request has surely ended before anyone else may resend the entry.
    return cfg.request_timeout_seconds * 3 + 5


def records_of(claimed: list[outbox.Claimed]) -> list[dict[str, Any]]:
    """The batch as posted: key (= Idempotency-Key), kind, record id, body and the body's digest."""
    return [{"key": c.id, "kind": c.kind, "record_id": c.record_id, "body": c.body, "sha256": body_digest(c.body)}
            for c in claimed]


def post(client: HubClient, kiosk_id: str, records: list[dict[str, Any]]) -> requests.Response | Exception:
    """The network part alone (may run on another thread): the answer, or the exception that stands for it."""
    try:
        return client.post_batch(kiosk_id, records)
    except requests.RequestException as exc:
        return exc


def deliver_batch(store: Store, client: HubClient, kiosk_id: str, cfg: SyncConfig, *,
                  settle: dict[str, dict[str, Any]] | None = None, defer_delivered: bool = False) -> BatchOutcome:
    """Claim (settling the previous batch's receipts in the same commit), post, sort the answer.

    With `defer_delivered`, this batch's receipts are returned in `receipts` instead of being written; the
    caller passes them as `settle` to the next call, or to `outbox.mark_delivered` when it stops.
    """
    claimed = outbox.claim_due(store, cfg.batch_size, lease_seconds=lease_seconds(cfg), settle=settle)
    if not claimed:
        return BatchOutcome()
    answer = post(client, kiosk_id, records_of(claimed))
    return settle_answer(store, client, kiosk_id, cfg, claimed, answer, defer_delivered=defer_delivered)


def settle_answer(store: Store, client: HubClient, kiosk_id: str, cfg: SyncConfig, claimed: list[outbox.Claimed],
                  answer: requests.Response | Exception, *, defer_delivered: bool = False) -> BatchOutcome:
    """`sort_answer`, except that a batch of several records refused as too large (413) is split: each record
    is posted alone, so only the record that is too large by itself becomes a dead letter."""
    if not (isinstance(answer, requests.Response) and answer.status_code == 413 and len(claimed) > 1):
        return sort_answer(store, cfg, claimed, answer, defer_delivered=defer_delivered)
    total = BatchOutcome(claimed=len(claimed), reached_hub=True)
    for one in claimed:
        out = sort_answer(store, cfg, [one], post(client, kiosk_id, records_of([one])),
                          defer_delivered=defer_delivered)
        total.delivered += out.delivered
        total.retried += out.retried
        total.rejected += out.rejected
        total.error = out.error or total.error
        total.auth_failed |= out.auth_failed
        total.receipts.update(out.receipts)
    return total


def sort_answer(store: Store, cfg: SyncConfig, claimed: list[outbox.Claimed], answer: requests.Response | Exception,
                *, defer_delivered: bool = False) -> BatchOutcome:
    """Record what the hub's answer (or the failure to get one) means for each claimed entry."""
    out = BatchOutcome(claimed=len(claimed))
    attempts = {c.id: c.attempts for c in claimed}

    def retry_all(ids: list[str], error: str, retry_after: float | None = None) -> None:
        delays = {i: next_delay(attempts[i], cfg.backoff_base_seconds, cfg.backoff_cap_seconds, retry_after)
                  for i in ids}
        outbox.schedule_retry(store, delays, error)
        out.retried += len(ids)
        out.error = error

    if isinstance(answer, Exception):
        retry_all(list(attempts), f"network: {type(answer).__name__}")
        return out
    resp = answer
    out.reached_hub = True
    status = resp.status_code
    retry_after = retry_after_seconds(resp.headers.get("Retry-After"))
    if 200 <= status < 300:
        try:
            results = resp.json()["results"]
            by_key = {r["key"]: r for r in results if isinstance(r, dict)}
        except (ValueError, KeyError, TypeError, requests.RequestException) as exc:
            retry_all(list(attempts), f"unreadable hub answer: {type(exc).__name__}")
            return out
        delivered: dict[str, dict[str, Any]] = {}
        rejected: dict[str, str] = {}
        later: list[str] = []
        for key in attempts:
            r = by_key.get(key) or {}  # missing from the answer: tried again later
            st = r.get("status")
            if st in ("created", "replayed") and isinstance(r.get("receipt"), dict):
                delivered[key] = r["receipt"]
            elif st in ("conflict", "invalid"):
                rejected[key] = f"hub {r.get('http_status')}: {r.get('error')}"
            else:  # in_progress, or missing from the answer
                later.append(key)
        if delivered and not defer_delivered:
            outbox.mark_delivered(store, delivered)
        if rejected:
            outbox.mark_rejected(store, rejected)
        if later:
            retry_all(later, "hub: in progress elsewhere", retry_after)
        out.delivered, out.rejected, out.receipts = len(delivered), len(rejected), delivered
        return out
    reason = _reason(resp)
    if status == 413:
        limit = _max_bytes(resp)
        outbox.mark_rejected(store, {k: TOO_LARGE + (f" (hub limit {limit} bytes)" if limit else " (hub HTTP 413)")
                                     for k in attempts})
        out.rejected = len(attempts)
        out.error = "hub HTTP 413"
    elif status in RETRYABLE_STATUS or status >= 500:
        retry_all(list(attempts), f"hub HTTP {status}", retry_after)
    elif status == 401:
        out.auth_failed = True
        retry_all(list(attempts), f"hub HTTP 401: {reason}", cfg.backoff_cap_seconds)
    else:
        outbox.mark_rejected(store, {k: f"hub HTTP {status}: {reason}" for k in attempts})
        out.rejected = len(attempts)
        out.error = f"hub HTTP {status}"
    return out


def _max_bytes(resp: requests.Response) -> int | None:
    try:
        value = resp.json().get("max_bytes")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, int) else None


def _reason(resp: requests.Response) -> str:
    try:
        detail = resp.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    return str(detail)[:200] if detail else resp.reason or ""
