"""The outcome of checking one code: format, verdict name, who issued it, validity times, subject and a
plain zh/en message for the citizen. Names and JSON fields are the `kiosk scan --json` contract.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kiosk.identity.masking import mask_name
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
    VerdictKind.VALID: Message("码已核验，真实有效。", "The code is genuine and valid."),
    VerdictKind.INVALID_SIGNATURE: Message("码的签名不正确，可能被改动过，不能使用。请到人工窗口办理。",
                                           "The code's signature is wrong; it may have been altered and cannot be "
                                           "used. Please go to a staffed counter."),
    VerdictKind.EXPIRED: Message("码已过期，请在手机上刷新后重新出示。",
                                 "The code has expired. Please refresh it on your phone and show it again."),
    VerdictKind.NOT_YET_VALID: Message("码还未到生效时间，请稍后再试或到人工窗口办理。",
                                       "The code is not valid yet. Please try later or go to a staffed counter."),
    VerdictKind.UNKNOWN_ISSUER: Message("无法确认发码机构，本机不能认可此码。请到人工窗口办理。",
                                        "The issuer of this code is not known to this kiosk, so it cannot be "
                                        "accepted. Please go to a staffed counter."),
    VerdictKind.MALFORMED: Message("码无法识读，内容不完整或已损坏。请把码放平、调亮屏幕后重试。",
                                   "The code could not be read; it is incomplete or damaged. Hold it flat, turn "
                                   "up the screen brightness and try again."),
    VerdictKind.UNSUPPORTED: Message("本机不支持这种码。请出示身份证，或到人工窗口办理。",
                                     "This kiosk does not support this kind of code. Please use your ID card or go "
                                     "to a staffed counter."),
    VerdictKind.NO_CODE: Message("没有找到二维码。请把码对准扫码窗口。",
                                 "No code was found. Please hold the code in front of the scanner window."),
    VerdictKind.UNVERIFIABLE_OFFLINE: Message("网络暂时不通，此码需要联网核验。"
                                              "请改用身份证，或由工作人员核对纸质证明。",
                                              "The network is down and this code can only be checked online. "
                                              "Please use your ID card, or ask staff to check a paper proof."),
    VerdictKind.TRUST_LIST_STALE: Message("本机的验码信息已过期，暂时无法离线核验。请改用身份证，或联系工作人员。",
                                          "This kiosk's code-checking data is out of date, so it cannot check codes "
                                          "offline now. Please use your ID card or ask staff."),
}


# A signed DCC whose content breaks the DCC format (verdict `malformed`, stage `schema` or `dcc`): showing it again
# won't help.
SCHEMA_MESSAGE = Message("此码的内容不符合欧盟数字新冠证书的格式，本机不能认可。请改用身份证，或到人工窗口办理。",
                         "The content of this certificate does not follow the EU Digital COVID Certificate format, so "
                         "this kiosk cannot accept it. Please use your ID card or go to a staffed counter.")
# The kiosk holds no trust list / hub keys at all (verdict `trust_list_stale`, stage `trust`, detail "no trust list"):
# a fresh install before its first contact with the hub, or `kiosk scan` without a kiosk database.
NO_TRUST_MESSAGE = Message("本机还没有验码信息（信任列表），无法核验此码。请改用身份证，或联系工作人员。",
                           "This kiosk has no code-checking data (no trust list) yet, so it cannot check this code. "
                           "Please use your ID card or ask staff.")
# A signed, well-formed DCC whose content cannot be right (stage `content`: e.g. a birth date in the future).
CONTENT_MESSAGE = Message("此码中的信息有误（例如出生日期不对），本机不能认可。请改用身份证，或到人工窗口办理。",
                          "The details in this certificate cannot be right (for example the date of birth), so this "
                          "kiosk cannot accept it. Please use your ID card or go to a staffed counter.")


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
