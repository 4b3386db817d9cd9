"""`IdentityRecord`: one person's identity as read from a card, with masked display and an explicit wipe.

Cards: resident ID, HK/Macao/Taiwan residence permit, foreign permanent resident card (2017 and 2023
layouts), social security card, and staff/volunteer badges (UID only). The photo lives in memory only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

from kiosk.identity.idnumber import age_on, is_elderly, mask_id_number, validate_id_number
from kiosk.identity.masking import mask_name


class CardType(StrEnum):
    RESIDENT = "resident"
    HK_MACAO_TAIWAN_PERMIT = "hk_macao_taiwan_permit"
    FOREIGN_PERMANENT_RESIDENT = "foreign_permanent_resident"
    SOCIAL_SECURITY = "social_security"
    BADGE = "badge"


class Sex(StrEnum):
    """GB/T 2261.1 codes 0, 1, 2, 9."""

    UNKNOWN = "unknown"  # 0
    MALE = "male"  # 1
    FEMALE = "female"  # 2
    UNSPECIFIED = "unspecified"  # 9

    @classmethod
    def from_code(cls, code: str) -> Sex:
        return {"0": cls.UNKNOWN, "1": cls.MALE, "2": cls.FEMALE, "9": cls.UNSPECIFIED}.get(code.strip(), cls.UNKNOWN)


LONG_TERM = "long_term"

_PERSONAL = ("name", "name_en", "birth_date", "address", "id_number", "pass_number", "card_number", "uid")


@dataclass(slots=True, repr=False)
class IdentityRecord:
    """A person's identity from a card. `repr` shows masked values only, so a stray log line leaks nothing."""

    card_type: CardType
    name: str | None = None
    name_en: str | None = None
    sex: Sex | None = None
    ethnicity: str | None = None  # Chinese name of the ethnic group, e.g. 汉
    nationality: str | None = None  # ISO 3166-1 alpha-3
    birth_date: dt.date | None = None
    address: str | None = None
    id_number: str | None = None
    issuer: str | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | str | None = None  # a date or LONG_TERM
    pass_number: str | None = None
    issue_count: int | None = None
    card_number: str | None = None
    uid: str | None = None  # hex, badges
    photo: bytearray | None = field(default=None, compare=False)  # WLT bytes; memory only

    @property
    def id_number_valid(self) -> bool | None:
        if self.id_number is None:
            return None
        return validate_id_number(self.id_number)

    def age(self, day: dt.date) -> int | None:
        return age_on(self.birth_date, day) if self.birth_date else None

    def is_elderly(self, day: dt.date, threshold: int = 60) -> bool:
        return self.birth_date is not None and is_elderly(self.birth_date, day, threshold)

    def is_expired(self, day: dt.date) -> bool:
        return isinstance(self.valid_until, dt.date) and self.valid_until < day

    @property
    def display_name(self) -> str:
        return mask_name(self.name or self.name_en or "")

    @property
    def display_id_number(self) -> str:
        return mask_id_number(self.id_number or self.card_number or "")

    def to_json_dict(self) -> dict[str, Any]:
        """The `kiosk read-card --json` shape: absent fields omitted, dates as YYYY-MM-DD."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name == "photo":
                continue
            value = getattr(self, f.name)
            if value is None:
                continue
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, StrEnum):
                value = value.value
            out[f.name] = value
            if f.name == "id_number":
                out["id_number_valid"] = validate_id_number(value)
        return out

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> IdentityRecord:
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data or f.name == "photo":
                continue
            value = data[f.name]
            is_date = f.name in ("birth_date", "valid_from") or (f.name == "valid_until" and value != LONG_TERM)
            if is_date and value:
                value = dt.date.fromisoformat(value)
            elif f.name == "card_type":
                value = CardType(value)
            elif f.name == "sex" and value:
                value = Sex(value)
            kwargs[f.name] = value
        return cls(**kwargs)

    def wipe(self) -> None:
        """Drop personal data. The photo buffer is zeroed in place; Python strings cannot be overwritten,
        so their references are dropped for the collector (the best a pure-Python process can do)."""
        if self.photo is not None:
            self.photo[:] = bytes(len(self.photo))
            self.photo = None
        others = ("ethnicity", "nationality", "issuer", "valid_from", "valid_until", "sex", "issue_count")
        for name in (*_PERSONAL, *others):
            setattr(self, name, None)

    def __repr__(self) -> str:
        return (f"IdentityRecord(card_type={self.card_type.value!r}, name={self.display_name!r}, "
                f"id_number={self.display_id_number!r})")

    __str__ = __repr__
