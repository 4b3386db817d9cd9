"""What every hall module shares: a refused action (HallError, with zh_CN / en text) and the signed-in Person."""

from __future__ import annotations

from dataclasses import dataclass


class HallError(Exception):
    """A refused hall action: HTTP status and plain zh_CN / en text."""

    def __init__(self, status: int, zh: str, en: str, retry_after: int | None = None) -> None:
        super().__init__(en)
        self.status, self.zh, self.en = status, zh, en
        self.retry_after = retry_after  # seconds, sent as Retry-After (429 and 423 say when to try again)


@dataclass(frozen=True)
class Person:
    member_id: str
    role: str  # staff | volunteer | display
    display_name: str
