"""The materials page's lines in plain words: what satisfied each material, from what really happened at the
kiosk (a card laid on the reader, or data shared electronically), or where the paper goes."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.catalog.model import Item, Material, Text
from kiosk.identity.record import CardType, IdentityRecord
from kiosk.messages import Message

# The catalog's code for the resident ID card among an item's materials.
ID_CARD = "id_card"
NO_PAPER = Message("不用交纸质材料", "no paper needed")


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
        how = Message("已在本机读取", "read here at the kiosk")
    elif material.waived_by:
        w = material.waived_by[0]
        src = w.source
        if w.kind == "shared_data":
            how = Message(f"已从{src.zh}查到", f"found in {_lower_first(src.en)}")
        else:
            how = Message(f"已调取{src.zh}", f"{_lower_first(src.en)} used")
    else:
        return MaterialLine(False, Message(f"{name.zh}：请交到{window.zh}", f"{name.en}: please hand it in at "
                                                                          f"{window.en}"))
    return MaterialLine(True, Message(f"{name.zh}：{how.zh}，{NO_PAPER.zh}", f"{name.en}: {how.en}, {NO_PAPER.en}"))


def material_lines(item: Item, window: Text, person: IdentityRecord | None) -> list[MaterialLine]:
    """Every material of `item`, in catalog order."""
    return [material_line(m, window, person) for m in item.materials]
