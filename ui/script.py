"""The two text helpers the front end uses: whether a text is in Chinese script, and the kiosk's bilingual name
("演示自助终端 Demo kiosk") in one language."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def name_in(display_name: str, lang: str) -> str:
    """"演示自助终端 Demo kiosk" → the part in `lang` (a bilingual kiosk name is split at the script change)."""
    words = display_name.split()
    zh = " ".join(w for w in words if has_cjk(w))
    en = " ".join(w for w in words if not has_cjk(w))
    if lang.startswith("en"):
        return en or display_name
    return zh or display_name
