"""The fixed spoken prompt of each journey state, in the window's language: the journey's own prompts
(`kiosk.journey.texts.PROMPTS`) plus the idle warning; `build_assets` pre-renders them with espeak-ng.
"""

from __future__ import annotations

from kiosk.journey.texts import PROMPTS
from kiosk.locale import phrase
from kiosk.messages import Message
from ui.i18n import Languages


def spoken_prompts() -> dict[str, Message]:
    """Every fixed prompt in both languages (the voice clips are rendered from these)."""
    return {**PROMPTS, "idle": phrase("ui.idle.prompt")}


def prompts() -> dict[str, str]:
    return {k: m.get(Languages.current) for k, m in spoken_prompts().items()}
