"""EU Digital COVID Certificate (`HC1:`): base45 → zlib → COSE_Sign1 → CWT with the hcert claim; signature by
a DSC from the trust list, the payload's structure against the DCC schema release its `ver` names and its content
against the semantic rules (refusals only where deployed verifiers refuse; the rest are warnings in `checks`), the
DSC's validity and extended key usage, and issued-at/expiry against a clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cryptography import x509

from kiosk.codes import cose, dcc_schema, dcc_semantics, transport
from kiosk.codes.cwt import HCERT, Cwt, decode_cwt
from kiosk.codes.errors import CodeError, malformed
from kiosk.codes.trust import TrustKey, TrustSet
from kiosk.codes.verdict import (
    CONTENT_MESSAGE,
    NO_TRUST_MESSAGE,
    SCHEMA_MESSAGE,
    CodeFormat,
    Subject,
    Verdict,
    VerdictKind,
    verdict_of,
)

PREFIX = "HC1:"
KINDS = {"v": "vaccination", "t": "test", "r": "recovery"}

# hcert spec: extended key usage OIDs that restrict a DSC to certain certificate types (both arcs were used).
_EKU_ARCS = ("1.3.6.1.4.1.1847.2021.1.", "1.3.6.1.4.1.0.1847.2021.1.")
_EKU_KIND = {"1": "test", "2": "vaccination", "3": "recovery"}


@dataclass(frozen=True)
class DecodedDcc:
    sign1: cose.Sign1
    cwt: Cwt
    hcert: dict[Any, Any]
    kind: str | None  # None unless exactly one of v, t, r
    subject: Subject


def hcert_of(cwt: Cwt) -> dict[Any, Any]:
    container = cwt.raw.get(HCERT)
    if not isinstance(container, dict) or not isinstance(container.get(1), dict):
        raise malformed("cwt", "no hcert claim (-260 → 1)")
    claim: dict[Any, Any] = container[1]
    return claim


def kinds_of(hcert: dict[Any, Any]) -> list[str]:
    """The certificate types present (a well-formed DCC has exactly one, as a list)."""
    return [KINDS[k] for k in KINDS if isinstance(hcert.get(k), list | tuple)]


def subject_of(hcert: dict[Any, Any]) -> Subject:
    nam = hcert.get("nam")
    name = None
    names = None
    if isinstance(nam, dict):
        parts = [nam.get("fn") or nam.get("fnt"), nam.get("gn") or nam.get("gnt")]
        name = " ".join(p for p in parts if isinstance(p, str) and p) or None
        names = {k: v for k in ("fn", "fnt", "gn", "gnt") if isinstance(v := nam.get(k), str)}
    dob = hcert.get("dob")
    return Subject(name=name, date_of_birth=str(dob) if dob is not None else None, names=names)


def decode_cose(data: bytes) -> DecodedDcc:
    """COSE bytes → decoded DCC (no signature or time checks). Raises CodeError(malformed)."""
    sign1 = cose.decode_sign1(data)
    cwt = decode_cwt(sign1.payload)
    hcert = hcert_of(cwt)
    kinds = kinds_of(hcert)
    return DecodedDcc(sign1, cwt, hcert, kinds[0] if len(kinds) == 1 else None, subject_of(hcert))


def key_usage_allows(cert: x509.Certificate | None, kind: str) -> bool:
    """A DSC without the hcert EKU OIDs may sign any type; with them, only the listed types."""
    if cert is None:
        return True
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return True
    except ValueError:
        # Some issuers shipped an empty EKU sequence (invalid DER): it lists no hcert OID, so no restriction.
        return True
    allowed = {_EKU_KIND.get(oid.dotted_string[len(arc):]) for oid in eku for arc in _EKU_ARCS
               if oid.dotted_string.startswith(arc)}
    allowed.discard(None)
    return not allowed or kind in allowed


def schema_problem_of(hcert: dict[Any, Any]) -> str | None:
    """None when the payload conforms to the DCC schema release its `ver` names; otherwise what breaks it (the
    release, paths, no values)."""
    try:
        dcc_schema.validate_hcert(hcert)
    except dcc_schema.SchemaError as exc:
        return f"payload does not conform to the DCC schema {exc.release or dcc_schema.NEWEST}: {exc}"
    return None


def content_problem_of(hcert: dict[Any, Any], now: dt.datetime) -> str | None:
    """None unless the payload's content breaks a rule a deployed verifier refuses on (`dcc_semantics`); otherwise
    why (paths, no values)."""
    problems = dcc_semantics.content_problems(hcert, now.astimezone(dt.UTC).date())
    return f"payload content not credible: {'; '.join(problems)}" if problems else None


def content_warning_of(hcert: dict[Any, Any], now: dt.datetime) -> str | None:
    """What looks wrong in the content on the day of `now` (UTC) but no deployed verifier refuses; None if nothing."""
    warnings = dcc_semantics.content_warnings(hcert, now.astimezone(dt.UTC).date())
    return f"content warnings: {'; '.join(warnings)}" if warnings else None


def check_times(cwt: Cwt, now: dt.datetime, skew: dt.timedelta) -> CodeError | None:
    if cwt.issued_at is not None and cwt.issued_at > now + skew:
        return CodeError(VerdictKind.NOT_YET_VALID, "time", "issued in the future")
    if cwt.not_before is not None and cwt.not_before > now + skew:
        return CodeError(VerdictKind.NOT_YET_VALID, "time", "before not-before")
    if cwt.expires_at is not None and cwt.expires_at < now - skew:
        return CodeError(VerdictKind.EXPIRED, "time", "after expiry")
    return None


def find_signer(sign1: cose.Sign1, trust: TrustSet) -> TrustKey:
    """The trust key whose kid matches and whose key verifies the signature (kid collisions are tried in turn)."""
    kid = sign1.kid
    if kid is None:
        raise CodeError(VerdictKind.UNKNOWN_ISSUER, "kid", "no kid in the headers")
    candidates = trust.lookup(kid)
    if not candidates:
        raise CodeError(VerdictKind.UNKNOWN_ISSUER, "kid", "kid not in the trust list")
    last: CodeError | None = None
    for key in candidates:
        try:
            cose.verify_signature(sign1, key.public_key)
            return key
        except CodeError as exc:
            last = exc
    assert last is not None
    raise last


def verify_cose(data: bytes, trust: TrustSet, now: dt.datetime, skew: dt.timedelta) -> Verdict:
    """Verify the COSE bytes of a DCC (the part after base45 and zlib)."""
    fmt = CodeFormat.DCC
    try:
        dcc = decode_cose(data)
    except CodeError as exc:
        return verdict_of(fmt, exc.verdict, stage=exc.stage, detail=exc.reason)
    fields: dict[str, Any] = {"issuer": dcc.cwt.issuer, "kid": dcc.sign1.kid, "issued_at": dcc.cwt.issued_at,
                              "expires_at": dcc.cwt.expires_at, "kind": dcc.kind}
    if not trust.stored:
        return verdict_of(fmt, VerdictKind.TRUST_LIST_STALE, stage="trust", detail="no trust list",
                          message=NO_TRUST_MESSAGE, **fields)
    if trust.is_stale(now):
        return verdict_of(fmt, VerdictKind.TRUST_LIST_STALE, stage="trust", detail="trust list older than max age",
                          **fields)
    try:
        signer = find_signer(dcc.sign1, trust)
    except CodeError as exc:
        return verdict_of(fmt, exc.verdict, stage=exc.stage, detail=exc.reason, **fields)
    if signer.country and not fields["issuer"]:
        fields["issuer"] = signer.country
    if dcc.kind is None:
        return verdict_of(fmt, VerdictKind.MALFORMED, stage="dcc", detail="a DCC holds exactly one of v, t, r",
                          message=SCHEMA_MESSAGE, checks={"signature": True}, **fields)
    # Every check runs (and is reported in `checks`); the verdict names the first failure in this order.
    schema_problem = schema_problem_of(dcc.hcert)
    content_problem = content_problem_of(dcc.hcert, now)
    warning = content_warning_of(dcc.hcert, now)
    usage_ok = key_usage_allows(signer.certificate, dcc.kind)
    cert_ok = not ((signer.not_before and signer.not_before > now + skew)
                   or (signer.not_after and signer.not_after < now - skew))
    problem = check_times(dcc.cwt, now, skew)
    # Structure (the published schema) and content (semantic rules) are judged and reported apart.
    # `plausible` is a warning only: false never refuses (no deployed verifier refuses on those rules).
    checks = {"signature": True, "schema": schema_problem is None, "content": content_problem is None,
              "plausible": warning is None, "key_usage": usage_ok, "certificate": cert_ok, "time": problem is None}
    if schema_problem is not None:  # authentic, but its content breaks the DCC format: nothing in it can be relied on
        return verdict_of(fmt, VerdictKind.MALFORMED, stage="schema", message=SCHEMA_MESSAGE, checks=checks,
                          detail=schema_problem, **fields)
    if content_problem is not None:  # well-formed, but what it says cannot be true (a birth date in the future…)
        return verdict_of(fmt, VerdictKind.MALFORMED, stage="content", message=CONTENT_MESSAGE, checks=checks,
                          detail=content_problem, **fields)
    if not usage_ok:
        return verdict_of(fmt, VerdictKind.UNKNOWN_ISSUER, stage="key_usage", checks=checks,
                          detail=f"signing certificate may not sign {dcc.kind} certificates", **fields)
    if problem is not None:  # authentic but out of date: say whose it is
        return verdict_of(fmt, problem.verdict, stage=problem.stage, detail=problem.reason, subject=dcc.subject,
                          checks=checks, **fields)
    if not cert_ok:
        return verdict_of(fmt, VerdictKind.UNKNOWN_ISSUER, stage="certificate", checks=checks,
                          detail="signing certificate outside its validity", **fields)
    return verdict_of(fmt, VerdictKind.VALID, subject=dcc.subject, checks=checks, detail=warning, **fields)


def verify_dcc(payload: str, trust: TrustSet, now: dt.datetime, skew: dt.timedelta) -> Verdict:
    try:
        data = transport.unwrap(payload, PREFIX)
    except CodeError as exc:
        return verdict_of(CodeFormat.DCC, exc.verdict, stage=exc.stage, detail=exc.reason)
    return verify_cose(data, trust, now, skew)
