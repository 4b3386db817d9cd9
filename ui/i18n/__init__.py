"""The window's language: which of the core's two catalog languages (`kiosk.locale`) every screen shows, and
`ui_text(key)` for a catalog phrase in it. One language per application, switched at run time on any screen.
"""

from __future__ import annotations

from typing import ClassVar

from kiosk.locale import phrase

LANGUAGES = ("zh_CN", "en")


def ui_text(key: str, /, **fields: object) -> str:
    """The catalog phrase `key` in the language the window shows now."""
    return phrase(key, **fields).get(Languages.current)


class Languages:
    """The application's language (`Languages.of(app)`): `set()` switches it; the window then re-reads every text.
    Kept per process like the QApplication itself, so a closed window can never leave its language behind."""

    current: ClassVar[str] = "zh_CN"
    _instances: ClassVar[dict[int, Languages]] = {}

    @classmethod
    def of(cls, app: object) -> Languages:
        inst = cls._instances.get(id(app))
        if inst is None or inst._app is not app:
            inst = cls._instances[id(app)] = cls(app)
        return inst

    def __init__(self, app: object) -> None:
        self._app = app

    def set(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(lang)
        Languages.current = lang
