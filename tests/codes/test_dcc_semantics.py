"""Semantic rules of a DCC payload, apart from its structure: a real, past birth date, dose counts from 1, a country,
a standardised name beside the name; and the verdict a signed, well-formed but incredible DCC gets."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.codes import VerdictKind, verify_payload
from kiosk.codes.dcc_schema import conforms
from kiosk.codes.dcc_semantics import content_problems
from kiosk.codes.trust import TrustMaterial, dgcg_kid
from kiosk.codes.verdict import CONTENT_MESSAGE
from tests.codes.conftest import HCERT, NOW, make_dcc

TODAY = dt.date(2027, 3, 1)


def with_(**changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(HCERT)
    out.update(changes)
    return out


def test_the_example_is_credible() -> None:
    assert content_problems(HCERT, TODAY) == []


@pytest.mark.parametrize(("dob", "problem"), [
    ("1950-01-02", None), ("1950", None), ("1950-07", None), ("1950-00", None), ("1950-07-00", None), ("", None),
    ("2027-03-01", None),  # born today
    ("2027-03-02", "dob: in the future"), ("2028", "dob: in the future"), ("2027-04", "dob: in the future"),
    ("1950-13", "dob: no such month"), ("1950-02-30", "dob: no such day"), ("1950-00-05", "dob: no such month"),
    ("19500102", "dob: not a year, year-month or date"),
])
def test_birth_dates(dob: str, problem: str | None) -> None:
    assert content_problems(with_(dob=dob), TODAY) == ([problem] if problem else [])


def test_a_future_birth_date_is_well_formed_but_not_credible() -> None:
    future = with_(dob="2030-01-01")
    assert conforms(future) and content_problems(future, TODAY) == ["dob: in the future"]


def test_doses_countries_and_standardised_names() -> None:
    v = HCERT["v"][0]
    assert content_problems(with_(v=[{**v, "dn": 0, "sd": 0}]), TODAY) == ["v.0.dn: dose count below 1",
                                                                          "v.0.sd: dose count below 1"]
    assert content_problems(with_(v=[{**v, "dn": 3, "sd": 2}]), TODAY) == []  # boosters: dn above sd is real
    assert content_problems(with_(v=[{**v, "co": ""}]), TODAY) == ["v.0.co: country empty"]
    assert content_problems(with_(nam={"fn": "Chen", "fnt": "CHEN", "gn": "😀", "gnt": ""}), TODAY) == [
        "nam.gnt: empty while nam.gn is given"]
    assert content_problems(with_(nam={"fn": "Chen", "fnt": "CHEN", "gn": "", "gnt": ""}), TODAY) == []
    assert content_problems(with_(nam={"fnt": "CHEN"}), TODAY) == []  # an absent part is not judged


def test_problems_never_carry_values() -> None:
    text = "; ".join(content_problems(with_(dob="2031-05-06", nam={"fn": "ZHANGSAN", "fnt": ""}), TODAY))
    assert "2031" not in text and "ZHANGSAN" not in text and "dob: in the future" in text


def test_junk_shapes_do_not_raise() -> None:
    for junk in ({}, {"dob": 5, "nam": "x", "v": "y"}, {"v": [None, 3, {"dn": "0", "co": 7}]}):
        content_problems(junk, TODAY)


def test_a_signed_well_formed_dcc_that_cannot_be_true_is_refused_with_its_own_message(
        trust: TrustMaterial, dsc_key: ec.EllipticCurvePrivateKey, dsc_der: bytes) -> None:
    kid = dgcg_kid(dsc_der)
    born_later = verify_payload(make_dcc(dsc_key, kid, hcert=with_(dob="2030-01-01")), trust=trust, now=NOW)
    assert born_later.verdict is VerdictKind.MALFORMED and born_later.stage == "content"
    assert born_later.checks == {"signature": True, "schema": True, "content": False, "key_usage": True,
                                 "certificate": True, "time": True}
    assert born_later.message == CONTENT_MESSAGE and "身份证" in CONTENT_MESSAGE.zh
    assert born_later.alternatives == ("id_card", "staff_paper_proof")
    assert born_later.detail == "payload content not credible: dob: in the future"
    # Judged on the verifying day: the same code was fine for a clock after that birth date.
    later = verify_payload(make_dcc(dsc_key, kid, hcert=with_(dob="2027-02-01")), trust=trust, now=NOW)
    assert later.verdict is VerdictKind.VALID
