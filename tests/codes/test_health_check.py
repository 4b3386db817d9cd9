"""The health-check rule on real signed codes: the hall's accepted kinds, verified, unexpired, and the holder is the
identified person (name + birth date for DCCs, the ID-number digest for kiosk codes); refusals name the alternatives.
No Qt."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.codes.health_check import (
    ALTERNATIVES,
    DEFAULT_ACCEPTED_KINDS,
    HealthReason,
    assess,
    assess_health_code,
    health_kind,
)
from kiosk.codes.kiosk_codes import id_digest, new_salt, sign_kiosk_code
from kiosk.codes.trust import TrustMaterial, dgcg_kid
from kiosk.codes.verdict import CodeFormat, Subject, Verdict, VerdictKind, verdict_of
from kiosk.codes.verify import verify_payload
from kiosk.config import KioskConfig, load_config
from kiosk.identity.record import CardType, IdentityRecord
from tests.codes.conftest import HCERT, NOW, make_dcc

TODAY = NOW.date()
DCC_KINDS = {"dcc_vaccination", "dcc_test", "dcc_recovery"}
CHEN_MEI = IdentityRecord(CardType.RESIDENT, name="陈美", birth_date=dt.date(1950, 1, 2),
                          id_number="44010619500102002X")
LIN = IdentityRecord(CardType.RESIDENT, name="林晓雯", birth_date=dt.date(1991, 7, 8), id_number="44030419910708246X")


def dcc_verdict(dsc_key: ec.EllipticCurvePrivateKey, dsc_der: bytes, trust: TrustMaterial, **changes: Any) -> Verdict:
    hcert = copy.deepcopy(HCERT)
    hcert.update(changes)
    return verify_payload(make_dcc(dsc_key, dgcg_kid(dsc_der), hcert=hcert), trust=trust, now=NOW)


@pytest.fixture
def chen_dcc(dsc_key: ec.EllipticCurvePrivateKey, dsc_der: bytes, trust: TrustMaterial) -> Verdict:
    v = dcc_verdict(dsc_key, dsc_der, trust)
    assert v.ok and v.kind == "vaccination"
    return v


def kiosk_certificate(hub_key: ec.EllipticCurvePrivateKey, hub_kid: bytes, trust: TrustMaterial,
                      holder_id: str, cert_type: str = "health_certificate") -> Verdict:
    salt = new_salt()
    text = sign_kiosk_code({"typ": "certificate", "iss": "hub:h", "iat": NOW - dt.timedelta(hours=1),
                            "exp": NOW + dt.timedelta(days=1), "cert_id": "c-1", "cert_type": cert_type,
                            "title": {"zh": "健康证明", "en": "Health certificate"}, "authority": "卫健委",
                            "holder": {"name_masked": "陈*", "id_digest": id_digest(salt, holder_id)},
                            "salt": salt}, hub_key, hub_kid)
    v = verify_payload(text, trust=trust, now=NOW)
    assert v.ok
    return v


def test_a_valid_code_of_the_identified_person_passes(chen_dcc: Verdict) -> None:
    out = assess_health_code(chen_dcc, CHEN_MEI, accepted_kinds=DCC_KINDS, today=TODAY)
    assert out.ok and out.reason is HealthReason.OK and out.kind == "dcc_vaccination" and out.alternatives == ()
    assert "本人" in out.message.zh


def test_a_valid_code_of_another_person_is_refused(chen_dcc: Verdict) -> None:
    out = assess_health_code(chen_dcc, LIN, accepted_kinds=DCC_KINDS, today=TODAY)
    assert not out.ok and out.reason is HealthReason.HOLDER_MISMATCH
    assert "不是您本人的" in out.message.zh and "not yours" in out.message.en
    assert "工作人员核验身份证" in out.message.zh and "纸质证明" in out.message.zh
    assert "ask staff to check your ID card" in out.message.en and "paper proof" in out.message.en
    assert out.alternatives == ALTERNATIVES == ("staff_id_check", "paper_proof")


def test_same_name_other_birth_date_is_refused(chen_dcc: Verdict) -> None:
    twin = IdentityRecord(CardType.RESIDENT, name="陈美", birth_date=dt.date(1950, 1, 3))
    assert assess_health_code(chen_dcc, twin, accepted_kinds=DCC_KINDS, today=TODAY).reason is \
        HealthReason.HOLDER_MISMATCH


def test_a_kind_the_hall_does_not_accept_is_refused(chen_dcc: Verdict) -> None:
    out = assess_health_code(chen_dcc, CHEN_MEI, accepted_kinds={"online", "dcc_test"}, today=TODAY)
    assert (out.ok, out.reason, out.kind) == (False, HealthReason.KIND_NOT_ACCEPTED, "dcc_vaccination")
    assert "本厅不接受" in out.message.zh and out.alternatives == ALTERNATIVES


def test_unverified_and_expired_codes_are_refused(dsc_key: ec.EllipticCurvePrivateKey, dsc_der: bytes,
                                                  trust: TrustMaterial) -> None:
    expired = verify_payload(make_dcc(dsc_key, dgcg_kid(dsc_der), exp=NOW - dt.timedelta(days=2)), trust=trust,
                             now=NOW)
    assert expired.verdict is VerdictKind.EXPIRED
    assert assess_health_code(expired, CHEN_MEI, accepted_kinds=DCC_KINDS, today=TODAY).reason is \
        HealthReason.EXPIRED
    other_key = ec.generate_private_key(ec.SECP256R1())  # signed by a key the trust list does not hold
    forged = verify_payload(make_dcc(other_key, dgcg_kid(dsc_der)), trust=trust, now=NOW)
    assert not forged.ok
    out = assess_health_code(forged, CHEN_MEI, accepted_kinds=DCC_KINDS, today=TODAY)
    assert out.reason is HealthReason.NOT_VERIFIED and out.alternatives == ALTERNATIVES
    # Valid when scanned, but the hall's day is after its expiry (a verdict held over midnight).
    valid = verify_payload(make_dcc(dsc_key, dgcg_kid(dsc_der), exp=NOW + dt.timedelta(hours=1)), trust=trust,
                           now=NOW)
    assert assess_health_code(valid, CHEN_MEI, accepted_kinds=DCC_KINDS,
                              today=TODAY + dt.timedelta(days=1)).reason is HealthReason.EXPIRED


def test_no_code_and_no_person(chen_dcc: Verdict) -> None:
    assert assess_health_code(None, CHEN_MEI, accepted_kinds=DCC_KINDS, today=TODAY).reason is HealthReason.NO_CODE
    out = assess_health_code(chen_dcc, None, accepted_kinds=DCC_KINDS, today=TODAY)
    assert out.reason is HealthReason.NO_PERSON and not out.ok


def test_kiosk_certificate_matches_by_id_number_digest(hub_key: ec.EllipticCurvePrivateKey, hub_kid: bytes,
                                                       trust: TrustMaterial) -> None:
    kinds = {"kiosk_certificate:health_certificate"}
    mine = kiosk_certificate(hub_key, hub_kid, trust, CHEN_MEI.id_number or "")
    assert health_kind(mine) == "kiosk_certificate:health_certificate"
    assert assess_health_code(mine, CHEN_MEI, accepted_kinds=kinds, today=TODAY).ok
    lower_x = IdentityRecord(CardType.RESIDENT, name="陈美", id_number=(CHEN_MEI.id_number or "").lower())
    assert assess_health_code(mine, lower_x, accepted_kinds=kinds, today=TODAY).ok  # digest is over upper case
    assert assess_health_code(mine, LIN, accepted_kinds=kinds, today=TODAY).reason is HealthReason.HOLDER_MISMATCH
    no_number = IdentityRecord(CardType.BADGE, name="陈美", uid="04a1b2")
    assert assess_health_code(mine, no_number, accepted_kinds=kinds, today=TODAY).reason is \
        HealthReason.HOLDER_MISMATCH
    household = kiosk_certificate(hub_key, hub_kid, trust, CHEN_MEI.id_number or "", "household_register")
    assert assess_health_code(household, CHEN_MEI, accepted_kinds=kinds, today=TODAY).reason is \
        HealthReason.KIND_NOT_ACCEPTED


def test_online_codes_need_the_hub_to_say_whose_they_are() -> None:
    bare = verdict_of(CodeFormat.ONLINE, VerdictKind.VALID, stage="online")
    assert health_kind(bare) == "online"
    assert assess_health_code(bare, CHEN_MEI, accepted_kinds={"online"}, today=TODAY).reason is \
        HealthReason.HOLDER_UNKNOWN
    with_subject = verdict_of(CodeFormat.ONLINE, VerdictKind.VALID, subject=Subject("陈美", "1950-01-02"))
    assert assess_health_code(with_subject, CHEN_MEI, accepted_kinds={"online"}, today=TODAY).ok
    assert assess_health_code(with_subject, LIN, accepted_kinds={"online"}, today=TODAY).reason is \
        HealthReason.HOLDER_MISMATCH
    name_only = verdict_of(CodeFormat.ONLINE, VerdictKind.VALID, subject=Subject("陈美", None))
    assert assess_health_code(name_only, CHEN_MEI, accepted_kinds={"online"}, today=TODAY).reason is \
        HealthReason.HOLDER_UNKNOWN  # name and birth date are needed together


@pytest.mark.parametrize(("nam", "dob", "person", "ok"), [
    # Same script as the card: matches even where the Latin form is not Pinyin (a Cantonese romanisation).
    ({"fn": "陈", "fnt": "CHAN", "gn": "美", "gnt": "MEI"}, "1950-01-02", CHEN_MEI, True),
    ({"fn": "陈", "fnt": "CHAN", "gn": "梅", "gnt": "MUI"}, "1950-01-02", CHEN_MEI, False),
    ({"fn": "Chen", "fnt": "CHEN", "gn": "Mei", "gnt": "MEI"}, "1950", CHEN_MEI, True),  # partial birth date
    ({"fnt": "CHEN", "gnt": "MEI"}, "1950-00-00", CHEN_MEI, True),  # unknown month and day
    ({"fnt": "CHEN", "gnt": "MEI"}, "1950-02", CHEN_MEI, False),
    ({"fnt": "CHENMEI"}, "1950-01-02", CHEN_MEI, True),  # the split of the name does not matter
    ({"fnt": "CHEN", "gnt": "MAI"}, "1950-01-02", CHEN_MEI, False),
    ({"fnt": "SHAN", "gnt": "XIAOLI"}, "1960-05-05",
     IdentityRecord(CardType.RESIDENT, name="单小丽", birth_date=dt.date(1960, 5, 5)), True),  # heteronym 单
    ({"fnt": "DAN", "gnt": "XIAOLI"}, "1960-05-05",
     IdentityRecord(CardType.RESIDENT, name="单小丽", birth_date=dt.date(1960, 5, 5)), True),
    ({"fnt": "LYU", "gnt": "MING"}, "1970-01-01",
     IdentityRecord(CardType.RESIDENT, name="吕明", birth_date=dt.date(1970, 1, 1)), True),  # ü as YU
    ({"fnt": "LV", "gnt": "MING"}, "1970-01-01",
     IdentityRecord(CardType.RESIDENT, name="吕明", birth_date=dt.date(1970, 1, 1)), True),  # ü as V
    ({"fnt": "OUYANG", "gnt": "NA<NA"}, "1980-03-04",
     IdentityRecord(CardType.RESIDENT, name="欧阳娜娜", birth_date=dt.date(1980, 3, 4)), True),  # compound surname
    ({"fn": "Smith", "fnt": "SMITH", "gn": "John", "gnt": "JOHN"}, "1975-06-07",
     IdentityRecord(CardType.FOREIGN_PERMANENT_RESIDENT, name="史密斯", name_en="SMITH JOHN",
                    birth_date=dt.date(1975, 6, 7)), True),  # foreign card: its Latin name
    ({"fn": "Müller", "fnt": "MUELLER", "gn": "Jürgen", "gnt": "JUERGEN"}, "1975-06-07",
     IdentityRecord(CardType.FOREIGN_PERMANENT_RESIDENT, name_en="MUELLER JUERGEN", birth_date=dt.date(1975, 6, 7)),
     True),
    ({"fn": "Smith", "fnt": "SMITH", "gn": "Jane", "gnt": "JANE"}, "1975-06-07",
     IdentityRecord(CardType.FOREIGN_PERMANENT_RESIDENT, name_en="SMITH JOHN", birth_date=dt.date(1975, 6, 7)),
     False),
])
def test_dcc_names_are_compared_standardised(dsc_key: ec.EllipticCurvePrivateKey, dsc_der: bytes,
                                              trust: TrustMaterial, nam: dict[str, str], dob: str,
                                              person: IdentityRecord, ok: bool) -> None:
    v = dcc_verdict(dsc_key, dsc_der, trust, nam=nam, dob=dob)
    assert v.ok, v.detail
    out = assess_health_code(v, person, accepted_kinds=DCC_KINDS, today=TODAY)
    assert out.ok is ok and out.reason is (HealthReason.OK if ok else HealthReason.HOLDER_MISMATCH)


def test_a_dcc_without_birth_date_cannot_be_matched(dsc_key: ec.EllipticCurvePrivateKey, dsc_der: bytes,
                                                     trust: TrustMaterial) -> None:
    v = dcc_verdict(dsc_key, dsc_der, trust, dob="")
    assert v.ok
    assert assess_health_code(v, CHEN_MEI, accepted_kinds=DCC_KINDS, today=TODAY).reason is \
        HealthReason.HOLDER_UNKNOWN


def test_the_demo_dcc_is_the_demo_elders_and_nobody_elses() -> None:
    from drivers.scanner.simulated import load_payloads
    from drivers.simulated import load_cards
    from kiosk.codes import trust_store
    from kiosk.codes.trust import TrustSet, parse_hub_keys, parse_trust_list

    trust = TrustMaterial(TrustSet(parse_trust_list(trust_store.bundled("trust_list"))),
                          TrustSet(parse_hub_keys(trust_store.bundled("hub_keys"))))
    now = dt.datetime(2027, 6, 1, tzinfo=dt.UTC)
    v = verify_payload(load_payloads()[0], trust=trust, now=now)
    cards = [c.record for c in load_cards()]
    results = [assess(v, card, today=now.date()).reason for card in cards]
    assert results[0] is HealthReason.OK  # 陈桂芳 1954-03-15 ↔ CHEN<<GUIFANG 1954-03-15
    assert all(r is HealthReason.HOLDER_MISMATCH for r in results[1:5])


def test_accepted_kinds_come_from_the_config() -> None:
    assert KioskConfig().health_check.accepted_kinds == ["online", "dcc_vaccination", "dcc_test", "dcc_recovery"]
    assert frozenset(KioskConfig().health_check.accepted_kinds) == DEFAULT_ACCEPTED_KINDS
    example = load_config("packaging/kiosk.example.toml")
    assert set(example.health_check.accepted_kinds) == DEFAULT_ACCEPTED_KINDS
    cfg = KioskConfig.model_validate({"health_check": {"accepted_kinds": ["kiosk_certificate:health_certificate"]}})
    assert cfg.health_check.accepted_kinds == ["kiosk_certificate:health_certificate"]
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        KioskConfig.model_validate({"health_check": {"accepted_kinds": ["dcc_vacination"]}})  # a typo is refused
