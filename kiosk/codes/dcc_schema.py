"""EU DCC payload (the hcert JSON) checked against the eu-dcc-schema release its `ver` names (1.0.x–1.3.x):
required fields, types, lengths, patterns, date formats and the certificate groups, with pydantic models.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

# Schema patterns are ECMA-262 regexes matched anywhere in the string (JSON Schema does not anchor them); `\d`
# is ASCII there, hence re.ASCII, and `$` in `^…$` patterns is written as \Z so a trailing newline cannot pass.
_VER = re.compile(r"^\d+.\d+.\d+\Z", re.ASCII)
_DOTTED = re.compile(r"(\d+)\.(\d+)\.(\d+)", re.ASCII)
_TRANSLITERATED = re.compile(r"^[A-Z<]*\Z", re.ASCII)  # ICAO 9303 machine-readable-zone characters
_COUNTRY = re.compile(r"[A-Z]{1,10}", re.ASCII)  # unanchored in every release: one capital letter anywhere
_DOB_1_0 = re.compile(r"(19|20)\d{2}-\d{2}-\d{2}", re.ASCII)  # unanchored, and format: date
_DOB_1_1 = re.compile(r"^(19|20)\d\d(-\d\d){0,2}\Z", re.ASCII)  # year, year-month or full date
_DOB_1_3 = re.compile(r"^((19|20)\d\d(-\d\d){0,2}){0,1}\Z", re.ASCII)  # … or empty
_FULL_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_DATE_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", re.ASCII)


@dataclass(frozen=True, kw_only=True)
class SchemaRules:
    """What differs between eu-dcc-schema releases (facts from the published schemas and their change notes)."""

    release: str
    dob: re.Pattern[str]
    dob_full_date: bool = False  # 1.0.x: dob also has format "date"
    max_length: int = 50  # fn, fnt, gn, gnt, is, ci, tc: 50 until 1.2.x, 80 from 1.3.0
    test_name_max: int | None = None  # t[].nm: unbounded until 1.2.x, 80 from 1.3.0
    dose_max: int | None = 9  # dn, sd: 1..9 until 1.2.x, any positive integer from 1.3.0
    test_dr: bool = False  # t[].dr (date-time of the result) is defined until 1.1.x, dropped in 1.2.0
    one_group: bool = False  # 1.3.0: exactly one of v/t/r (oneOf), holding exactly one entry (maxItems 1)
    fnt_or_gnt: bool = False  # 1.3.2: fnt no longer required, but one of fnt and gnt is


_RULES_1_3 = {"dob": _DOB_1_3, "max_length": 80, "test_name_max": 80, "dose_max": None, "one_group": True}
RULES: dict[tuple[int, int], SchemaRules] = {
    (1, 0): SchemaRules(release="1.0.x", dob=_DOB_1_0, dob_full_date=True, test_dr=True),
    (1, 1): SchemaRules(release="1.1.x", dob=_DOB_1_1, test_dr=True),
    (1, 2): SchemaRules(release="1.2.x", dob=_DOB_1_1),
    (1, 3): SchemaRules(release="1.3.0-1.3.1", **_RULES_1_3),  # type: ignore[arg-type]
}
RULES_1_3_2 = SchemaRules(release="1.3.2+", fnt_or_gnt=True, **_RULES_1_3)  # type: ignore[arg-type]


class SchemaError(ValueError):
    """The payload does not conform. `problems` are `path: what` lines without any values (no personal data)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def rules_for(ver: Any) -> SchemaRules:
    """The release rules for a `ver` value. Later 1.x releases than 1.3 are checked as the newest one known (the
    releases so far only relaxed or added); anything else is not a DCC schema version."""
    if not isinstance(ver, str) or not _VER.search(ver):
        raise SchemaError(["ver: not a schema version (N.N.N)"])
    m = _DOTTED.fullmatch(ver)
    if m is None:  # the schema's pattern lets any character stand between the numbers; no release does that
        raise SchemaError(["ver: not a known schema release"])
    major, minor, patch = (int(g) for g in m.groups())
    if major != 1:
        raise SchemaError([f"ver: schema major version {major} is not known"])
    if minor > 3 or (minor == 3 and patch >= 2):
        return RULES_1_3_2
    return RULES[(1, minor)]


def _valid_date(y: str, m: str, d: str) -> bool:
    try:
        dt.date(int(y), int(m), int(d))
    except ValueError:
        return False
    return True


def is_full_date(text: str) -> bool:
    """JSON Schema format "date": RFC 3339 full-date (YYYY-MM-DD, a real calendar day)."""
    m = _FULL_DATE.fullmatch(text)
    return bool(m) and _valid_date(*m.groups())


def is_date_time(text: Any) -> bool:
    """JSON Schema format "date-time": RFC 3339 date-time with a time zone offset."""
    m = _DATE_TIME.fullmatch(text) if isinstance(text, str) else None
    if not m or not _valid_date(*m.groups()[:3]):
        return False
    hour, minute, second = (int(g) for g in m.groups()[3:6])
    offset = m.group(8)
    offset_ok = offset in ("Z", "z") or (int(offset[1:3]) <= 23 and int(offset[4:6]) <= 59)
    return hour <= 23 and minute <= 59 and second <= 60 and offset_ok  # 60: RFC 3339 allows a leap second


def json_view(value: Any) -> Any:
    """The JSON value a decoded CBOR payload stands for. Timestamps may be CBOR-tagged (tag 0/1 → datetime), which
    validators must read; a tagged date becomes its ISO text. Raises SchemaError for values JSON cannot hold."""
    if isinstance(value, Mapping):
        if not all(isinstance(k, str) for k in value):
            raise SchemaError(["map key is not text"])
        return {k: json_view(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_view(v) for v in value]
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise SchemaError(["timestamp without time zone"])
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, str | bool | int | float):
        return value
    raise SchemaError([f"{type(value).__name__} value is not JSON"])


def _rules(info: ValidationInfo) -> SchemaRules:
    return info.context["rules"]  # type: ignore[index]  # always given by validate_hcert


def _bounded(value: str, info: ValidationInfo) -> str:
    limit = _rules(info).max_length
    if len(value) > limit:  # JSON Schema counts code points, as len() does
        raise ValueError(f"longer than {limit} characters")
    return value


def _test_name(value: str, info: ValidationInfo) -> str:
    limit = _rules(info).test_name_max
    if limit is not None and len(value) > limit:
        raise ValueError(f"longer than {limit} characters")
    return value


def _transliterated(value: str, info: ValidationInfo) -> str:
    if not _TRANSLITERATED.search(value):
        raise ValueError("characters other than A-Z and <")
    return _bounded(value, info)


def _country(value: str) -> str:
    if not _COUNTRY.search(value):
        raise ValueError("no capital letter A-Z")
    return value


def _date(value: str) -> str:
    if not is_full_date(value):
        raise ValueError("not a date YYYY-MM-DD")
    return value


def _date_time(value: str) -> str:
    if not is_date_time(value):
        raise ValueError("not an RFC 3339 date-time")
    return value


def _dose(value: int | float, info: ValidationInfo) -> int | float:
    if isinstance(value, float) and not value.is_integer():  # JSON Schema: 1.0 is an integer, 1.5 is not
        raise ValueError("not an integer")
    top = _rules(info).dose_max
    if value < 1 or (top is not None and value > top):
        raise ValueError(f"dose count outside 1..{top or ''}")
    return value


Bounded = Annotated[str, AfterValidator(_bounded)]
Transliterated = Annotated[str, AfterValidator(_transliterated)]
Country = Annotated[str, AfterValidator(_country)]
Date = Annotated[str, AfterValidator(_date)]
DateTime = Annotated[str, AfterValidator(_date_time)]
Dose = Annotated[int | float, AfterValidator(_dose)]


class _Strict(BaseModel):
    # JSON Schema semantics: exact types (no coercion), other members allowed, a present member must not be null.
    model_config = ConfigDict(strict=True, extra="allow", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _no_nulls(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            for name, field in cls.model_fields.items():
                if data.get(field.alias or name, 0) is None:
                    raise ValueError(f"{field.alias or name} is null")
        return data


# Optional members default to None, which pydantic does not validate; a member present as null is refused above.
class PersonName(_Strict):
    fn: Bounded = None  # type: ignore[assignment]
    fnt: Transliterated = None  # type: ignore[assignment]
    gn: Bounded = None  # type: ignore[assignment]
    gnt: Transliterated = None  # type: ignore[assignment]

    @model_validator(mode="after")
    def _required(self, info: ValidationInfo) -> PersonName:
        if _rules(info).fnt_or_gnt:
            if self.fnt is None and self.gnt is None:
                raise ValueError("fnt or gnt is required")
        elif self.fnt is None:
            raise ValueError("fnt is required")
        return self


class _Entry(_Strict):
    """Members every certificate entry has."""

    tg: str
    co: Country
    issuer: Bounded = Field(alias="is")  # "is" is a Python keyword
    ci: Bounded


class Vaccination(_Entry):
    vp: str
    mp: str
    ma: str
    dn: Dose
    sd: Dose
    dt: Date


class Test(_Entry):
    tt: str
    sc: DateTime
    tr: str
    tc: Bounded
    nm: Annotated[str, AfterValidator(_test_name)] = None  # type: ignore[assignment]
    ma: str = None  # type: ignore[assignment]

    @model_validator(mode="before")
    @classmethod
    def _result_time(cls, data: Any, info: ValidationInfo) -> Any:
        # dr is a date-time until 1.1.x; from 1.2.0 it is an undescribed extra member, free in form.
        if isinstance(data, Mapping) and "dr" in data and _rules(info).test_dr and not is_date_time(data["dr"]):
            raise ValueError("dr is not an RFC 3339 date-time")
        return data


class Recovery(_Entry):
    fr: Date
    df: Date
    du: Date


def _group(value: list[Any], info: ValidationInfo) -> list[Any]:
    if not value:
        raise ValueError("empty certificate group")
    if len(value) > 1 and _rules(info).one_group:
        raise ValueError("more than one entry in the group")
    return value


class Hcert(_Strict):
    ver: str
    nam: PersonName
    dob: str
    v: Annotated[list[Vaccination], AfterValidator(_group)] = None  # type: ignore[assignment]
    t: Annotated[list[Test], AfterValidator(_group)] = None  # type: ignore[assignment]
    r: Annotated[list[Recovery], AfterValidator(_group)] = None  # type: ignore[assignment]

    @field_validator("dob")
    @classmethod
    def _dob(cls, value: str, info: ValidationInfo) -> str:
        rules = _rules(info)
        if not rules.dob.search(value) or (rules.dob_full_date and not is_full_date(value)):
            raise ValueError(f"not a form schema {rules.release} allows")
        return value

    @model_validator(mode="after")
    def _one_group(self, info: ValidationInfo) -> Hcert:
        present = [g for g in ("v", "t", "r") if getattr(self, g) is not None]
        if _rules(info).one_group and len(present) != 1:
            raise ValueError(f"exactly one of v, t, r is required, found {len(present)}")
        return self


def _where(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(payload)"


def _problems(exc: ValidationError) -> list[str]:
    # Only the location and pydantic's error type or our own wording: never the input value (personal data).
    out = []
    for err in exc.errors(include_url=False, include_input=False):
        what = err["msg"] if err["type"] == "value_error" else err["type"]
        out.append(f"{_where(err['loc'])}: {what.removeprefix('Value error, ')}")
    return out


def validate_hcert(payload: Any) -> SchemaRules:
    """Check a decoded DCC payload (JSON value or CBOR-decoded map) against the schema release of its `ver`.

    Returns the rules applied; raises SchemaError listing what does not conform.
    """
    try:
        data = json_view(payload)
    except RecursionError:  # a hostile payload nested thousands deep
        raise SchemaError(["(payload): nested too deeply"]) from None
    if not isinstance(data, dict):
        raise SchemaError(["(payload): not a map"])
    rules = rules_for(data.get("ver"))
    try:
        Hcert.model_validate(data, context={"rules": rules})
    except ValidationError as exc:
        raise SchemaError(_problems(exc)) from None
    return rules


def conforms(payload: Any) -> bool:
    try:
        validate_hcert(payload)
    except SchemaError:
        return False
    return True
