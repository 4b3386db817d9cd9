"""Trust material: parsing the DGCG trust list and the hub keys, storing with fetch time, staleness, nothing trusted
before the first fetch, the demo copy only when installed."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.codes import trust_store
from kiosk.codes.trust import (
    TrustMaterial,
    TrustSet,
    dgcg_kid,
    hub_key_entry,
    parse_hub_keys,
    parse_trust_list,
    trust_list_entry,
)
from kiosk.codes.verdict import NO_TRUST_MESSAGE
from kiosk.codes.verify import verify_payload
from kiosk.config import KioskConfig
from kiosk.messages import KioskError
from tests.codes.conftest import NOW


def test_trust_list_parses_dscs_and_ignores_other_types(dsc_der: bytes) -> None:
    entries = [trust_list_entry(dsc_der, "CN"), {**trust_list_entry(dsc_der, "CN"), "certificateType": "CSCA"},
               {**trust_list_entry(dsc_der, "DE"), "signature": "x", "thumbprint": "y"}]
    keys = parse_trust_list(json.dumps(entries).encode())
    assert [k.country for k in keys] == ["CN", "DE"]
    assert keys[0].kid == dgcg_kid(dsc_der) and keys[0].certificate is not None and keys[0].source == "dsc"


@pytest.mark.parametrize("body", [
    b"", b"not json", b"{}", b"[1]", json.dumps([{"kid": "AAAA", "country": "CN", "rawData": "AAAA"}]).encode(),
    json.dumps([{"kid": "!!!", "country": "CN", "certificateType": "DSC", "rawData": "AAAA"}]).encode(),
    json.dumps([{"kid": "AAAA", "country": "CN", "certificateType": "DSC", "rawData": "AAAA"}]).encode(),
    json.dumps([{"kid": "AAAA", "country": 7, "certificateType": "DSC", "rawData": "AAAA"}]).encode(),
])
def test_bad_trust_lists_are_refused(body: bytes) -> None:
    with pytest.raises(KioskError) as err:
        parse_trust_list(body)
    assert err.value.kind == "trust_material_invalid" and err.value.message.zh


def test_hub_keys_parse_and_validate(hub_key: ec.EllipticCurvePrivateKey) -> None:
    entry = hub_key_entry(hub_key.public_key(), not_after=NOW)
    keys = parse_hub_keys(json.dumps([entry]).encode())
    assert keys[0].alg == "ES256" and keys[0].not_after == NOW and keys[0].source == "hub"
    for bad in ({**entry, "alg": "HS256"}, {**entry, "alg": "PS256"}, {**entry, "public_key": "AAAA"},
                {**entry, "not_after": "yesterday"}, {**entry, "not_after": "2030-01-01T00:00:00"},
                {**entry, "kid": ""}, "entry"):
        with pytest.raises(KioskError):
            parse_hub_keys(json.dumps([bad]).encode())


def test_bundled_copies_parse_and_trust_the_demo_codes() -> None:
    dsc = parse_trust_list(trust_store.bundled(trust_store.TRUST_LIST))
    hub = parse_hub_keys(trust_store.bundled(trust_store.HUB_KEYS))
    assert len(dsc) == 1 and len(hub) == 1
    from drivers.scanner.simulated import load_payloads

    now = dt.datetime(2027, 6, 1, tzinfo=dt.UTC)
    verdicts = [verify_payload(p, trust=TrustMaterial(TrustSet(dsc), TrustSet(hub)), now=now).verdict
                for p in load_payloads()]
    assert verdicts == ["valid", "valid", "valid", "valid", "unverifiable_offline", "unsupported"]


def test_first_start_trusts_nothing_and_stores_nothing(store, data_dir: Path, dcc_payload: str,  # type: ignore[no-untyped-def]
                                                       hub_key, hub_kid: bytes) -> None:
    from kiosk.codes.kiosk_codes import sign_kiosk_code

    cfg = KioskConfig(data_dir=data_dir)
    material = trust_store.load_trust_material(store, cfg, NOW)
    assert store.cache_get("trust_list") is None and store.cache_get("hub_keys") is None
    assert material.dsc.keys == () and not material.dsc.stored and not material.hub.stored
    v = verify_payload(dcc_payload, trust=material, now=NOW)
    assert (v.verdict, v.stage, v.detail) == ("trust_list_stale", "trust", "no trust list")
    assert v.message == NO_TRUST_MESSAGE and "信任列表" in v.message.zh and "no trust list" in v.message.en
    assert v.alternatives == ("id_card", "staff_paper_proof")
    code = sign_kiosk_code({"typ": "appointment", "iss": "hub:h", "iat": NOW, "exp": NOW + dt.timedelta(hours=2),
                            "appt_id": "A1", "service_code": "S1", "hall_id": "h", "slot_start": int(NOW.timestamp()),
                            "slot_end": int(NOW.timestamp()) + 3600}, hub_key, hub_kid)
    k = verify_payload(code, trust=material, now=NOW)
    assert (k.verdict, k.detail, k.message) == ("trust_list_stale", "no hub keys", NO_TRUST_MESSAGE)


def test_demo_trust_is_installed_only_when_asked_and_then_ages(store, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from drivers.scanner.simulated import load_payloads

    cfg = KioskConfig(data_dir=data_dir)
    demo_now = dt.datetime(2027, 6, 1, tzinfo=dt.UTC)
    before = trust_store.load_trust_material(store, cfg, demo_now)
    assert [verify_payload(p, trust=before, now=demo_now).verdict for p in load_payloads()][:4] == \
        ["trust_list_stale"] * 4  # the demo codes mean nothing to a kiosk that was not told to trust the demo
    assert trust_store.install_demo_trust(store, now=NOW) == ["trust_list", "hub_keys"]
    material = trust_store.load_trust_material(store, cfg, NOW)
    assert material.dsc.fetched_at == NOW and len(material.dsc.keys) == 1 and len(material.hub.keys) == 1
    assert not material.dsc.is_stale(NOW + dt.timedelta(hours=71))
    assert material.dsc.is_stale(NOW + dt.timedelta(hours=73))
    # Installing again keeps what is stored (e.g. a list the demo's hub sent since), and the age.
    assert trust_store.install_demo_trust(store, now=NOW + dt.timedelta(hours=10)) == []
    again = trust_store.load_trust_material(store, cfg, NOW + dt.timedelta(hours=10))
    assert again.dsc.fetched_at == NOW
    assert trust_store.age(store, "trust_list", NOW + dt.timedelta(hours=5)) == dt.timedelta(hours=5)


def test_stale_trust_list_gives_trust_list_stale_then_a_fresh_fetch_fixes_it(
        store, data_dir: Path, dsc_der: bytes, dcc_payload: str) -> None:  # type: ignore[no-untyped-def]
    cfg = KioskConfig(data_dir=data_dir)
    body = json.dumps([trust_list_entry(dsc_der, "CN")]).encode()
    trust_store.save(store, "trust_list", body, fetched_at=NOW - dt.timedelta(hours=100))
    v = verify_payload(dcc_payload, trust=trust_store.load_trust_material(store, cfg, NOW), now=NOW)
    assert v.verdict == "trust_list_stale" and v.subject is None
    assert "身份证" in v.message.zh
    trust_store.save(store, "trust_list", body, fetched_at=NOW - dt.timedelta(hours=1))
    v = verify_payload(dcc_payload, trust=trust_store.load_trust_material(store, cfg, NOW), now=NOW)
    assert v.verdict == "valid"


def test_max_age_comes_from_config(store, data_dir: Path, dsc_der: bytes,  # type: ignore[no-untyped-def]
                                   dcc_payload: str) -> None:
    cfg = KioskConfig.model_validate({"data_dir": str(data_dir), "codes": {"trust_list_max_age_hours": 2}})
    trust_store.save(store, "trust_list", json.dumps([trust_list_entry(dsc_der, "CN")]).encode(),
                     fetched_at=NOW - dt.timedelta(hours=3))
    assert verify_payload(dcc_payload, trust=trust_store.load_trust_material(store, cfg, NOW),
                          now=NOW).verdict == "trust_list_stale"


def test_a_bad_download_keeps_the_old_copy(store, data_dir: Path, dsc_der: bytes) -> None:  # type: ignore[no-untyped-def]
    good = json.dumps([trust_list_entry(dsc_der, "CN")]).encode()
    trust_store.save(store, "trust_list", good, fetched_at=NOW)
    with pytest.raises(KioskError):
        trust_store.save(store, "trust_list", b"[{\"garbage\": true}]")
    assert bytes(store.cache_get("trust_list")["body"]) == good


def test_damaged_stored_copy_is_treated_as_stale(store, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    store.cache_put("trust_list", b"\x00 damaged", fetched_at=NOW.isoformat())
    material = trust_store.load_trust_material(store, KioskConfig(data_dir=data_dir), NOW)
    assert material.dsc.keys == () and material.dsc.is_stale(NOW)


def test_configured_trust_list_file_seeds_the_store_on_first_start(store, data_dir: Path, tmp_path: Path,
                                                                dsc_der: bytes) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "tl.json"
    f.write_text(json.dumps([trust_list_entry(dsc_der, "HK")]))
    cfg = KioskConfig.model_validate({"data_dir": str(data_dir), "codes": {"trust_list_file": str(f)}})
    material = trust_store.load_trust_material(store, cfg, NOW)
    assert [k.country for k in material.dsc.keys] == ["HK"]
    assert base64.b64decode(json.loads(bytes(store.cache_get("trust_list")["body"]))[0]["rawData"]) == dsc_der
