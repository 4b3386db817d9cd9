"""The materials page's lines in plain words: what satisfied each material, from what really happened at the
kiosk (a card laid on the reader, or data shared electronically), or where the paper goes."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.catalog.model import Item, Material, Text
from kiosk.identity.record import CardType, IdentityRecord
from kiosk.locale import phrase
from kiosk.messages import Message

# The catalog's code for the resident ID card among an item's materials.
ID_CARD = "id_card"
NO_PAPER = phrase("journey.materials_words.no_paper")


@dataclass(frozen=True, slots=True)
class MaterialLine:
    """One line of the page: done (nothing to hand in) or to do (hand it in at the department's window)."""

    done: bool
    text: Message


def card_was_read(person: IdentityRecord | None) -> bool:
    """Was this person's resident ID card laid on the reader? A card gives a name; a number typed on the keypad
    (proxy or batch without the card) gives only the number and the birth date it holds."""
    return (person is not None and person.card_type is CardType.RESIDENT
            and bool(person.name or person.name_en))


def _lower_first(s: str) -> str:
    return s[:1].lower() + s[1:]


def material_line(material: Material, window: Text, person: IdentityRecord | None) -> MaterialLine:
    """"居民身份证：已在本机读取，不用交纸质材料", "户口簿：已从户籍信息共享查到，…", or "…：请交到…".

    One pair of words per line and no brackets around the source: an older reader follows a plain sentence, and
    a phone app is named only when the card itself was not read here."""
    name = material.name
    if material.code == ID_CARD and card_was_read(person):
        how = phrase("journey.materials_words.how.read_here_kiosk")
    elif material.waived_by:
        w = material.waived_by[0]
        src = w.source
        if w.kind == "shared_data":
            how = phrase("journey.materials_words.how.found", src=Message(src.zh, _lower_first(src.en)))
        else:
            how = phrase("journey.materials_words.how.used", src=Message(src.zh, _lower_first(src.en)))
    else:
        return MaterialLine(False, phrase("journey.materials_words.hand", name=name, window=window))
    return MaterialLine(True, phrase("journey.materials_words.text", name=name, how=how, no_paper=NO_PAPER))


def material_lines(item: Item, window: Text, person: IdentityRecord | None) -> list[MaterialLine]:
    """Every material of `item`, in catalog order."""
    return [material_line(m, window, person) for m in item.materials]
