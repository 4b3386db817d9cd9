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
    # The worker's tries to reach the hub so far: statuses with the same count are one check (0: not numbered,
    # each status its own check, as for a status made by hand).
    contacts: int = 0


StatusCallback = Callable[[SyncStatus], None]


class SteadyNetwork:
    """The network state people see (status strip and help screen alike): it flips only when two checks in a
    row agree on the new state, and at most once every `min_interval_s`, so a banner never flaps and nothing
    on the screen moves because of one lost packet."""

    def __init__(self, min_interval_s: float = 10.0, agree: int = 2) -> None:
        self.min_interval_s = min_interval_s
        self.agree = agree
        self.shown: bool | None = None  # None until the first check
        self._streak = 0
        self._flipped_at = float("-inf")
        self._check: int | None = None

    def observe(self, online: bool, now: float, check: int | None = None) -> bool:
        """Feed one check (`online` as the worker saw it); returns the state to show. `check` numbers the
        worker's contact: a second status about the same contact (a drain publishes more than once) is not a
        second check."""
        if check is not None:
            if check == self._check:
                return self.shown if self.shown is not None else online
            self._check = check
        if self.shown is None:  # the first check says how things are: nothing shown yet to flap
            self.shown = online
            return online
        if online == self.shown:
            self._streak = 0
            return self.shown
        self._streak += 1
        if self._streak >= self.agree and now - self._flipped_at >= self.min_interval_s:
            self.shown, self._flipped_at, self._streak = online, now, 0
        return self.shown

    def steady(self, status: SyncStatus, now: float) -> SyncStatus:
        """`status` with its `online` replaced by the state to show."""
        from dataclasses import replace

        shown = self.observe(status.online, now, status.contacts or None)
        return status if shown == status.online else replace(status, online=shown)
