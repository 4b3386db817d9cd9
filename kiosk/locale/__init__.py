"""The kiosk's one text catalog: every word a citizen sees or hears (screens, paper, voice), one gettext `.po`
file per language (`<lang>/LC_MESSAGES/kiosk.po`), read at run time with polib; `phrase(key)` gives a `Message`.

Why gettext `.po` and not Qt Linguist `.ts`: the words belong to the Qt-free core (`kiosk/` may not import Qt,
and the journey's view model, the paper and the errors carry them), so a Qt translator could only ever serve
ui/, leaving two systems in one window. A `.po` file is what translators' tools edit (Poedit, Weblate,
Lokalize), plain text that diffs well in review, and polib reads it as shipped, so there is no compile step
a fresh clone or a bundle could miss. The msgids are stable keys (`journey.title.home`), not English source
text ("monolingual" PO, as Weblate calls it): the English is a translation like the Chinese, so fixing an
English word never orphans the Chinese one, and a test checks that every key has both languages with the same
`{placeholders}`.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import polib

from kiosk.messages import Message

HERE = Path(__file__).resolve().parent
DOMAIN = "kiosk"
# The languages a Message carries, in its field order: the catalog has exactly one file for each.
LANGUAGES = {"zh": "zh_CN", "en": "en"}


def po_path(lang: str) -> Path:
    return HERE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _texts(lang: str) -> dict[str, str]:
    po = polib.pofile(str(po_path(lang)))
    return {e.msgid: e.msgstr for e in po if not e.obsolete}


def keys() -> list[str]:
    """Every key of the catalog (the Chinese file's order)."""
    return list(_texts(LANGUAGES["zh"]))


def phrase(key: str, /, **fields: object) -> Message:
    """The sentence `key` in both languages. With `fields`, its `{placeholders}` are filled (a `Message` or any
    zh/en pair gives each language its own word); without, the text comes as written (a template for later)."""
    zh, en = _texts(LANGUAGES["zh"]).get(key), _texts(LANGUAGES["en"]).get(key)
    if zh is None or en is None:
        raise KeyError(f"text {key!r} is missing from the catalog")
    if fields:
        zh = zh.format(**_pick(fields, "zh"))
        en = en.format(**_pick(fields, "en"))
    return Message(zh, en)


def placeholders(text: str) -> list[str]:
    """The `{names}` a text expects (sorted, each once), for the catalog's consistency check."""
    return sorted({f for _, f, _, _ in string.Formatter().parse(text) if f is not None})


def _pick(fields: Mapping[str, object], lang: str) -> dict[str, object]:
    # Anything bilingual (a Message, a catalog item's `Text`) gives each language its own words.
    return {k: (getattr(v, lang) if hasattr(v, "zh") and hasattr(v, "en") else v) for k, v in fields.items()}
