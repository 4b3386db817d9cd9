"""Kiosk-signed `KC1:` codes: each claim set signs and verifies; times, keys, tampering and bad claims."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.codes import transport
from kiosk.codes.kiosk_codes import PREFIX, id_digest, new_salt, sign_kiosk_code
from kiosk.codes.trust import TrustMaterial, TrustSet, hub_key_entry, key_id, parse_hub_keys
from kiosk.codes.verify import verify_payload
from tests.codes.conftest import NOW

PRINCIPAL_ID = "440106195403151232"
AGENT_ID = "44030419910708246X"


def grant(salt: str, **over: Any) -> dict[str, Any]:
    claims = {"typ": "proxy_grant", "iss": "hub:hall-1", "iat": NOW - dt.timedelta(hours=1),
              "exp": NOW + dt.timedelta(days=30), "cti": "grant-1", "grant_id": "grant-1",
              "scope": ["pension_qualification"], "salt": salt,
              "principal": {"name_masked": "陈**", "id_digest": id_digest(salt, PRINCIPAL_ID)},
              "agent": {"name_masked": "林**", "id_digest": id_digest(salt, AGENT_ID)}}
    claims.update(over)
    return claims


def all_types(salt: str) -> list[dict[str, Any]]:
    base = {"iss": "hub:hall-1", "iat": NOW - dt.timedelta(hours=1), "exp": NOW + dt.timedelta(days=1)}
    person = {"name_masked": "陈**", "id_digest": id_digest(salt, PRINCIPAL_ID)}
    return [
        grant(salt),
        {**base, "typ": "certificate", "cert_id": "c-1", "cert_type": "household_register",
         "title": {"zh": "户口簿", "en": "Household register"}, "authority": "公安局", "holder": person, "salt": salt},
        {**base, "typ": "appointment", "appt_id": "a-1", "service_code": "social_insurance_proof",
         "hall_id": "hall-1", "slot_start": int(NOW.timestamp()), "slot_end": int(NOW.timestamp()) + 1800},
    ]


def test_each_claim_set_round_trips(hub_key: ec.EllipticCurvePrivateKey, hub_kid: bytes,
                                    trust: TrustMaterial) -> None:
    salt = new_salt()
    for claims in all_types(salt):
        text = sign_kiosk_code(claims, hub_key, hub_kid)
        assert text.startswith(PREFIX) and len(text) < 1200  # fits a QR code comfortably
        v = verify_payload(text, trust=trust, now=NOW)
        assert v.verdict == "valid", v
        assert v.format == "kiosk" and v.kind == claims["typ"] and v.kid == hub_kid and v.issuer == "hub:hall-1"
        assert v.claims is not None and v.claims["typ"] == claims["typ"]
        json.dumps(v.as_json("x"), ensure_ascii=False)  # JSON-ready


def test_proxy_grant_claims_let_the_kiosk_match_the_card(hub_key: ec.EllipticCurvePrivateKey, hub_kid: bytes,
                                                          trust: TrustMaterial) -> None:
    salt = new_salt()
    v = verify_payload(sign_kiosk_code(grant(salt), hub_key, hub_kid), trust=trust, now=NOW)
    assert v.claims is not None
    assert v.claims["agent"]["id_digest"] == id_digest(v.claims["salt"], AGENT_ID.lower())  # case-insensitive X
    assert v.claims["principal"]["id_digest"] != id_digest(v.claims["salt"], AGENT_ID)
    assert PRINCIPAL_ID not in json.dumps(v.as_json("x"))  # the code never carries the ID number
    assert v.subject is not None and v.subject.name == "陈**"


def test_times(hub_key: ec.EllipticCurvePrivateKey, hub_kid: bytes, trust: TrustMaterial) -> None:
    text = sign_kiosk_code(grant(new_salt(), nbf=NOW + dt.timedelta(days=1)), hub_key, hub_kid)
    assert verify_payload(text, trust=trust, now=NOW).verdict == "not_yet_valid"
    assert verify_payload(text, trust=trust, now=NOW + dt.timedelta(days=2)).verdict == "valid"
    assert verify_payload(text, trust=trust, now=NOW + dt.timedelta(days=31)).verdict == "expired"
    # Within the clock-skew allowance an expired code still passes; beyond it, not.
    exp = NOW + dt.timedelta(days=30)
    assert verify_payload(text, trust=trust, now=exp + dt.timedelta(seconds=200)).verdict == "valid"
    assert verify_payload(text, trust=trust, now=exp + dt.timedelta(seconds=200),
                          skew=dt.timedelta(seconds=60)).verdict == "expired"


def test_unknown_key_tampering_and_stale_keys(hub_key: ec.EllipticCurvePrivateKey, hub_kid: bytes,
                                              trust: TrustMaterial) -> None:
    other = ec.generate_private_key(ec.SECP256R1())
    text = sign_kiosk_code(grant(new_salt()), other, key_id(other.public_key()))
    assert verify_payload(text, trust=trust, now=NOW).verdict == "unknown_issuer"
    # Same kid as the hub's, wrong key: a forgery.
    forged = sign_kiosk_code(grant(new_salt()), other, hub_kid)
    assert verify_payload(forged, trust=trust, now=NOW).verdict == "invalid_signature"
    good = sign_kiosk_code(grant(new_salt()), hub_key, hub_kid)
    stale = TrustMaterial(trust.dsc, TrustSet(trust.hub.keys, fetched_at=NOW - dt.timedelta(hours=73),
                                              max_age=dt.timedelta(hours=72)))
    v = verify_payload(good, trust=stale, now=NOW)
    assert v.verdict == "trust_list_stale" and v.claims is None
    fresh = TrustMaterial(trust.dsc, TrustSet(trust.hub.keys, fetched_at=NOW - dt.timedelta(hours=71),
                                              max_age=dt.timedelta(hours=72)))
    assert verify_payload(good, trust=fresh, now=NOW).verdict == "valid"


def test_retired_hub_key_still_vouches_for_codes_it_signed_in_time(hub_key: ec.EllipticCurvePrivateKey,
                                                                    hub_kid: bytes) -> None:
    body = json.dumps([hub_key_entry(hub_key.public_key(), not_after=NOW - dt.timedelta(days=10))]).encode()
    retired = TrustMaterial(hub=TrustSet(parse_hub_keys(body)))
    old = sign_kiosk_code(grant(new_salt(), iat=NOW - dt.timedelta(days=20)), hub_key, hub_kid)
    assert verify_payload(old, trust=retired, now=NOW).verdict == "valid"
    new = sign_kiosk_code(grant(new_salt()), hub_key, hub_kid)
    assert verify_payload(new, trust=retired, now=NOW).verdict == "unknown_issuer"


@pytest.mark.parametrize("change", [
    {"typ": "voucher"}, {"scope": "all"}, {"extra": 1}, {"principal": {"name_masked": "陈**"}},
    {"agent": {"name_masked": "林**", "id_digest": 5}}, {"iss": ""}, {"exp": NOW - dt.timedelta(days=1)},
])
def test_signer_refuses_claim_sets_the_kiosk_would_not_accept(hub_key: ec.EllipticCurvePrivateKey, hub_kid: bytes,
                                                               change: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        sign_kiosk_code(grant(new_salt(), **change), hub_key, hub_kid)


def test_missing_required_claim_refused(hub_key: ec.EllipticCurvePrivateKey, hub_kid: bytes) -> None:
    claims = grant(new_salt())
    del claims["grant_id"]
    with pytest.raises(ValueError, match="grant_id"):
        sign_kiosk_code(claims, hub_key, hub_kid)


def test_truncated_or_altered_text_is_never_valid(hub_key: ec.EllipticCurvePrivateKey, hub_kid: bytes,
                                                  trust: TrustMaterial) -> None:
    text = sign_kiosk_code(grant(new_salt()), hub_key, hub_kid)
    for bad in (text[:-3], text[:40], text.replace("KC1:", "KC1:0"), PREFIX + transport.wrap(b"\x00", "")[0:]):
        v = verify_payload(bad, trust=trust, now=NOW)
        assert v.verdict in {"malformed", "invalid_signature"}, (bad[:20], v.verdict)
