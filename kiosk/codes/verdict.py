"""The outcome of checking one code: format, verdict name, who issued it, validity times, subject and a
plain zh/en message for the citizen. Names and JSON fields are the `kiosk scan --json` contract.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kiosk.identity.masking import mask_name
from kiosk.locale import phrase
from kiosk.messages import Message


class CodeFormat(StrEnum):
    DCC = "dcc"
    KIOSK = "kiosk"
    ONLINE = "online"
    UNKNOWN = "unknown"


class VerdictKind(StrEnum):
    VALID = "valid"
    INVALID_SIGNATURE = "invalid_signature"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    UNKNOWN_ISSUER = "unknown_issuer"
    MALFORMED = "malformed"
    UNSUPPORTED = "unsupported"
    NO_CODE = "no_code"
    UNVERIFIABLE_OFFLINE = "unverifiable_offline"
    TRUST_LIST_STALE = "trust_list_stale"


MESSAGES: dict[VerdictKind, Message] = {
    VerdictKind.VALID: phrase("codes.verdict.code_genuine_valid"),
    VerdictKind.INVALID_SIGNATURE: phrase("codes.verdict.codes_signature_wrong_may"),
    VerdictKind.EXPIRED: phrase("codes.verdict.code_has_expired_refresh"),
    VerdictKind.NOT_YET_VALID: phrase("codes.verdict.code_not_valid_yet"),
    VerdictKind.UNKNOWN_ISSUER: phrase("codes.verdict.issuer_code_not_known"),
    VerdictKind.MALFORMED: phrase("codes.verdict.code_could_not_read"),
    VerdictKind.UNSUPPORTED: phrase("codes.verdict.kiosk_does_not_support"),
    VerdictKind.NO_CODE: phrase("codes.verdict.no_code_found_hold"),
    VerdictKind.UNVERIFIABLE_OFFLINE: phrase("codes.verdict.network_down_code_can"),
    VerdictKind.TRUST_LIST_STALE: phrase("codes.verdict.kiosks_code_checking_data"),
}


# A signed DCC whose content breaks the DCC format (verdict `malformed`, stage `schema` or `dcc`): showing it again
# won't help.
SCHEMA_MESSAGE = phrase("codes.verdict.schema_message")
# The kiosk holds no trust list / hub keys at all (verdict `trust_list_stale`, stage `trust`, detail "no trust list"):
# a fresh install before its first contact with the hub, or `kiosk scan` without a kiosk database.
NO_TRUST_MESSAGE = phrase("codes.verdict.no_trust_message")
# A signed, well-formed DCC whose content cannot be right (stage `content`: e.g. a birth date in the future).
CONTENT_MESSAGE = phrase("codes.verdict.content_message")


@dataclass(frozen=True)
class Subject:
    """Whom the code is about, as far as the code says (DCC: name and date of birth). `names` keeps a DCC's name
    parts as the code gives them (`fn`, `fnt`, `gn`, `gnt`) for holder matching; never printed or serialised."""

    name: str | None = None
    date_of_birth: str | None = None
    names: dict[str, str] | None = field(default=None, repr=False, compare=False)

    def as_dict(self) -> dict[str, str | None]:
        return {"name": self.name, "date_of_birth": self.date_of_birth}

    def __repr__(self) -> str:  # personal data: masked in logs and tracebacks
        return f"Subject(name={mask_name(self.name or '')!r}, date_of_birth={'****' if self.date_of_birth else None})"


def _iso(t: dt.datetime | None) -> str | None:
    return t.isoformat() if t is not None else None


@dataclass(frozen=True)
class Verdict:
    format: CodeFormat
    verdict: VerdictKind
    message: Message
    issuer: str | None = None
    kid: bytes | None = None
    issued_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None
    subject: Subject | None = None
    kind: str | None = None  # DCC: vaccination | test | recovery; kiosk: proxy_grant | certificate | appointment
    claims: dict[str, Any] | None = field(default=None, repr=False)  # kiosk codes: the decoded claim set
    checks: dict[str, bool] | None = None  # after decoding: signature, schema, key_usage, certificate, time
    stage: str | None = None  # the layer that failed: prefix, base45, zlib, cose, cwt, kid, signature, …
    detail: str | None = None  # for technicians and logs; never personal data

    @property
    def ok(self) -> bool:
        return self.verdict is VerdictKind.VALID

    @property
    def alternatives(self) -> tuple[str, ...]:
        """What the screen offers instead when the code cannot be accepted: `id_card` (read the ID card),
        `staff_paper_proof` (staff attest a paper proof), `retry` (show the code again)."""
        if self.ok:
            return ()
        if self.verdict is VerdictKind.MALFORMED and self.stage in ("schema", "content", "dcc"):  # signed, wrong
            return ("id_card", "staff_paper_proof")
        if self.verdict in (VerdictKind.MALFORMED, VerdictKind.NO_CODE, VerdictKind.EXPIRED):
            return ("retry", "id_card", "staff_paper_proof")
        return ("id_card", "staff_paper_proof")

    def as_json(self, input_name: str | None = None, *, found: bool = True) -> dict[str, Any]:
        """The `kiosk scan --json` object (one per input)."""
        out: dict[str, Any] = {
            "input": input_name,
            "found": found,
            "format": self.format.value,
            "verdict": self.verdict.value,
            "issuer": self.issuer,
            "kid": self.kid.hex() if self.kid is not None else None,
            "issued_at": _iso(self.issued_at),
            "expires_at": _iso(self.expires_at),
            "subject": self.subject.as_dict() if self.subject else None,
            "message": self.message.as_dict(),
        }
        if self.kind is not None:
            out["kind"] = self.kind
        if self.claims is not None:
            out["claims"] = self.claims
        if self.checks is not None:
            out["checks"] = self.checks
        if self.stage is not None:
            out["stage"] = self.stage
        if self.detail is not None:
            out["detail"] = self.detail
        return out


def verdict_of(fmt: CodeFormat, name: VerdictKind | str, /, *, message: Message | None = None,
               **fields: Any) -> Verdict:
    verdict = VerdictKind(name)
    return Verdict(fmt, verdict, message or MESSAGES[verdict], **fields)


def no_code() -> Verdict:
    return verdict_of(CodeFormat.UNKNOWN, VerdictKind.NO_CODE)


def _time_or_none(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        t = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def verdict_from_json(data: Any, *, fmt: CodeFormat = CodeFormat.ONLINE) -> Verdict:
    """A Verdict from a JSON object shaped like `Verdict.as_json` (e.g. the hub's answer for an online code).

    Unknown verdict names or a bad shape raise ValueError; a missing message gets the standard one.
    """
    if not isinstance(data, dict):
        raise ValueError("verdict must be a JSON object")
    kind = VerdictKind(str(data.get("verdict")))
    msg = data.get("message")
    message = Message(str(msg["zh"]), str(msg["en"])) if isinstance(msg, dict) and {"zh", "en"} <= set(msg) \
        else MESSAGES[kind]
    subj = data.get("subject")
    subject = Subject(name=subj.get("name"), date_of_birth=subj.get("date_of_birth")) if isinstance(subj, dict) \
        else None
    kid_hex = data.get("kid")
    kid = bytes.fromhex(kid_hex) if isinstance(kid_hex, str) else None
    issuer = data.get("issuer")
    return Verdict(fmt, kind, message, issuer=issuer if isinstance(issuer, str) else None, kid=kid,
                   issued_at=_time_or_none(data.get("issued_at")), expires_at=_time_or_none(data.get("expires_at")),
                   subject=subject, kind=data.get("kind") if isinstance(data.get("kind"), str) else None,
                   claims=data.get("claims") if isinstance(data.get("claims"), dict) else None)
