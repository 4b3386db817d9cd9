"""Which of an item's materials the person already has in hand (the card just read, or a catalog waiver), and
so which items' materials pages ask nothing of them (those pages are skipped; the review lists what is in hand)."""

from __future__ import annotations

from kiosk.catalog.model import Catalog, Item, Material
from kiosk.identity.record import CardType, IdentityRecord

# Materials an identity card read at the kiosk is itself (the card lay on the reader; nothing more to hand in).
_CARD_MATERIALS = frozenset({"id_card"})


def in_hand(material: Material, person: IdentityRecord | None) -> str | None:
    """How `material` is already satisfied for `person`: "card" (their card was read here), the kind of a
    catalog waiver ("e_certificate", "shared_data"), or None when it must be handed in on paper."""
    read = person is not None and person.card_type is not CardType.BADGE and bool(person.name or person.name_en)
    if material.code in _CARD_MATERIALS and read:  # a typed ID number has no name: no card was read
        return "card"
    if material.waived_by:
        return material.waived_by[0].kind
    return None


def nothing_to_do(item: Item, person: IdentityRecord | None) -> bool:
    """Whether every material of `item` is already in hand (its materials page would ask nothing)."""
    return all(in_hand(m, person) is not None for m in item.materials)


def pages(catalog: Catalog, item_codes: list[str], person: IdentityRecord | None) -> list[str]:
    """The chosen items whose materials page is shown: those with something to hand in, in the chosen order."""
    return [c for c in item_codes if not nothing_to_do(catalog.item(c), person)]


def all_in_hand(catalog: Catalog, item_codes: list[str], person: IdentityRecord | None) -> list[Material]:
    """Every material of the chosen items already in hand, each once, in first-seen order (for the review)."""
    seen: dict[str, Material] = {}
    for code in item_codes:
        for m in catalog.item(code).materials:
            if in_hand(m, person) is not None:
                seen.setdefault(m.code, m)
    return list(seen.values())
