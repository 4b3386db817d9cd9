"""DCC payload structure: every published eu-dcc-schema release with `jsonschema`, a DCC judged by the release its
`ver` names (or a later one that allows it: refused only when its own and every later release refuse); JSON
Schema semantics (exact types, unanchored ECMA patterns, asserted formats), CBOR-tagged timestamps, problems without
personal data, and the verdict it gives."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.codes import VerdictKind, verify_payload
from kiosk.codes.dcc_schema import RELEASES, SchemaError, conforms, release, release_for, schema, validate_hcert
from kiosk.codes.dcc_semantics import content_problems
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


def test_every_published_release_is_bundled_and_a_dcc_is_judged_by_its_own() -> None:
    names = [name for name, _file in RELEASES]
    assert names == ["1.0.0", "1.0.1", "1.1.0", "1.2.0", "1.2.1", "1.3.0", "1.3.1", "1.3.2", "1.3.3"]
    for name in names:  # each file says which release it is
        assert release(name) == name and schema(name)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert release() == "1.3.3"
    # The release named, else the nearest earlier one (a patch without a file of its own).
    assert {ver: release_for(ver) for ver in ("1.0.0", "1.0.4", "1.2.1", "1.2.9", "1.3.0", "1.3.2", "1.4.0",
                                              "0.9.0", "junk", 1)} == {
        "1.0.0": "1.0.0", "1.0.4": "1.0.1", "1.2.1": "1.2.1", "1.2.9": "1.2.1", "1.3.0": "1.3.0", "1.3.2": "1.3.2",
        "1.4.0": "1.3.3", "0.9.0": "1.0.0", "junk": "1.3.3", 1: "1.3.3"}
    for ver in ("1.0.0", "1.0.4", "1.2.1", "1.3.0", "1.3.2", "1.4.0"):
        assert validate_hcert(dcc(ver)) == release_for(ver)


def test_what_a_later_release_narrowed_is_judged_by_the_dcc_own_release() -> None:
    """1.3.0 allows one vaccination entry; a 1.0.1 or 1.2.1 DCC with two (Romania, Slovakia) is valid by its own."""
    two = vacc() * 2
    assert validate_hcert(dcc("1.0.1", v=two)) == "1.0.1" and validate_hcert(dcc("1.2.1", v=two)) == "1.2.1"
    assert problems(dcc("1.3.0", v=two)) == ["v: maxItems 1"]
    # 1.0.0 wanted a full birth date and 50-character names: a later release allowing more is not held against it.
    assert validate_hcert(dcc("1.0.0", dob="1950")) == "1.1.0"
    assert validate_hcert(dcc("1.0.0", nam={**HCERT["nam"], "fn": "x" * 60})) == "1.3.0"
    # What breaks its own release and every later one is refused, with its own release's words.
    with pytest.raises(SchemaError) as info:
        validate_hcert(dcc("1.0.0", dob="1815-08-24"))
    assert info.value.release == "1.0.0" and info.value.problems == ["dob: pattern"]


@pytest.mark.parametrize("ver", ["1.0", "v1.0.0", "", 1])
def test_versions_that_break_the_ver_pattern_do_not_conform(ver: Any) -> None:
    assert any(p.startswith("ver:") for p in problems(dcc(ver=ver)))  # type: ignore[arg-type]
    without = {k: v for k, v in dcc().items() if k != "ver"}
    assert problems(without) == ["(payload): required member missing: ver"]


@pytest.mark.parametrize(("dob", "ok"), [
    ("1979-04-14", True), ("1963", True), ("1964-01", True), ("1963-00", True),  # partial forms (from 1.1.0)
    ("", True),  # unknown (from 1.3.0)
    ("1815-08-24", False), ("2100-01-01", False),  # 1900-2099 only
    ("2000-02-30", True),  # no `format` on dob since 1.1.0: the calendar is a semantic rule
    ("x1979-04-14", False), ("1979-04-14\n", False),  # ECMA `$` is the very end
])
def test_date_of_birth_forms(dob: str, ok: bool) -> None:
    for ver in ("1.0.0", "1.3.0"):  # a 1.0.0 DCC with a partial date passes: later releases allow it
        assert conforms(dcc(ver, dob=dob)) is ok, (ver, dob)


def test_name_lengths_up_to_80_code_points() -> None:
    for field in ("fn", "gn"):
        assert conforms(dcc("1.0.0", nam={**HCERT["nam"], field: "x" * 80}))
        assert problems(dcc(nam={**HCERT["nam"], field: "x" * 81})) == [f"nam.{field}: maxLength 80"]
    assert conforms(dcc(nam={**HCERT["nam"], "fn": "😀" * 80}))  # code points, not bytes


@pytest.mark.parametrize(("fnt", "ok"), [("DCERVENKOVA<PANKLOVA", True), ("", True), ("Chen", False),
                                         ("CHEN MEI", False), ("CHÉN", False), ("CHEN\n", False)])
def test_transliterated_names_use_icao_characters_only(fnt: str, ok: bool) -> None:
    assert conforms(dcc(nam={**HCERT["nam"], "fnt": fnt})) is ok
    assert conforms(dcc(nam={**HCERT["nam"], "gnt": fnt})) is ok


def test_fnt_or_gnt_is_required() -> None:
    assert conforms(dcc(nam={"gn": "Mei", "gnt": "MEI"})) and conforms(dcc(nam={"fnt": "CHEN"}))
    assert problems(dcc("1.3.2", nam={"fn": "Chen"})) == ["nam: fnt or gnt is required"]
    assert problems(dcc("1.3.0", nam={"fn": "Chen"})) == ["nam: required member missing: fnt"]  # its own words


@pytest.mark.parametrize(("dose", "ok"), [
    (1, True), (9, True), (10, True), (0, False), (-1, False), (2.0, True), (2.5, False), ("2", False),
    (True, False),
])
def test_dose_counts(dose: Any, ok: bool) -> None:
    assert conforms(dcc("1.2.1", v=vacc(dn=dose))) is ok
    assert conforms(dcc("1.3.0", v=vacc(sd=dose))) is ok


def test_certificate_groups() -> None:
    both = {"v": vacc(), "t": [TEST]}
    assert problems(dcc("1.3.0", **both)) == ["(payload): exactly one of v, t, r is required, found 2"]
    # Before 1.3.0 the schema did not say it; the specification did, and verifiers refuse it (a content rule).
    assert conforms(dcc("1.2.1", **both))
    assert content_problems(dcc("1.2.1", **both), dt.date(2027, 3, 1)) == [
        "(payload): exactly one of v, t, r is required, found 2"]
    assert not conforms(dcc(v=None)) and not conforms(dcc(v=vacc() * 2))
    assert problems(dcc(v=[])) == ["v: minItems 1"]
    assert conforms(dcc(v=None, t=[TEST])) and conforms(dcc(v=None, r=[RECOVERY]))


@pytest.mark.parametrize(("entry", "missing"), [(HCERT["v"][0], "dt"), (TEST, "sc"), (RECOVERY, "du")])
def test_required_members_of_each_entry(entry: dict[str, Any], missing: str) -> None:
    group = {"dt": "v", "sc": "t", "du": "r"}[missing]
    partial = {k: v for k, v in entry.items() if k != missing}
    assert problems({**dcc(v=None), group: [partial]}) == [f"{group}.0: required member missing: {missing}"]
    without_issuer = {k: v for k, v in entry.items() if k != "is"}
    assert problems({**dcc(v=None), group: [without_issuer]}) == [f"{group}.0: required member missing: is"]


def test_json_schema_semantics_exact_types_extra_members_and_null() -> None:
    assert conforms(dcc(extra={"anything": [1, None]}, nam={**HCERT["nam"], "xx": None}))  # others are free
    assert problems(dcc(v=vacc(dn="2"))) == ["v.0.dn: type integer"]
    assert problems(dcc(nam={**HCERT["nam"], "gn": None})) == ["nam.gn: type string"]
    assert problems(dcc(v=vacc(co=""))) == ["v.0.co: pattern"]  # [A-Z]{1,10} needs one letter
    assert conforms(dcc(v=vacc(co="xXK")))  # …anywhere: JSON Schema patterns are not anchored
    assert problems(["not", "a", "map"]) == ["(payload): not a map"]


def test_dates_and_times_are_asserted_formats() -> None:
    for good in ("2021-05-01T10:20:30Z", "2021-05-01t10:20:30.123+02:00"):
        assert conforms(dcc(v=None, t=[{**TEST, "sc": good}])), good
    for bad in ("2021-05-01 10:20:30Z", "2021-05-01T10:20:30", "2021-02-30T10:20:30Z", "2021-05-01T24:00:00Z",
                "2021-05-01T10:20:30+2:00", "2021-05-01"):
        assert problems(dcc(v=None, t=[{**TEST, "sc": bad}])) == ["t.0.sc: format date-time"], bad
    assert problems(dcc(v=None, r=[{**RECOVERY, "df": "2021-04"}])) == ["r.0.df: format date"]
    assert problems(dcc(v=vacc(dt="2021-02-29"))) == ["v.0.dt: format date"]
    assert conforms(dcc(v=None, t=[{**TEST, "dr": "yesterday"}]))  # dr left the schema in 1.2.0: free


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
    text = str(SchemaError(problems(dcc(nam={"fn": secret, "fnt": secret.lower()}, dob="1815-01-01"))))
    assert "ZHANGSAN" not in text and "zhangsan" not in text and "1815" not in text
    assert "nam.fn: maxLength 80" in text and "nam.fnt: pattern" in text and "dob: pattern" in text


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


def test_a_signed_dcc_that_breaks_the_schema_is_malformed_with_its_own_message(
        trust: TrustMaterial, dsc_key: ec.EllipticCurvePrivateKey, dsc_der: bytes) -> None:
    kid = dgcg_kid(dsc_der)
    good = verify_payload(make_dcc(dsc_key, kid), trust=trust, now=NOW)
    assert good.verdict is VerdictKind.VALID and good.checks and good.checks["schema"] is True
    partial = verify_payload(make_dcc(dsc_key, kid, hcert=dcc("1.0.0", dob="1950")), trust=trust, now=NOW)
    assert partial.verdict is VerdictKind.VALID  # a 1.0.0 DCC with a birth year only: later releases allow it
    bad = verify_payload(make_dcc(dsc_key, kid, hcert=dcc("1.0.0", dob="1815-01-01")), trust=trust, now=NOW)
    assert bad.verdict is VerdictKind.MALFORMED and bad.stage == "schema"
    assert bad.checks == {"signature": True, "schema": False, "content": True, "plausible": True, "key_usage": True,
                          "certificate": True, "time": True}
    assert bad.message == SCHEMA_MESSAGE and "身份证" in bad.message.zh and "ID card" in bad.message.en
    assert bad.alternatives == ("id_card", "staff_paper_proof")  # showing the same code again cannot help
    assert bad.detail == "payload does not conform to the DCC schema 1.0.0: dob: pattern"  # its own release
    assert bad.subject is None  # its content is not relied on
    expired = verify_payload(make_dcc(dsc_key, kid, hcert=dcc(nam={"fn": "Chen"}), exp=NOW - dt.timedelta(days=1)),
                             trust=trust, now=NOW)
    assert expired.verdict is VerdictKind.MALFORMED and expired.checks and expired.checks["time"] is False
    two_kinds = verify_payload(make_dcc(dsc_key, kid, hcert=dcc("1.2.1", t=[TEST])), trust=trust, now=NOW)
    assert two_kinds.verdict is VerdictKind.MALFORMED and two_kinds.stage == "dcc"
    assert two_kinds.message == SCHEMA_MESSAGE and two_kinds.alternatives == ("id_card", "staff_paper_proof")
