"""Semantic checks of an EU DCC payload that the JSON Schema cannot express: a birth date that exists and is not in
the future, dose counts from 1, a country given, a standardised name present where the name is. Apart from the
structural check (`dcc_schema`) on purpose: a DCC can be well-formed and still not credible.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

# dob as the schema allows it: YYYY, YYYY-MM or YYYY-MM-DD; "00" stands for an unknown month or day (ICAO 9303).
_DOB = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)
_NAME_PAIRS = (("fn", "fnt"), ("gn", "gnt"))


def _dob_problem(dob: Any, today: dt.date) -> str | None:
    if not isinstance(dob, str) or dob == "":  # empty = unknown, allowed; other types are the schema's business
        return None
    m = _DOB.fullmatch(dob)
    if m is None:
        return "dob: not a year, year-month or date"
    year, month, day = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    if month > 12 or (day and not month):
        return "dob: no such month"
    if day:
        try:
            dt.date(year, month, day)
        except ValueError:
            return "dob: no such day"
    earliest = dt.date(year, month or 1, day or 1)  # the earliest day the (partial) date can stand for
    if earliest > today:
        return "dob: in the future"
    return None


def _entry_problems(group: str, index: int, entry: Any) -> list[str]:
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
    """What makes a DCC payload not credible, as `path: what` lines without values (no personal data); [] = fine.

    `today` is the verifying day (a birth date after it cannot be right)."""
    problems = []
    if (p := _dob_problem(hcert.get("dob"), today)) is not None:
        problems.append(p)
    nam = hcert.get("nam")
    if isinstance(nam, Mapping):
        for plain, standard in _NAME_PAIRS:
            given, std = nam.get(plain), nam.get(standard)
            # An empty standardised form beside a real name: the machine-readable name a verifier compares is lost.
            if isinstance(given, str) and given.strip() and isinstance(std, str) and not std:
                problems.append(f"nam.{standard}: empty while nam.{plain} is given")
    for group in ("v", "t", "r"):
        entries = hcert.get(group)
        if isinstance(entries, list | tuple):
            for i, entry in enumerate(entries):
                problems.extend(_entry_problems(group, i, entry))
    return problems
