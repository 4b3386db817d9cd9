"""EU DCC payload (the hcert JSON) checked for structure against the newest published eu-dcc-schema release (the
combined JSON Schema in `data/eu-dcc-schema/`, with `jsonschema`), as deployed verifier apps do, whatever `ver` says.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators

SCHEMA_FILE = "DCC.combined-schema.json"
_RELEASE = re.compile(r"Schema version (\S+)")
_CORE = ("ver", "nam", "dob")  # required in every branch of the top-level oneOf


class SchemaError(ValueError):
    """The payload does not conform. `problems` are `path: keyword` lines without any values (no personal data)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@cache
def _ecma(pattern: str) -> re.Pattern[str]:
    """A schema pattern as ECMA-262 reads it: `\\d` is ASCII only and `$` (outside a class) is the very end of the
    text, so "ABC\\n" does not pass `^[A-Z<]*$` as Python's `$` would let it."""
    out, in_class, i = [], False, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if ch == "[":
            in_class = True
        elif ch == "]":
            in_class = False
        out.append(r"\Z" if ch == "$" and not in_class else ch)
        i += 1
    return re.compile("".join(out), re.ASCII)


def _pattern(validator: Any, pattern: str, instance: Any, schema: Mapping[str, Any]) -> Iterator[ValidationError]:
    # JSON Schema patterns are not anchored: search, as the standard says.
    if validator.is_type(instance, "string") and not _ecma(pattern).search(instance):
        yield ValidationError("does not match the pattern")


_Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})


@cache
def schema() -> dict[str, Any]:
    """The bundled combined schema (release named in its `$comment`)."""
    text = resources.files("kiosk.codes").joinpath("data", "eu-dcc-schema", SCHEMA_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def _validator() -> Any:
    body = schema()
    Draft202012Validator.check_schema(body)
    # jsonschema checks "date-time" only with rfc3339-validator installed (a project dependency); never silently skip.
    if not {"date", "date-time"} <= set(Draft202012Validator.FORMAT_CHECKER.checkers):
        raise RuntimeError("jsonschema cannot check date-time: install rfc3339-validator")
    # Draft 2020-12 treats `format` as a note unless asked; verifier apps check dates and date-times.
    return _Validator(body, format_checker=Draft202012Validator.FORMAT_CHECKER)


def release() -> str:
    """The eu-dcc-schema release the kiosk validates against, e.g. "1.3.3"."""
    m = _RELEASE.search(str(schema().get("$comment", "")))
    return m.group(1) if m else "unknown"


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


def _where(error: ValidationError) -> str:
    return ".".join(str(p) for p in error.absolute_path) or "(payload)"


def _problem(error: ValidationError) -> str:
    # Only the location, the keyword and the schema's own limit: never the value (personal data).
    where, what, limit = _where(error), error.validator, error.validator_value
    if what == "required" and isinstance(error.instance, Mapping) and isinstance(limit, list):
        return f"{where}: required member missing: {', '.join(k for k in limit if k not in error.instance)}"
    if what == "oneOf" and not error.absolute_path and isinstance(error.instance, Mapping):
        # The three branches are "ver, nam, dob and one of v/t/r": say which part is wrong.
        groups = [g for g in ("v", "t", "r") if g in error.instance]
        if len(groups) != 1:
            return f"(payload): exactly one of v, t, r is required, found {len(groups)}"
        return f"(payload): required member missing: {', '.join(k for k in _CORE if k not in error.instance)}"
    if what == "anyOf" and error.absolute_path and error.absolute_path[-1] == "nam":
        return f"{where}: fnt or gnt is required"
    if what in {"format", "type", "maxLength", "minimum", "maxItems", "minItems"}:
        return f"{where}: {what} {limit}"
    return f"{where}: {what}"


def validate_hcert(payload: Any) -> str:
    """Check a decoded DCC payload (JSON value or CBOR-decoded map) against the newest schema release.

    Returns the release applied; raises SchemaError listing what does not conform (paths and keywords only).
    """
    try:
        data = json_view(payload)
    except RecursionError:  # a hostile payload nested thousands deep
        raise SchemaError(["(payload): nested too deeply"]) from None
    if not isinstance(data, dict):
        raise SchemaError(["(payload): not a map"])
    try:
        errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    except RecursionError:
        raise SchemaError(["(payload): nested too deeply"]) from None
    if errors:
        raise SchemaError([_problem(e) for e in errors])
    return release()


def conforms(payload: Any) -> bool:
    try:
        validate_hcert(payload)
    except SchemaError:
        return False
    return True
