"""Identity records read from cards and the ID-number rules (GB 11643) they are checked against."""

from kiosk.identity.idnumber import (
    IdNumberInfo,
    age_on,
    is_elderly,
    mask_id_number,
    parse_id_number,
    validate_id_number,
)
from kiosk.identity.masking import mask_name, mask_phone
from kiosk.identity.record import CardType, IdentityRecord, Sex

__all__ = [
    "CardType",
    "IdNumberInfo",
    "IdentityRecord",
    "Sex",
    "age_on",
    "is_elderly",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "parse_id_number",
    "validate_id_number",
]
