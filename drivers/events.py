"""Events that device drivers deliver to the application through a plain callback (no Qt here).

Card readers emit `ReaderEvent`s, code scanners emit `ScanEvent`s; `ui/adapters` turns them into Qt signals.
Callbacks run on the driver's worker thread: they must be quick and must not touch widgets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from kiosk.identity.record import IdentityRecord
from kiosk.messages import KioskError


class ReaderEventKind(StrEnum):
    READER_CONNECTED = "reader_connected"
    READER_DISCONNECTED = "reader_disconnected"
    CARD_PRESENT = "card_present"
    CARD_REMOVED = "card_removed"
    IDENTITY = "identity"
    ERROR = "error"


@dataclass(frozen=True)
class ReaderEvent:
    kind: ReaderEventKind
    reader: str = ""
    record: IdentityRecord | None = None  # for IDENTITY
    error: KioskError | None = None  # for ERROR
    at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


@dataclass(frozen=True)
class ScanEvent:
    """One presented code (the same payload within a few seconds is one event)."""

    payload: str
    source: str  # camera | serial | wedge | simulated
    at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


ReaderCallback = Callable[[ReaderEvent], None]
ScanCallback = Callable[[ScanEvent], None]
