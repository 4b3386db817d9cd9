"""Injectable clock: the core asks this for "now" so tests and offline verification can set the time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    """Aware UTC now."""
    return dt.datetime.now(dt.UTC)


def local_today(clock: Clock = system_clock, tz: dt.tzinfo | None = None) -> dt.date:
    """The calendar date in the hall (China Standard Time unless told otherwise)."""
    return clock().astimezone(tz or CHINA_TZ).date()


CHINA_TZ = dt.timezone(dt.timedelta(hours=8), name="CST")
