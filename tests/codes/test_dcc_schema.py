"""DCC payload validation: the rules of each eu-dcc-schema release by `ver`, JSON Schema semantics (exact types,
unanchored patterns, formats), CBOR-tagged timestamps, problems without personal data, and the verdict it gives."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.codes import VerdictKind, verify_payload
from kiosk.codes.dcc_schema import SchemaError, conforms, is_date_time, is_full_date, rules_for, validate_hcert
from kiosk.codes.trust import TrustMaterial, dgcg_kid
from kiosk.codes.verdict import SCHEMA_MESSAGE
from tests.codes.conftest import HCERT, NOW, make_dcc

TEST = {"tg": "840539006", "tt": "LP6464-4", "nm": "Roche LightCycler qPCR", "sc": "2021-05-01T10:20:30Z",
        "tr": "260415000", "tc": "Test centre", "co": "CN", "is": "Test issuer", "ci": "URN:UVCI:01:CN:T#2"}
RECOVERY = {"tg": "840539006", "fr": "2021-04-01", "co": "CN", "is": "Test issuer", "df": "2021-04-11",
            "du": "2021-10-01", "ci": "URN:UVCI:01:CN:R#3"}


def dcc(ver: str = "1.3.0", **changes: Any) -> dict[str, Any]:
    """HCERT at `ver` with top-level members replaced (None removes one)."""
    out = copy.deepcopy(HCERT)
    out["ver"] = ver
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def vacc(**changes: Any) -> list[dict[str, Any]]:
    return [{**HCERT["v"][0], **changes}]


def problems(payload: Any) -> list[str]:
    with pytest.raises(SchemaError) as info:
        validate_hcert(payload)
    return info.value.problems


def test_the_shared_example_conforms_and_names_its_release() -> None:
    assert validate_hcert(HCERT).release == "1.3.0-1.3.1"
    assert rules_for("1.0.4").release == "1.0.x"  # patch releases share their minor's rules
    assert rules_for("1.2.1").release == "1.2.x"
    assert rules_for("1.3.2").release == rules_for("1.4.0").release == "1.3.2+"  # later 1.x: the newest known


@pytest.mark.parametrize("ver", ["2.0.0", "0.9.0", "1.0", "v1.0.0", "1x0x0", "", 1])
def test_unknown_or_malformed_versions_do_not_conform(ver: Any) -> None:
    assert any(p.startswith("ver:") for p in problems(dcc(ver=ver)))  # type: ignore[arg-type]
    assert problems(dcc(ver=None)) == ["ver: not a schema version (N.N.N)"]


@pytest.mark.parametrize(("dob", "ok_by_release"), [
    ("1979-04-14", {"1.0.0": True, "1.1.0": True, "1.2.1": True, "1.3.0": True}),
    ("1963", {"1.0.0": False, "1.1.0": True, "1.2.1": True, "1.3.0": True}),  # partial dates from 1.1.0
    ("1964-01", {"1.0.0": False, "1.1.0": True, "1.2.1": True, "1.3.0": True}),
    ("1963-00", {"1.0.0": False, "1.1.0": True, "1.2.1": True, "1.3.0": True}),  # the pattern only counts digits
    ("", {"1.0.0": False, "1.1.0": False, "1.2.1": False, "1.3.0": True}),  # empty from 1.3.0
    ("1815-08-24", {"1.0.0": False, "1.1.0": False, "1.2.1": False, "1.3.0": False}),  # 1900-2099 only
    ("2000-02-30", {"1.0.0": False, "1.1.0": True, "1.2.1": True, "1.3.0": True}),  # format date only in 1.0.x
    ("x1979-04-14", {"1.0.0": False, "1.1.0": False, "1.2.1": False, "1.3.0": False}),
    ("1979-04-14\n", {"1.0.0": False, "1.1.0": False, "1.2.1": False, "1.3.0": False}),
])
def test_date_of_birth_forms_by_release(dob: str, ok_by_release: dict[str, bool]) -> None:
    for ver, ok in ok_by_release.items():
        assert conforms(dcc(ver, dob=dob)) is ok, (ver, dob)


def test_name_lengths_grew_to_80_in_1_3_0() -> None:
    for field in ("fn", "gn"):
        long = {**HCERT["nam"], field: "x" * 51}
        assert not conforms(dcc("1.2.1", nam=long)) and conforms(dcc("1.3.0", nam=long))
        assert problems(dcc("1.3.0", nam={**HCERT["nam"], field: "x" * 81})) == [f"nam.{field}: longer than 80 "
                                                                                   "characters"]
    assert conforms(dcc("1.3.0", nam={**HCERT["nam"], "fn": "😀" * 80}))  # code points, not bytes


@pytest.mark.parametrize(("fnt", "ok"), [("DCERVENKOVA<PANKLOVA", True), ("", True), ("Chen", False),
                                         ("CHEN MEI", False), ("CHÉN", False), ("CHEN\n", False)])
def test_transliterated_names_use_icao_characters_only(fnt: str, ok: bool) -> None:
    assert conforms(dcc(nam={**HCERT["nam"], "fnt": fnt})) is ok
    assert conforms(dcc(nam={**HCERT["nam"], "gnt": fnt})) is ok


def test_fnt_is_required_until_1_3_2_then_fnt_or_gnt() -> None:
    only_gnt = {"gn": "Mei", "gnt": "MEI"}
    assert problems(dcc("1.3.0", nam=only_gnt)) == ["nam: fnt is required"]
    assert conforms(dcc("1.3.2", nam=only_gnt)) and conforms(dcc("1.3.2", nam={"fnt": "CHEN"}))
    assert problems(dcc("1.3.2", nam={"fn": "Chen"})) == ["nam: fnt or gnt is required"]


@pytest.mark.parametrize(("dose", "ok_1_2", "ok_1_3"), [
    (1, True, True), (9, True, True), (10, False, True), (0, False, False), (-1, False, False),
    (2.0, True, True), (2.5, False, False), ("2", False, False), (True, False, False),
])
def test_dose_counts(dose: Any, ok_1_2: bool, ok_1_3: bool) -> None:
    assert conforms(dcc("1.2.1", v=vacc(dn=dose))) is ok_1_2
    assert conforms(dcc("1.3.0", v=vacc(sd=dose))) is ok_1_3


def test_certificate_groups() -> None:
    both = {"v": vacc(), "t": [TEST]}
    assert conforms(dcc("1.2.1", **both))  # the schema allowed several groups until 1.3.0
    assert problems(dcc("1.3.0", **both)) == ["(payload): exactly one of v, t, r is required, found 2"]
    assert conforms(dcc("1.2.1", v=None)) and not conforms(dcc("1.3.0", v=None))
    assert conforms(dcc("1.2.1", v=vacc() * 2)) and not conforms(dcc("1.3.0", v=vacc() * 2))
    assert problems(dcc("1.0.0", v=[])) == ["v: empty certificate group"]
    assert conforms(dcc(v=None, t=[TEST])) and conforms(dcc(v=None, r=[RECOVERY]))


@pytest.mark.parametrize(("entry", "missing"), [(HCERT["v"][0], "dt"), (TEST, "tc"), (RECOVERY, "du")])
def test_required_members_of_each_entry(entry: dict[str, Any], missing: str) -> None:
    group = {"dt": "v", "tc": "t", "du": "r"}[missing]
    partial = {k: v for k, v in entry.items() if k != missing}
    assert problems({**dcc(v=None), group: [partial]}) == [f"{group}.0.{missing}: missing"]
    without_issuer = {k: v for k, v in entry.items() if k != "is"}
    assert problems({**dcc(v=None), group: [without_issuer]}) == [f"{group}.0.is: missing"]


def test_json_schema_semantics_exact_types_extra_members_and_null() -> None:
    assert conforms(dcc(extra={"anything": [1, None]}, nam={**HCERT["nam"], "xx": None}))  # others are free
    assert problems(dcc(nam=None)) == ["nam: missing"]
    assert problems(dcc(v=vacc(dn="2"))) == ["v.0.dn.int: int_type", "v.0.dn.float: float_type"]
    bad_null = dcc(nam={**HCERT["nam"], "gn": None})
    assert problems(bad_null) == ["nam: gn is null"]
    assert problems(dcc(v=vacc(co=""))) == ["v.0.co: no capital letter A-Z"]  # [A-Z]{1,10} needs one letter
    assert conforms(dcc(v=vacc(co="xXK")))  # …anywhere: JSON Schema patterns are not anchored
    assert problems(["not", "a", "map"]) == ["(payload): not a map"]


def test_dates_and_times_follow_rfc_3339() -> None:
    for good in ("2021-05-01T10:20:30Z", "2021-05-01t10:20:30.123+02:00", "2016-12-31T23:59:60Z"):
        assert is_date_time(good), good
    for bad in ("2021-05-01 10:20:30Z", "2021-05-01T10:20:30", "2021-02-30T10:20:30Z", "2021-05-01T24:00:00Z",
                "2021-05-01T10:20:30+2:00", "2021-05-01", 20210501):
        assert not is_date_time(bad), bad
    assert is_full_date("2020-02-29") and not is_full_date("2021-02-29") and not is_full_date("2021-5-1")
    assert problems(dcc(v=None, t=[{**TEST, "sc": "2021-05-01"}])) == ["t.0.sc: not an RFC 3339 date-time"]
    assert problems(dcc(v=None, r=[{**RECOVERY, "df": "2021-04"}])) == ["r.0.df: not a date YYYY-MM-DD"]


def test_test_result_time_is_checked_only_while_the_schema_defines_it() -> None:
    with_dr = [{**TEST, "dr": "yesterday"}]
    assert problems(dcc("1.0.0", v=None, t=with_dr)) == ["t.0: dr is not an RFC 3339 date-time"]
    assert conforms(dcc("1.0.0", v=None, t=[{**TEST, "dr": "2021-05-01T12:00:00Z"}]))
    assert conforms(dcc("1.2.1", v=None, t=with_dr))  # dropped from the schema in 1.2.0


def test_cbor_tagged_timestamps_are_read_and_non_json_values_refused() -> None:
    tagged = [{**TEST, "sc": dt.datetime(2021, 5, 1, 10, 20, 30, tzinfo=dt.UTC)}]  # CBOR tag 0 as cbor2 decodes it
    assert conforms(dcc(v=None, t=tagged))
    assert problems(dcc(v=None, t=[{**TEST, "sc": dt.datetime(2021, 5, 1, 10, 20, 30)}])) == [
        "timestamp without time zone"]
    assert conforms(dcc(dob=dt.date(1950, 1, 2)))  # a tagged date (tag 1004) stands for its ISO text
    assert problems(dcc(v=vacc(ci=b"URN"))) == ["bytes value is not JSON"]
    assert problems({**dcc(), 1: "x"}) == ["map key is not text"]


def test_problems_name_places_never_values() -> None:
    secret = "ZHANGSANFENG" * 8
    text = str(SchemaError(problems(dcc("1.2.1", nam={"fn": secret, "fnt": secret.lower()}, dob="1815-01-01"))))
    assert "ZHANGSAN" not in text and "zhangsan" not in text and "1815" not in text
    assert "nam.fn: longer than 50 characters" in text and "nam.fnt: characters other than A-Z and <" in text


def test_deep_nesting_is_refused_not_crashed() -> None:
    deep: Any = "x"
    for _ in range(5000):
        deep = [deep]
    assert problems(dcc(extra=deep)) == ["(payload): nested too deeply"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=20)
member = st.sampled_from(["ver", "nam", "dob", "v", "t", "r", "fn", "fnt", "gn", "gnt", "dn", "sd", "sc", "co", "is"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(member, json_values | st.binary(max_size=4) | st.datetimes(), max_size=6),
       st.sampled_from(["1.0.0", "1.1.0", "1.2.1", "1.3.0", "1.3.2", "9.9.9"]))
def test_any_payload_conforms_or_raises_schema_error(payload: dict[str, Any], ver: str) -> None:
    payload.setdefault("ver", ver)
    for candidate in (payload, {**HCERT, **payload}, {**HCERT, "v": [{**HCERT["v"][0], **payload}]}):
        try:
            validate_hcert(candidate)
        except SchemaError as exc:
            assert exc.problems and all(isinstance(p, str) for p in exc.problems)


def test_a_signed_dcc_that_breaks_its_schema_is_malformed_with_its_own_message(
        trust: TrustMaterial, dsc_key: ec.EllipticCurvePrivateKey, dsc_der: bytes) -> None:
    kid = dgcg_kid(dsc_der)
    good = verify_payload(make_dcc(dsc_key, kid), trust=trust, now=NOW)
    assert good.verdict is VerdictKind.VALID and good.checks and good.checks["schema"] is True
    bad = verify_payload(make_dcc(dsc_key, kid, hcert=dcc("1.0.0", dob="1950")), trust=trust, now=NOW)
    assert bad.verdict is VerdictKind.MALFORMED and bad.stage == "schema"
    assert bad.checks == {"signature": True, "schema": False, "key_usage": True, "certificate": True, "time": True}
    assert bad.message == SCHEMA_MESSAGE and "身份证" in bad.message.zh and "ID card" in bad.message.en
    assert bad.alternatives == ("id_card", "staff_paper_proof")  # showing the same code again cannot help
    assert bad.detail == "payload does not conform to the DCC schema: dob: not a form schema 1.0.x allows"
    assert bad.subject is None  # its content is not relied on
    expired = verify_payload(make_dcc(dsc_key, kid, hcert=dcc(nam={"fn": "Chen"}), exp=NOW - dt.timedelta(days=1)),
                             trust=trust, now=NOW)
    assert expired.verdict is VerdictKind.MALFORMED and expired.checks and expired.checks["time"] is False
    two_kinds = verify_payload(make_dcc(dsc_key, kid, hcert=dcc("1.2.1", t=[TEST])), trust=trust, now=NOW)
    assert conforms(dcc("1.2.1", t=[TEST]))  # its schema allows it, a DCC holds one certificate type all the same
    assert two_kinds.verdict is VerdictKind.MALFORMED and two_kinds.stage == "dcc"
    assert two_kinds.message == SCHEMA_MESSAGE and two_kinds.alternatives == ("id_card", "staff_paper_proof")
