"""The sync worker's published status, for the UI status strip and `kiosk doctor`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SyncStatus:
    online: bool
    pending: int  # pending + sending
    rejected: int  # dead letters waiting for staff
    oldest_pending_age_s: float | None
    last_success_at: dt.datetime | None
    last_error: str | None = None  # technical, never personal data


StatusCallback = Callable[[SyncStatus], None]
