"""Helpers to run the EU DCC public test data (tests/data/dcc) through the kiosk's pipeline.

For each file: the payload comes from the 2DCODE PNG (OpenCV + the default decoder) or, without an image, from
PREFIX; the trust list is a DGCG-shaped list holding the file's certificate; the clock is VALIDATIONCLOCK.
Each EXPECTED* flag present is compared with what the corresponding layer of the pipeline reports.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cbor2

from kiosk.codes import dcc, dcc_schema, dcc_semantics, transport
from kiosk.codes.errors import CodeError
from kiosk.codes.trust import TrustMaterial, TrustSet, parse_trust_list, trust_list_entry
from kiosk.codes.verify import DEFAULT_SKEW, verify_payload


def dcc_files(root: Path) -> list[Path]:
    # Folder case varies (IE uses "2DCode/Raw").
    return sorted(p for p in root.rglob("*.json") if "2dcode/raw" in p.as_posix().lower())


def parse_clock(text: str) -> dt.datetime:
    t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def normalise(value: Any) -> Any:
    """CBOR and JSON views of the same DCC compared as JSON values (dates as text, 1.0 == 1)."""
    if isinstance(value, dict):
        return {str(k): normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalise(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _json_equal(cbor_value: Any, json_value: Any) -> bool:
    a, b = normalise(cbor_value), normalise(json_value)
    if a == b:
        return True
    # Datetime strings: CBOR tag 0 decodes to datetime; JSON keeps "...Z" text.
    return json.dumps(a, sort_keys=True).replace("+00:00", "Z") == json.dumps(b, sort_keys=True).replace(
        "+00:00", "Z")


def _hcert_of_cbor(hex_text: str) -> Any:
    try:
        claims = cbor2.loads(bytes.fromhex(hex_text))
    except (cbor2.CBORDecodeError, ValueError, TypeError):
        return None
    if not isinstance(claims, dict):
        return None
    if -260 not in claims:
        return claims  # some countries put the DCC itself in the CBOR field, others the whole CWT
    container = claims[-260]
    hcert = container.get(1) if isinstance(container, dict) else None
    return hcert if isinstance(hcert, dict) else None


@dataclass
class FileResult:
    path: Path
    compared: dict[str, tuple[bool, bool]] = field(default_factory=dict)  # flag → (expected, actual)
    not_applicable: dict[str, str] = field(default_factory=dict)  # flag → reason
    verdict: str = ""
    warned: bool = False  # the end-to-end verdict carries a content warning (`checks["plausible"]` false)


def run_file(path: Path, decoder: str = "pyzbar") -> FileResult:
    import cv2
    import numpy as np

    from kiosk.codes.imaging import decode_image

    data = json.loads(path.read_text(encoding="utf-8"))
    ctx, expected = data["TESTCTX"], data["EXPECTEDRESULTS"]
    res = FileResult(path)
    now = parse_clock(ctx["VALIDATIONCLOCK"])
    cert = base64.b64decode(ctx["CERTIFICATE"])
    keys = parse_trust_list(json.dumps([trust_list_entry(cert, path.parts[-4])]).encode())
    trust = TrustMaterial(dsc=TrustSet(keys))
    prefix_text: str = data.get("PREFIX", "")

    # 1. The payload, as a scanner would read it.
    image_payload: str | None = None
    if data.get("2DCODE"):
        img = cv2.imdecode(np.frombuffer(base64.b64decode(data["2DCODE"]), np.uint8), cv2.IMREAD_COLOR)
        found = decode_image(img, decoder).payloads
        image_payload = found[0] if found else None
    actual: dict[str, bool] = {}
    if data.get("2DCODE"):
        actual["EXPECTEDPICTUREDECODE"] = image_payload == prefix_text
    payload = image_payload if image_payload is not None else prefix_text

    # 2. The end-to-end verdict (must never raise).
    verdict = verify_payload(payload, trust=trust, now=now, skew=DEFAULT_SKEW)
    res.verdict = verdict.verdict.value
    res.warned = (verdict.checks or {}).get("plausible") is False

    # 3. Layer by layer, on the fields each flag names.
    try:
        actual["EXPECTEDUNPREFIX"] = transport.unprefix(prefix_text, dcc.PREFIX) == data.get("BASE45", prefix_text[4:])
    except CodeError:
        actual["EXPECTEDUNPREFIX"] = False
    if "BASE45" in data:
        try:
            got = transport.b45decode(data["BASE45"])
            actual["EXPECTEDB45DECODE"] = "COMPRESSED" not in data or got == bytes.fromhex(data["COMPRESSED"])
        except CodeError:
            actual["EXPECTEDB45DECODE"] = False
    if "COMPRESSED" in data:
        try:
            got = transport.decompress(bytes.fromhex(data["COMPRESSED"]))
            actual["EXPECTEDCOMPRESSION"] = "COSE" not in data or got == bytes.fromhex(data["COSE"])
        except CodeError:
            actual["EXPECTEDCOMPRESSION"] = False
    if "CBOR" in data:
        # The CBOR field holds the CWT claims (the DCC is claim -260 → 1) or, in some files, the DCC itself.
        hcert = _hcert_of_cbor(data["CBOR"])
        actual["EXPECTEDDECODE"] = hcert is not None and ("JSON" not in data or _json_equal(hcert, data["JSON"]))
        if "JSON" in data:
            reencoded = cbor2.loads(cbor2.dumps(data["JSON"]))
            actual["EXPECTEDENCODE"] = hcert is not None and _json_equal(reencoded, hcert)

    # The COSE the scanner's payload carries (or, if its outer layers are broken, the file's COSE field).
    cose_bytes: bytes | None
    try:
        cose_bytes = transport.unwrap(payload, dcc.PREFIX)
    except CodeError:
        cose_bytes = bytes.fromhex(data["COSE"]) if "COSE" in data else None
    try:
        decoded_dcc = dcc.decode_cose(cose_bytes) if cose_bytes is not None else None
    except CodeError:
        decoded_dcc = None
    try:
        chain_dcc = dcc.decode_cose(transport.unwrap(payload, dcc.PREFIX))
        actual["EXPECTEDVALIDJSON"] = "JSON" not in data or _json_equal(chain_dcc.hcert, data["JSON"])
    except CodeError:
        actual["EXPECTEDVALIDJSON"] = False
    checks = (dcc.verify_cose(cose_bytes, trust.dsc, now, DEFAULT_SKEW).checks or {}) if cose_bytes else {}
    actual["EXPECTEDVERIFY"] = bool(checks.get("signature"))
    if "time" in checks:
        actual["EXPECTEDEXPIRATIONCHECK"] = checks["time"]
    elif decoded_dcc is not None:
        actual["EXPECTEDEXPIRATIONCHECK"] = dcc.check_times(decoded_dcc.cwt, now, DEFAULT_SKEW) is None
    else:
        actual["EXPECTEDEXPIRATIONCHECK"] = False
    if "key_usage" in checks:
        actual["EXPECTEDKEYUSAGE"] = checks["key_usage"]
    elif decoded_dcc is not None and decoded_dcc.kind is not None:
        actual["EXPECTEDKEYUSAGE"] = dcc.key_usage_allows(keys[0].certificate, decoded_dcc.kind)
    else:
        actual["EXPECTEDKEYUSAGE"] = False

    # Schema flags (README: "Code Generation" test 1 on the file's JSON, "Code Validation" test 8 on the DCC from
    # the CBOR), both against the eu-dcc-schema release the DCC's `ver` names (or a later one that allows it, as
    # `dcc_schema.validate_hcert` judges). Test 8 is whether the decoded content is sound, so it also takes what the
    # kiosk finds in the content (judged on the VALIDATIONCLOCK's day): its refusals and its warnings.
    if "JSON" in data:
        actual["EXPECTEDVALIDOBJECT"] = dcc_schema.conforms(data["JSON"])
    if "CBOR" in data:
        hcert = _hcert_of_cbor(data["CBOR"])
        day = now.astimezone(dt.UTC).date()
        actual["EXPECTEDSCHEMAVALIDATION"] = hcert is not None and dcc_schema.conforms(hcert) and not \
            dcc_semantics.content_problems(hcert, day) and not dcc_semantics.content_warnings(hcert, day)
    if not data.get("2DCODE"):
        actual["EXPECTEDPICTUREDECODE"] = False  # there is no picture to decode

    for flag, want in expected.items():
        if flag in actual:
            res.compared[flag] = (bool(want), actual[flag])
        else:
            res.not_applicable[flag] = "input field for this flag missing from the file"
    return res


# ---- Defects of the test data itself, each found from the file's own fields (never from the kiosk's verdict) ----

CBOR_JSON = "signed CBOR disagrees with the file's JSON"
CLOCK_BEFORE_IAT = "VALIDATIONCLOCK before the signed iat while every check is expected to pass"
NO_PICTURE = "PICTUREDECODE expected true but the file has no picture"
EVERY_RELEASE = "flag says schema-valid but the DCC breaks a rule of every eu-dcc-schema release"


@dataclass(frozen=True)
class Defect:
    flag: str | None  # the flag it makes wrong; None = no flag, only the "all true → valid" expectation
    reason: str  # one of the four above
    evidence: str  # computed from the file
    waives_verdict: bool = True  # the file is exempt from "every flag true → verdict valid"


def _differences(a: Any, b: Any, path: str = "") -> list[str]:
    a, b = normalise(a), normalise(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b)) for d in _differences(a.get(k), b.get(k), f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in _differences(x, y, f"{path}.{i}")]
    return [] if _json_equal(a, b) else [f"{path.lstrip('.')}: CBOR {a!r}, JSON {b!r}"]


def _iat_of_cose(hex_text: str) -> dt.datetime | None:
    # Read straight from the bytes (COSE_Sign1 array, payload = CWT claims map, claim 6), not through kiosk code.
    try:
        obj = cbor2.loads(bytes.fromhex(hex_text))
        while isinstance(obj, cbor2.CBORTag):  # tag 18, possibly inside a tag-61 wrapper
            obj = obj.value
        claims = cbor2.loads(obj[2])
    except (cbor2.CBORDecodeError, ValueError, TypeError, IndexError, KeyError):
        return None
    return dt.datetime.fromtimestamp(claims[6], dt.UTC) if isinstance(claims, dict) and isinstance(
        claims.get(6), int) else None


def _every_release_breaks(hcert: Any) -> list[str]:
    """Rules present unchanged in every published release 1.0.0-1.3.3 (co pattern [A-Z]{1,10}, dn/sd minimum 1,
    dob pattern starting (19|20)), checked on the values directly."""
    if not isinstance(hcert, dict):
        return []
    out = []
    dob = hcert.get("dob")
    if isinstance(dob, str) and dob[:2] not in ("", "19", "20"):
        out.append(f"dob {dob!r}: every release's pattern starts (19|20) (years 1900-2099)")
    for group in ("v", "t", "r"):
        for i, entry in enumerate(hcert.get(group) or []):
            if not isinstance(entry, dict):
                continue
            if entry.get("co") == "":
                out.append(f"{group}.{i}.co '': every release's pattern [A-Z]{{1,10}} needs a capital letter")
            for dose in ("dn", "sd"):
                if isinstance(entry.get(dose), int) and entry[dose] < 1:
                    out.append(f"{group}.{i}.{dose} {entry[dose]}: every release has minimum 1")
    return out


def data_defects(data: dict[str, Any]) -> list[Defect]:
    """The test-data defects of one file, each with its evidence."""
    expected = data.get("EXPECTEDRESULTS", {})
    out: list[Defect] = []
    if "CBOR" in data and "JSON" in data:
        hcert = _hcert_of_cbor(data["CBOR"])
        diffs = _differences(hcert, data["JSON"]) if hcert is not None else []
        for flag in ("EXPECTEDDECODE", "EXPECTEDVALIDJSON"):
            if diffs and expected.get(flag) is True:
                out.append(Defect(flag, CBOR_JSON, "; ".join(diffs)))
    if "COSE" in data and all(v is True for v in expected.values()) \
            and expected.get("EXPECTEDEXPIRATIONCHECK", True) is True:
        clock, iat = parse_clock(data["TESTCTX"]["VALIDATIONCLOCK"]), _iat_of_cose(data["COSE"])
        if iat is not None and clock < iat:
            flag = "EXPECTEDEXPIRATIONCHECK" if "EXPECTEDEXPIRATIONCHECK" in expected else None
            out.append(Defect(flag, CLOCK_BEFORE_IAT, f"VALIDATIONCLOCK {clock.isoformat()} < iat {iat.isoformat()}"))
    if expected.get("EXPECTEDPICTUREDECODE") is True and not data.get("2DCODE"):
        present = sorted(k for k in data if "2D" in k.upper())
        out.append(Defect("EXPECTEDPICTUREDECODE", NO_PICTURE,
                          f"no 2DCODE field (2D fields present: {present or 'none'})", waives_verdict=False))
    sources = {"EXPECTEDVALIDOBJECT": data.get("JSON"),
               "EXPECTEDSCHEMAVALIDATION": _hcert_of_cbor(data["CBOR"]) if "CBOR" in data else None}
    for flag, hcert in sources.items():
        if expected.get(flag) is True and (broken := _every_release_breaks(hcert)):
            out.append(Defect(flag, EVERY_RELEASE, "; ".join(broken)))
    return out
