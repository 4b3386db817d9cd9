"""Kiosk-signed codes (`KC1:`): proxy authorization grants, electronic certificate presentations and appointment
codes, signed by the hub (ES256 COSE_Sign1, CWT claims) and verified offline here. Claim sets: CLAIMS.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.codes import cose, transport
from kiosk.codes.cwt import CTI, EXP, IAT, ISS, KIOSK_CLAIM, NBF, Cwt, decode_cwt, timestamp
from kiosk.codes.dcc import check_times, find_signer
from kiosk.codes.errors import CodeError, malformed
from kiosk.codes.trust import TrustSet
from kiosk.codes.verdict import NO_TRUST_MESSAGE, CodeFormat, Subject, Verdict, VerdictKind, verdict_of

PREFIX = "KC1:"
PERSON_KEYS = {"name_masked": str, "id_digest": str}

# Claim set per code type: claim → type (dict = a person {name_masked, id_digest}, except `title`). Extra claims
# are refused so a typo on the hub side fails loudly instead of producing codes the kiosk silently misreads.
REQUIRED: dict[str, dict[str, Any]] = {
    "proxy_grant": {"grant_id": str, "scope": list, "principal": dict, "agent": dict, "salt": str},
    "certificate": {"cert_id": str, "cert_type": str, "title": dict, "authority": str, "holder": dict, "salt": str},
    "appointment": {"appt_id": str, "service_code": str, "hall_id": str, "slot_start": int, "slot_end": int},
}
OPTIONAL: dict[str, dict[str, Any]] = {
    "proxy_grant": {"note": str},
    "certificate": {"valid_until": int},
    "appointment": {"holder": dict, "salt": str, "ticket_lane": str},
}
CODE_TYPES = frozenset(REQUIRED)
DIGEST_HEX = 8  # 32 bits: enough to tell the right person from a wrong one, too short to recover an ID number


def new_salt() -> str:
    return secrets.token_hex(8)


def id_digest(salt: str, id_number: str) -> str:
    """Short salted digest of an ID number carried in a code, compared with the card read at the kiosk.

    Only 32 bits, on purpose: an ID number has little entropy, so a long digest could be brute-forced back to
    the number; 32 bits still makes a wrong person's match a one-in-four-billion event.
    """
    norm = id_number.strip().upper().encode("utf-8")
    return hashlib.sha256(bytes.fromhex(salt) + norm).hexdigest()[:DIGEST_HEX]


def _check_person(value: Any, name: str) -> None:
    if not isinstance(value, dict) or set(value) != set(PERSON_KEYS) or \
            not all(isinstance(value[k], t) for k, t in PERSON_KEYS.items()):
        raise malformed("claims", f"{name} must be {{name_masked, id_digest}}")


def validate_body(typ: Any, body: dict[Any, Any]) -> None:
    """Check a claim set against CLAIMS.md; raises CodeError(malformed)."""
    if typ not in CODE_TYPES:
        raise malformed("claims", "unknown code type")
    required, optional = REQUIRED[typ], OPTIONAL[typ]
    for key, value in body.items():
        expected = required.get(key) or optional.get(key)
        if expected is None:
            raise malformed("claims", f"unexpected claim {key!r}")
        if not isinstance(value, expected) or isinstance(value, bool):
            raise malformed("claims", f"claim {key!r} has the wrong type")
        if expected is dict and key != "title":
            _check_person(value, key)
    missing = set(required) - set(body)
    if missing:
        raise malformed("claims", f"missing claims {sorted(missing)}")
    if typ == "proxy_grant" and not all(isinstance(s, str) for s in body["scope"]):
        raise malformed("claims", "scope must be a list of item codes")
    title = body.get("title")
    if typ == "certificate" and not (isinstance(title, dict) and isinstance(title.get("zh"), str)
                                     and isinstance(title.get("en"), str)):
        raise malformed("claims", "title must be {zh, en}")


def sign_kiosk_code(claims: dict[str, Any], private_key: ec.EllipticCurvePrivateKey, kid: bytes) -> str:
    """Sign a claim set as a `KC1:` code (COSE_Sign1 ES256 → zlib → base45).

    `claims`: `typ`, `iss`, `iat`, `exp` (aware datetimes or epoch seconds), optional `nbf` and `cti` (text id),
    plus the type's claims from CLAIMS.md. Raises ValueError on a claim set the kiosk would not accept.
    """
    claims = dict(claims)
    std: dict[int, Any] = {}
    try:
        std[ISS] = claims.pop("iss")
        std[IAT] = timestamp(claims.pop("iat"))
        std[EXP] = timestamp(claims.pop("exp"))
    except KeyError as exc:
        raise ValueError(f"missing claim {exc.args[0]}") from None
    if "nbf" in claims:
        std[NBF] = timestamp(claims.pop("nbf"))
    if "cti" in claims:
        std[CTI] = str(claims.pop("cti")).encode("utf-8")
    if not isinstance(std[ISS], str) or not std[ISS]:
        raise ValueError("iss must be non-empty text")
    if std[EXP] <= std[IAT]:
        raise ValueError("exp must be after iat")
    typ = claims.get("typ")
    body = {k: v for k, v in claims.items() if k != "typ"}
    try:
        validate_body(typ, body)
    except CodeError as exc:
        raise ValueError(exc.reason) from None
    std[KIOSK_CLAIM] = {"typ": typ, **body}
    import cbor2  # local: only the signer side (hub) needs to encode

    return transport.wrap(cose.sign_es256(cbor2.dumps(std), private_key, kid), PREFIX)


def _iso(t: dt.datetime | None) -> str | None:
    return t.isoformat() if t else None


def _claims_out(cwt: Cwt, typ: str, body: dict[str, Any]) -> dict[str, Any]:
    cti = cwt.raw.get(CTI)
    return {"typ": typ, "iss": cwt.issuer, "iat": _iso(cwt.issued_at), "nbf": _iso(cwt.not_before),
            "exp": _iso(cwt.expires_at), "cti": cti.decode("utf-8", "replace") if isinstance(cti, bytes) else None,
            **body}


def _subject(typ: str, body: dict[str, Any]) -> Subject | None:
    person = body.get({"proxy_grant": "principal", "certificate": "holder", "appointment": "holder"}[typ])
    return Subject(name=person["name_masked"]) if isinstance(person, dict) else None


def decode_kiosk_cose(data: bytes) -> tuple[cose.Sign1, Cwt, str, dict[str, Any]]:
    sign1 = cose.decode_sign1(data)
    cwt = decode_cwt(sign1.payload)
    claim = cwt.raw.get(KIOSK_CLAIM)
    if not isinstance(claim, dict) or not all(isinstance(k, str) for k in claim):
        raise malformed("claims", "no kiosk claim set")
    body = dict(claim)
    typ = body.pop("typ", None)
    validate_body(typ, body)
    if cwt.issued_at is None or cwt.expires_at is None or not cwt.issuer:
        raise malformed("claims", "iss, iat and exp are required")
    return sign1, cwt, typ, body


def verify_kiosk_code(payload: str, trust: TrustSet, now: dt.datetime, skew: dt.timedelta) -> Verdict:
    fmt = CodeFormat.KIOSK
    try:
        sign1, cwt, typ, body = decode_kiosk_cose(transport.unwrap(payload, PREFIX))
    except CodeError as exc:
        return verdict_of(fmt, exc.verdict, stage=exc.stage, detail=exc.reason)
    fields: dict[str, Any] = {"issuer": cwt.issuer, "kid": sign1.kid, "issued_at": cwt.issued_at,
                              "expires_at": cwt.expires_at, "kind": typ}
    if not trust.stored:
        return verdict_of(fmt, VerdictKind.TRUST_LIST_STALE, stage="trust", detail="no hub keys",
                          message=NO_TRUST_MESSAGE, **fields)
    if trust.is_stale(now):
        return verdict_of(fmt, VerdictKind.TRUST_LIST_STALE, stage="trust", detail="hub keys older than max age",
                          **fields)
    try:
        signer = find_signer(sign1, trust)
    except CodeError as exc:
        return verdict_of(fmt, exc.verdict, stage=exc.stage, detail=exc.reason, **fields)
    # A retired hub key still vouches for codes it signed while it was current.
    assert cwt.issued_at is not None
    if (signer.not_before and cwt.issued_at < signer.not_before - skew) or \
            (signer.not_after and cwt.issued_at > signer.not_after + skew):
        return verdict_of(fmt, VerdictKind.UNKNOWN_ISSUER, stage="certificate",
                          detail="signed outside the hub key's validity", **fields)
    fields["subject"] = _subject(typ, body)
    problem = check_times(cwt, now, skew)
    if problem is not None:
        return verdict_of(fmt, problem.verdict, stage=problem.stage, detail=problem.reason, **fields)
    return verdict_of(fmt, VerdictKind.VALID, claims=_claims_out(cwt, typ, body), **fields)
