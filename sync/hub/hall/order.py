"""The queue order rule, as a pure function: which waiting ticket a counter calls next.

Priority (green channel) first, but never starving normal tickets: after `priority_ratio` priority calls in a
row at a counter, a waiting normal ticket is called; any ticket waiting longer than `max_wait` goes first (the
oldest of those). `difficult` tickets are called only by the difficult-case window, which calls them first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

LANES = ("normal", "priority", "difficult")


@dataclass(frozen=True)
class Waiting:
    ticket_id: str
    lane: str  # normal | priority | difficult
    waiting_since: float  # seconds (any epoch; only differences matter)


@dataclass(frozen=True)
class Choice:
    ticket: Waiting
    streak: int  # the hall's priority calls in a row after this call


def choose_next(waiting: Iterable[Waiting], *, now: float, streak: int, difficult_window: bool,
                priority_ratio: int = 2, max_wait: float = 20 * 60.0) -> Choice | None:
    """The ticket to call now, or None. `streak`: the hall's priority calls in a row so far."""
    eligible: Sequence[Waiting] = sorted(
        (t for t in waiting if t.lane != "difficult" or difficult_window),
        key=lambda t: (t.waiting_since, t.ticket_id))
    if not eligible:
        return None
    if difficult_window:
        difficult = [t for t in eligible if t.lane == "difficult"]
        if difficult:
            return Choice(difficult[0], streak)  # the case window's own work leaves the lane balance alone
    general = [t for t in eligible if t.lane != "difficult"]
    overdue = [t for t in general if now - t.waiting_since > max_wait]
    if overdue:
        pick = overdue[0]
    else:
        priority = [t for t in general if t.lane == "priority"]
        normal = [t for t in general if t.lane == "normal"]
        pick = priority[0] if priority and (streak < max(priority_ratio, 0) or not normal) else normal[0]
    return Choice(pick, streak + 1 if pick.lane == "priority" else 0)
