"""Content rules of an EU DCC payload beyond its schema, split in two: refusals, kept only where a deployed verifier
refuses the same (each names it), and warnings, reported in the verdict's `checks` without refusing the certificate.

A rule no deployed verifier applies must not refuse what every verifier accepts (a Spanish certificate with a birth
date "in the future" on the kiosk's clock is valid everywhere else).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

# dob as the schema allows it: YYYY, YYYY-MM or YYYY-MM-DD; "00" stands for an unknown month or day (ICAO 9303).
_DOB = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)
_NAME_PAIRS = (("fn", "fnt"), ("gn", "gnt"))


def _dob_refusal(dob: Any) -> str | None:
    # Refused by the Dutch CoronaCheck verifier (minvws/nl-covid19-coronacheck-mobile-core, verifier_european.go
    # `parseDateOfBirth`: a dob that is not year, year-month or year-month-day fails `validateDCC`).
    if not isinstance(dob, str) or dob == "":  # empty = unknown, allowed; other types are the schema's business
        return None
    return None if _DOB.fullmatch(dob) else "dob: not a year, year-month or date"


def _dob_warnings(dob: Any, today: dt.date) -> list[str]:
    # No deployed verifier found that refuses these (CoronaCheck's regex takes month 13 and any day; the DGCA
    # apps only display the text): warnings. A clock-relative rule would also depend on the kiosk's own clock.
    m = _DOB.fullmatch(dob) if isinstance(dob, str) else None
    if m is None:
        return []
    year, month, day = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    if month > 12 or (day and not month):
        return ["dob: no such month"]
    if day:
        try:
            dt.date(year, month, day)
        except ValueError:
            return ["dob: no such day"]
    earliest = dt.date(year, month or 1, day or 1)  # the earliest day the (partial) date can stand for
    return ["dob: in the future"] if earliest > today else []


def _entry_refusals(group: str, index: int, entry: Any) -> list[str]:
    # Both are rules of every eu-dcc-schema release (dose minimum 1, country pattern [A-Z]{1,10}), refused by the
    # EU reference verifier (eu-digital-green-certificates/dgca-verifier-app-android, DefaultSchemaValidator:
    # a payload failing the schema is not schema-valid). Kept here too, so a payload whose `ver` names a release
    # that is not bundled is still held to them.
    if not isinstance(entry, Mapping):
        return []
    out = []
    for dose in ("dn", "sd"):
        if isinstance(entry.get(dose), int | float) and not isinstance(entry.get(dose), bool) and entry[dose] < 1:
            out.append(f"{group}.{index}.{dose}: dose count below 1")
    if isinstance(entry.get("co"), str) and not entry["co"].strip():
        out.append(f"{group}.{index}.co: country empty")
    return out


def content_problems(hcert: Mapping[str, Any], today: dt.date) -> list[str]:
    """What a deployed verifier would refuse in this payload's content, as `path: what` lines without values (no
    personal data); [] = nothing. `today` is the verifying day (kept for callers; no refusal depends on it)."""
    problems = []
    if (p := _dob_refusal(hcert.get("dob"))) is not None:
        problems.append(p)
    # One certificate type per DCC (hcert spec; the schema says so only from 1.3.0): refused by CoronaCheck
    # (verifier_european.go `validateStatementAmount`, which also wants one entry in all; the kiosk keeps only the
    # part every release's specification states, as 1.0.x issuers put two entries in `v`).
    groups = [g for g in ("v", "t", "r") if g in hcert]
    if len(groups) != 1:
        problems.append(f"(payload): exactly one of v, t, r is required, found {len(groups)}")
    for group in ("v", "t", "r"):
        entries = hcert.get(group)
        if isinstance(entries, list | tuple):
            for i, entry in enumerate(entries):
                problems.extend(_entry_refusals(group, i, entry))
    return problems


def content_warnings(hcert: Mapping[str, Any], today: dt.date) -> list[str]:
    """What looks wrong but no deployed verifier refuses: reported (verdict `checks["plausible"]` false and its
    detail), never a refusal. Same `path: what` form, no values."""
    warnings = _dob_warnings(hcert.get("dob"), today)
    nam = hcert.get("nam")
    if isinstance(nam, Mapping):
        for plain, standard in _NAME_PAIRS:
            given, std = nam.get(plain), nam.get(standard)
            # An empty standardised form beside a real name: the name a border officer compares is lost. No
            # verifier refuses it (CoronaCheck's `validateName` wants only one of fnt/gnt non-empty).
            if isinstance(given, str) and given.strip() and isinstance(std, str) and not std:
                warnings.append(f"nam.{standard}: empty while nam.{plain} is given")
    return warnings
