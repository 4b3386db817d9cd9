"""EU DCC payload (the hcert JSON) checked for structure against the eu-dcc-schema release its own `ver` names (the
combined JSON Schemas of every published release 1.0.0-1.3.3 in `data/eu-dcc-schema/`, with `jsonschema`).

Releases did not only widen (1.3.0 allows one entry in `v` where 1.0.1 allowed two; 1.1.0 allows a birth year alone
where 1.0.0 wanted a full date), so a certificate is judged by the rules its issuer wrote it under; what a later
release allows is not held against it either (deployed verifiers validate with the newest), so it is refused only
when its own release and every later one refuse it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # jsonschema is imported on the first validation, not at start-up
    from jsonschema import ValidationError

# Every published release and its file (renamed DGC → DCC in 1.2.1), oldest first.
RELEASES: tuple[tuple[str, str], ...] = (
    ("1.0.0", "DGC.combined-schema.json"), ("1.0.1", "DGC.combined-schema.json"),
    ("1.1.0", "DGC.combined-schema.json"), ("1.2.0", "DGC.combined-schema.json"),
    ("1.2.1", "DCC.combined-schema.json"), ("1.3.0", "DCC.combined-schema.json"),
    ("1.3.1", "DCC.combined-schema.json"), ("1.3.2", "DCC.combined-schema.json"),
    ("1.3.3", "DCC.combined-schema.json"),
)
NEWEST = RELEASES[-1][0]
_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)", re.ASCII)
_RELEASE = re.compile(r"Schema version (\S+)")
_CORE = ("ver", "nam", "dob")  # required in every branch of the top-level oneOf


def _key(version: str) -> tuple[int, int, int]:
    m = _VERSION.fullmatch(version)
    assert m is not None, version
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


class SchemaError(ValueError):
    """The payload does not conform. `problems` are `path: keyword` lines without any values (no personal data)."""

    def __init__(self, problems: list[str], release: str | None = None) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        self.release = release  # the eu-dcc-schema release applied (None: not a map, so none could be)


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
    from jsonschema import ValidationError

    # JSON Schema patterns are not anchored: search, as the standard says.
    if validator.is_type(instance, "string") and not _ecma(pattern).search(instance):
        yield ValidationError("does not match the pattern")


def release_for(ver: Any) -> str:
    """The release a DCC's `ver` is judged by: that release, else the nearest earlier one (a patch such as 1.0.4
    has no file of its own; a later version than any release gets the newest; one before the first, the first).
    A `ver` that is not a version gets the newest release, whose `ver` pattern then says what is wrong."""
    if not isinstance(ver, str) or _VERSION.fullmatch(ver) is None:
        return NEWEST
    wanted = _key(ver)
    earlier = [name for name, _file in RELEASES if _key(name) <= wanted]
    return earlier[-1] if earlier else RELEASES[0][0]


def releases_from(release: str) -> list[str]:
    """`release` and every later one, oldest first: the releases a DCC of that release may conform to."""
    names = [name for name, _file in RELEASES]
    return names[names.index(release):]


@cache
def schema(release: str = NEWEST) -> dict[str, Any]:
    """The combined schema of a published release (named again in its own `$comment`)."""
    files = dict(RELEASES)
    if release not in files:
        raise KeyError(f"no eu-dcc-schema release {release}")
    text = resources.files("kiosk.codes").joinpath("data", "eu-dcc-schema", release, files[release]) \
        .read_text(encoding="utf-8")
    body: dict[str, Any] = json.loads(text)
    return body


@cache
def _validator(release: str) -> Any:
    from jsonschema import Draft202012Validator, validators

    body = schema(release)
    Draft202012Validator.check_schema(body)
    # jsonschema checks "date-time" only with rfc3339-validator installed (a project dependency); never silently skip.
    if not {"date", "date-time"} <= set(Draft202012Validator.FORMAT_CHECKER.checkers):
        raise RuntimeError("jsonschema cannot check date-time: install rfc3339-validator")
    # Draft 2020-12 treats `format` as a note unless asked; verifier apps check dates and date-times.
    validator = validators.extend(Draft202012Validator, {"pattern": _pattern})
    return validator(body, format_checker=Draft202012Validator.FORMAT_CHECKER)


def release(name: str = NEWEST) -> str:
    """The release a bundled schema file says it is, e.g. "1.3.3" (the newest unless named)."""
    m = _RELEASE.search(str(schema(name).get("$comment", "")))
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
    """Check a decoded DCC payload (JSON value or CBOR-decoded map) against the release its `ver` names
    (`release_for`), then, if that refuses it, against each later release. Returns the release it conforms to;
    raises SchemaError listing what breaks its own release (paths and keywords only) when none accepts it."""
    try:
        data = json_view(payload)
    except RecursionError:  # a hostile payload nested thousands deep
        raise SchemaError(["(payload): nested too deeply"]) from None
    if not isinstance(data, dict):
        raise SchemaError(["(payload): not a map"])
    own = release_for(data.get("ver"))
    first: list[ValidationError] | None = None
    for name in releases_from(own):
        try:
            errors = sorted(_validator(name).iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
        except RecursionError:
            raise SchemaError(["(payload): nested too deeply"]) from None
        if not errors:
            return name
        first = errors if first is None else first
    assert first is not None
    raise SchemaError([_problem(e) for e in first], own)


def conforms(payload: Any) -> bool:
    try:
        validate_hcert(payload)
    except SchemaError:
        return False
    return True
