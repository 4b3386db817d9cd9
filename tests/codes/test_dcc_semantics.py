"""Content rules of a DCC payload, apart from its structure: refusals only where a deployed verifier refuses (a dob
that is not a date form, dose counts from 1, a country, one certificate type), warnings for the rest (a birth date
that cannot exist or lies in the future, an empty standardised name beside a name); and the verdicts they give."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.codes import VerdictKind, verify_payload
from kiosk.codes.dcc_schema import conforms
from kiosk.codes.dcc_semantics import content_problems, content_warnings
from kiosk.codes.trust import TrustMaterial, dgcg_kid
from tests.codes.conftest import HCERT, NOW, make_dcc

TODAY = dt.date(2027, 3, 1)


def with_(**changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(HCERT)
    out.update(changes)
    return out


def test_the_example_is_credible() -> None:
    assert content_problems(HCERT, TODAY) == [] and content_warnings(HCERT, TODAY) == []


@pytest.mark.parametrize(("dob", "problem", "warning"), [
    ("1950-01-02", None, None), ("1950", None, None), ("1950-07", None, None), ("1950-00", None, None),
    ("1950-07-00", None, None), ("", None, None),
    ("2027-03-01", None, None),  # born today
    # No deployed verifier refuses these (CoronaCheck's regex takes them): warnings.
    ("2027-03-02", None, "dob: in the future"), ("2028", None, "dob: in the future"),
    ("2027-04", None, "dob: in the future"),
    ("1950-13", None, "dob: no such month"), ("1950-02-30", None, "dob: no such day"),
    ("1950-00-05", None, "dob: no such month"),
    # CoronaCheck refuses a dob that is not a year, year-month or date.
    ("19500102", "dob: not a year, year-month or date", None),
])
def test_birth_dates(dob: str, problem: str | None, warning: str | None) -> None:
    assert content_problems(with_(dob=dob), TODAY) == ([problem] if problem else [])
    assert content_warnings(with_(dob=dob), TODAY) == ([warning] if warning else [])


def test_a_future_birth_date_is_well_formed_and_only_a_warning() -> None:
    future = with_(dob="2030-01-01")
    assert conforms(future) and content_problems(future, TODAY) == []
    assert content_warnings(future, TODAY) == ["dob: in the future"]


def test_doses_countries_groups_and_standardised_names() -> None:
    v = HCERT["v"][0]
    assert content_problems(with_(v=[{**v, "dn": 0, "sd": 0}]), TODAY) == ["v.0.dn: dose count below 1",
                                                                          "v.0.sd: dose count below 1"]
    assert content_problems(with_(v=[{**v, "dn": 3, "sd": 2}]), TODAY) == []  # boosters: dn above sd is real
    assert content_problems(with_(v=[{**v, "co": ""}]), TODAY) == ["v.0.co: country empty"]
    assert content_problems(with_(t=[{}]), TODAY) == ["(payload): exactly one of v, t, r is required, found 2"]
    assert content_problems({k: x for k, x in HCERT.items() if k != "v"}, TODAY) == [
        "(payload): exactly one of v, t, r is required, found 0"]
    empty_gnt = with_(nam={"fn": "Chen", "fnt": "CHEN", "gn": "😀", "gnt": ""})
    assert content_problems(empty_gnt, TODAY) == []  # no deployed verifier refuses it
    assert content_warnings(empty_gnt, TODAY) == ["nam.gnt: empty while nam.gn is given"]
    assert content_warnings(with_(nam={"fn": "Chen", "fnt": "CHEN", "gn": "", "gnt": ""}), TODAY) == []
    assert content_warnings(with_(nam={"fnt": "CHEN"}), TODAY) == []  # an absent part is not judged


def test_problems_and_warnings_never_carry_values() -> None:
    odd = with_(dob="2031-05-06", nam={"fn": "ZHANGSAN", "fnt": ""}, v=[{**HCERT["v"][0], "co": ""}])
    text = "; ".join(content_problems(odd, TODAY) + content_warnings(odd, TODAY))
    assert "2031" not in text and "ZHANGSAN" not in text and "dob: in the future" in text and "co: country" in text


def test_junk_shapes_do_not_raise() -> None:
    for junk in ({}, {"dob": 5, "nam": "x", "v": "y"}, {"v": [None, 3, {"dn": "0", "co": 7}]}):
        content_problems(junk, TODAY)
        content_warnings(junk, TODAY)


def test_a_signed_dcc_with_a_future_birth_date_is_valid_and_carries_the_warning(
        trust: TrustMaterial, dsc_key: ec.EllipticCurvePrivateKey, dsc_der: bytes) -> None:
    """A Spanish certificate every verifier accepts is not refused here for a birth date after the kiosk's day."""
    kid = dgcg_kid(dsc_der)
    born_later = verify_payload(make_dcc(dsc_key, kid, hcert=with_(dob="2030-01-01")), trust=trust, now=NOW)
    assert born_later.verdict is VerdictKind.VALID and born_later.stage is None
    assert born_later.checks == {"signature": True, "schema": True, "content": True, "plausible": False,
                                 "key_usage": True, "certificate": True, "time": True}
    assert born_later.detail == "content warnings: dob: in the future"
    assert born_later.subject is not None and born_later.subject.date_of_birth == "2030-01-01"
    # Judged on the verifying day: for a clock after that birth date there is nothing to warn about.
    later = verify_payload(make_dcc(dsc_key, kid, hcert=with_(dob="2027-02-01")), trust=trust, now=NOW)
    assert later.verdict is VerdictKind.VALID and later.checks is not None and later.checks["plausible"] is True
    assert later.detail is None
