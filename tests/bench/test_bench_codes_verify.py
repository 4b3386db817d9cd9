"""Benchmarks: verification time per code (EU DCC ES256 and PS256 from the test data, kiosk-signed KC1),
against decoding alone (base45 + zlib + CBOR, no signature) measured in the same process."""

from __future__ import annotations

import base64
import datetime as dt
import json
import statistics
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.codes import dcc, transport
from kiosk.codes.kiosk_codes import id_digest, new_salt, sign_kiosk_code
from kiosk.codes.trust import (
    TrustMaterial,
    TrustSet,
    hub_key_entry,
    key_id,
    parse_hub_keys,
    parse_trust_list,
    trust_list_entry,
)
from kiosk.codes.verify import verify_payload


def _case(root: Path, rel: str) -> tuple[str, TrustMaterial, dt.datetime]:
    data = json.loads((root / rel).read_text())
    cert = base64.b64decode(data["TESTCTX"]["CERTIFICATE"])
    trust = TrustMaterial(TrustSet(parse_trust_list(json.dumps([trust_list_entry(cert, "XX")]).encode())))
    now = dt.datetime.fromisoformat(data["TESTCTX"]["VALIDATIONCLOCK"].replace("Z", "+00:00"))
    return data["PREFIX"], trust, now if now.tzinfo else now.replace(tzinfo=dt.UTC)


def _median_us(fn: Any, n: int) -> float:
    xs = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        xs.append((time.perf_counter() - t) * 1e6)
    return statistics.median(xs)


def test_verification_time_per_code(benchmark: Any, testdata: Path) -> None:
    n = 5 if benchmark.disabled else 300
    root = testdata / "dcc"
    cases = {"DCC ES256 (common/CO3)": _case(root, "common/2DCode/raw/CO3.json"),
             "DCC PS256 RSA-2048 (common/CO1)": _case(root, "common/2DCode/raw/CO1.json")}
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    salt = new_salt()
    kc1 = sign_kiosk_code({"typ": "proxy_grant", "iss": "hub:bench", "iat": now, "exp": now + dt.timedelta(days=1),
                           "grant_id": "g", "scope": ["*"], "salt": salt,
                           "principal": {"name_masked": "陈**", "id_digest": id_digest(salt, "1")},
                           "agent": {"name_masked": "林**", "id_digest": id_digest(salt, "2")}},
                          key, key_id(key.public_key()))
    hub = TrustSet(parse_hub_keys(json.dumps([hub_key_entry(key.public_key())]).encode()))
    cases["KC1 ES256 proxy grant"] = (kc1, TrustMaterial(hub=hub), now)
    print("\nVerification time per code, µs (median)")
    for name, (payload, trust, at) in cases.items():
        assert verify_payload(payload, trust=trust, now=at).verdict == "valid", name
        prefix = payload[:4]
        decode_only = _median_us(lambda p=payload, x=prefix: dcc.cose.decode_sign1(transport.unwrap(p, x)), n)
        full = _median_us(lambda p=payload, t=trust, a=at: verify_payload(p, trust=t, now=a), n)
        print(f"  {name:34} verify {full:8.0f}   decode only {decode_only:6.0f}   ratio {full / decode_only:5.1f}×")
    payload, trust, at = cases["DCC ES256 (common/CO3)"]
    assert benchmark(verify_payload, payload, trust=trust, now=at).verdict == "valid"
