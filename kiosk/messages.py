"""Bilingual (zh_CN / en) messages and the error type that carries a machine kind plus a message for people.

Every error a citizen or technician can see is a `KioskError`: `kind` is for code, `message` is for people.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Message:
    """A sentence in both languages the kiosk speaks."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang.startswith("en") else self.zh

    def as_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


# No words (a view with nothing to say there); an empty text is no sentence, so it is not in the catalog.
BLANK = Message("", "")


class KioskError(Exception):
    """An error with a stable `kind` (snake_case) and a plain zh/en message; never shows a traceback."""

    def __init__(self, kind: str, message: Message, *, detail: str | None = None) -> None:
        super().__init__(f"{kind}: {message.en}" + (f" ({detail})" if detail else ""))
        self.kind = kind
        self.message = message
        # `detail` is for logs and technicians; it must never carry personal data.
        self.detail = detail

    def as_dict(self) -> dict[str, object]:
        return {"error": self.kind, "message": self.message.as_dict()}
