"""verify_payload: classification, online-only codes through a hub verifier, DCC checks, messages."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.codes import CodeFormat, OnlineUnavailable, OnlineVerifier, Verdict, VerdictKind, verify_payload
from kiosk.codes.classify import classify
from kiosk.codes.trust import TrustMaterial, TrustSet, dgcg_kid, parse_trust_list, trust_list_entry
from kiosk.codes.verdict import MESSAGES, verdict_of
from tests.codes.conftest import HCERT, NOW, make_dcc, make_dsc

EKU_TEST, EKU_VACC = "1.3.6.1.4.1.1847.2021.1.1", "1.3.6.1.4.1.1847.2021.1.2"


@pytest.mark.parametrize(("payload", "fmt"), [
    ("HC1:6BF", CodeFormat.DCC), ("KC1:ABC", CodeFormat.KIOSK), (" HC1:6BF\n", CodeFormat.DCC),
    ("https://health.gd.gov.cn/x?c=123", CodeFormat.ONLINE), ("GDHC:abcdef0123456789", CodeFormat.ONLINE),
    ("CTID:Zm9vYmFyYmF6cXV4", CodeFormat.ONLINE), ("hello", CodeFormat.UNKNOWN), ("", CodeFormat.UNKNOWN),
    ("HC2:6BF", CodeFormat.UNKNOWN), ("http://", CodeFormat.UNKNOWN), ("GDHC:short", CodeFormat.UNKNOWN),
])
def test_classify(payload: str, fmt: CodeFormat) -> None:
    assert classify(payload) is fmt


def test_every_verdict_has_a_message_in_both_languages() -> None:
    for kind in VerdictKind:
        assert MESSAGES[kind].zh and MESSAGES[kind].en, kind


class HubVerifier:
    """Stands in for sync's hub client: the hub and the provincial platforms cannot exist in this test."""

    def __init__(self, answer: Verdict | Exception) -> None:
        self.answer = answer
        self.seen: list[str] = []

    def verify_online(self, payload: str) -> Verdict:
        self.seen.append(payload)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def test_online_codes_go_to_the_hub_or_are_unverifiable_offline(trust: TrustMaterial) -> None:
    url = "https://health.gd.gov.cn/code/abc123"
    v = verify_payload(url, trust=trust, now=NOW)
    assert v.format == "online" and v.verdict == "unverifiable_offline"
    assert "身份证" in v.message.zh and "ID card" in v.message.en  # offers the alternatives
    for exc in (OnlineUnavailable("hub down"), ConnectionError(), TimeoutError()):
        assert verify_payload(url, trust=trust, now=NOW, online=HubVerifier(exc)).verdict == "unverifiable_offline"
    ok = verdict_of(CodeFormat.ONLINE, VerdictKind.VALID, issuer="粤康码")
    hub = HubVerifier(ok)
    assert isinstance(hub, OnlineVerifier)
    assert verify_payload(url, trust=trust, now=NOW, online=hub) is ok and hub.seen == [url]


def test_signed_codes_never_go_online(trust: TrustMaterial, dcc_payload: str) -> None:
    hub = HubVerifier(OnlineUnavailable())
    assert verify_payload(dcc_payload, trust=trust, now=NOW, online=hub).verdict == "valid"
    assert hub.seen == []


def test_valid_dcc_fields(trust: TrustMaterial, dcc_payload: str, dsc_der: bytes) -> None:
    v = verify_payload(dcc_payload, trust=trust, now=NOW)
    assert v.verdict == "valid" and v.kind == "vaccination" and v.issuer == "CN"
    assert v.kid == dgcg_kid(dsc_der)
    assert v.subject is not None and v.subject.name == "Chen Mei" and v.subject.date_of_birth == "1950-01-02"
    out = v.as_json("in.png")
    assert set(out) >= {"input", "found", "format", "verdict", "issuer", "kid", "issued_at", "expires_at",
                        "subject", "message"}
    assert out["kid"] == dgcg_kid(dsc_der).hex() and out["found"] is True
    assert "Chen" not in repr(v.subject)  # masked in logs


def test_dcc_times_and_skew(trust: TrustMaterial, dsc_key: ec.EllipticCurvePrivateKey, dsc_der: bytes) -> None:
    kid = dgcg_kid(dsc_der)
    future = make_dcc(dsc_key, kid, iat=NOW + dt.timedelta(seconds=120))
    assert verify_payload(future, trust=trust, now=NOW).verdict == "valid"  # within the 300 s skew
    assert verify_payload(future, trust=trust, now=NOW, skew=dt.timedelta(0)).verdict == "not_yet_valid"
    expired = make_dcc(dsc_key, kid, iat=NOW - dt.timedelta(days=10), exp=NOW - dt.timedelta(days=1))
    v = verify_payload(expired, trust=trust, now=NOW)
    assert v.verdict == "expired" and v.subject is not None  # authentic: say whose it is


def test_dcc_key_usage_and_certificate_validity(dsc_key: ec.EllipticCurvePrivateKey) -> None:
    test_only = make_dsc(dsc_key, eku=[EKU_TEST])
    trust = TrustMaterial(TrustSet(parse_trust_list(json.dumps([trust_list_entry(test_only, "CN")]).encode())))
    v = verify_payload(make_dcc(dsc_key, dgcg_kid(test_only)), trust=trust, now=NOW)
    assert v.verdict == "unknown_issuer" and v.stage == "key_usage"
    vacc = make_dsc(dsc_key, eku=[EKU_TEST, EKU_VACC])
    trust = TrustMaterial(TrustSet(parse_trust_list(json.dumps([trust_list_entry(vacc, "CN")]).encode())))
    assert verify_payload(make_dcc(dsc_key, dgcg_kid(vacc)), trust=trust, now=NOW).verdict == "valid"
    old = make_dsc(dsc_key, days=10, not_before=NOW - dt.timedelta(days=100))
    trust = TrustMaterial(TrustSet(parse_trust_list(json.dumps([trust_list_entry(old, "CN")]).encode())))
    v = verify_payload(make_dcc(dsc_key, dgcg_kid(old)), trust=trust, now=NOW)
    assert v.verdict == "unknown_issuer" and v.stage == "certificate"


def test_dcc_with_two_certificate_types_is_malformed(trust: TrustMaterial, dsc_key: ec.EllipticCurvePrivateKey,
                                                     dsc_der: bytes) -> None:
    two = {**HCERT, "t": [{"tg": "840539006"}]}
    assert verify_payload(make_dcc(dsc_key, dgcg_kid(dsc_der), hcert=two), trust=trust, now=NOW).verdict == \
        "malformed"


def test_unknown_kid_and_empty_trust(dcc_payload: str) -> None:
    assert verify_payload(dcc_payload, trust=TrustMaterial(), now=NOW).verdict == "unknown_issuer"


def test_naive_clock_is_a_programming_error(trust: TrustMaterial) -> None:
    with pytest.raises(ValueError):
        verify_payload("HC1:", trust=trust, now=dt.datetime(2027, 1, 1))


@pytest.mark.parametrize("payload", ["HC1:", "HC1:%%%", "HC1:" + "A" * 20000, "KC1:", "\x00", "HC1:6BF\x00",
                                     "https://" + "x" * 20000])
def test_odd_input_gives_a_verdict(trust: TrustMaterial, payload: str) -> None:
    v = verify_payload(payload, trust=trust, now=NOW)
    assert v.verdict in {"malformed", "unsupported"}


def test_verdict_json_round_trip_for_hub_answers(trust: TrustMaterial, dcc_payload: str) -> None:
    from kiosk.codes.verdict import verdict_from_json

    v = verify_payload(dcc_payload, trust=trust, now=NOW)
    back = verdict_from_json(json.loads(json.dumps(v.as_json("x"))), fmt=CodeFormat.DCC)
    assert (back.verdict, back.issuer, back.kid, back.issued_at, back.expires_at, back.subject, back.message) == \
        (v.verdict, v.issuer, v.kid, v.issued_at, v.expires_at, v.subject, v.message)
    online = verdict_from_json({"verdict": "valid", "issuer": "粤康码"})
    assert online.format == "online" and online.message == MESSAGES[VerdictKind.VALID]
    for bad in ({"verdict": "great"}, [], {"verdict": "valid", "kid": "zz"}):
        with pytest.raises(ValueError):
            verdict_from_json(bad)


def test_alternatives_offered_when_a_code_cannot_be_accepted(trust: TrustMaterial, dcc_payload: str) -> None:
    assert verify_payload(dcc_payload, trust=trust, now=NOW).alternatives == ()
    offline = verify_payload("https://health.gd.gov.cn/c/1", trust=trust, now=NOW)
    assert offline.alternatives == ("id_card", "staff_paper_proof")
    assert "retry" in verify_payload("HC1:%%", trust=trust, now=NOW).alternatives
