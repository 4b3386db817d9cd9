"""The hall's health check on a scanned code: it counts only if its kind is one the hall accepts, it verified, it is
unexpired, and its holder is the identified person. Anything else is a plain refusal naming the alternatives.
"""

from __future__ import annotations

import datetime as dt
import hmac
import itertools
import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kiosk.codes.kiosk_codes import id_digest
from kiosk.codes.verdict import CodeFormat, Verdict, VerdictKind
from kiosk.config import HealthCheckConfig
from kiosk.identity.record import IdentityRecord
from kiosk.locale import phrase
from kiosk.messages import Message

# Kinds a code can have for the health check (config `health_check.accepted_kinds`):
#   dcc_vaccination, dcc_test, dcc_recovery  EU DCC by certificate type
#   online                                   an online code the hub verified (e.g. 粤康码 GDHC:)
#   kiosk_certificate:<cert_type>            a hub-signed e-certificate of that type
#   kiosk_proxy_grant, kiosk_appointment     other hub-signed codes (no health proof; listed for completeness)
DEFAULT_ACCEPTED_KINDS = frozenset(HealthCheckConfig().accepted_kinds)  # the config's default
# The health screen's other ways (journey tap keys): staff check the ID card, or a paper proof.
ALTERNATIVES = ("staff_id_check", "paper_proof")


class HealthReason(StrEnum):
    OK = "ok"
    NO_CODE = "no_code"
    NO_PERSON = "no_person"  # nobody identified yet: nothing to compare the holder with
    KIND_NOT_ACCEPTED = "kind_not_accepted"
    NOT_VERIFIED = "not_verified"
    EXPIRED = "expired"
    HOLDER_UNKNOWN = "holder_unknown"  # the code does not say (enough of) whose it is
    HOLDER_MISMATCH = "holder_mismatch"


_ALT = phrase("codes.health_check.other_ways")
_TEXTS = {
    HealthReason.OK: phrase("codes.health_check.health_code_checked_yours"),
    HealthReason.NO_CODE: phrase("codes.health_check.no_code_read"),
    HealthReason.NO_PERSON: phrase("codes.health_check.have_id_card_read"),
    HealthReason.KIND_NOT_ACCEPTED: phrase("codes.health_check.hall_does_not_accept"),
    HealthReason.NOT_VERIFIED: phrase("codes.health_check.code_could_not_verified"),
    HealthReason.EXPIRED: phrase("codes.health_check.code_has_expired_so"),
    HealthReason.HOLDER_UNKNOWN: phrase("codes.health_check.code_does_not_say"),
    HealthReason.HOLDER_MISMATCH: phrase("codes.health_check.code_not_yours_name"),
}


@dataclass(frozen=True)
class HealthOutcome:
    ok: bool
    reason: HealthReason
    message: Message  # plain zh/en; a refusal names the alternatives
    kind: str | None = None  # the code's health-check kind, when known
    alternatives: tuple[str, ...] = ()  # journey tap keys offered instead (empty when ok)


def _outcome(reason: HealthReason, kind: str | None = None) -> HealthOutcome:
    text = _TEXTS[reason]
    if reason is HealthReason.OK:
        return HealthOutcome(True, reason, text, kind)
    said = phrase("codes.health_check.refused_then", refused=text, alternative=_ALT)
    return HealthOutcome(False, reason, said, kind, ALTERNATIVES)


def health_kind(verdict: Verdict) -> str | None:
    """The code's kind in `health_check.accepted_kinds` terms (None: not a kind any hall can accept)."""
    if verdict.format is CodeFormat.DCC:
        return f"dcc_{verdict.kind}" if verdict.kind else None
    if verdict.format is CodeFormat.ONLINE:
        return "online"
    if verdict.format is CodeFormat.KIOSK and verdict.kind:
        if verdict.kind == "certificate":
            cert_type = (verdict.claims or {}).get("cert_type")
            return f"kiosk_certificate:{cert_type}" if isinstance(cert_type, str) else None
        return f"kiosk_{verdict.kind}"
    return None


# --- holder matching -------------------------------------------------------------------------------------------

_NON_LETTERS = re.compile(r"[^A-Z]")
_CJK = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")
_MAX_READINGS = 512  # heteronym combinations tried per name (a 4-character name rarely has more than 50)


def _letters(text: str) -> str:
    """ICAO 9303-style comparison key: diacritics dropped, upper case, only A-Z kept (`<`, spaces, '-' go)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "SS").replace("Æ", "AE").replace("æ", "ae"))
    return _NON_LETTERS.sub("", "".join(c for c in decomposed if not unicodedata.combining(c)).upper())


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _pinyin_readings(han: str) -> set[str]:
    """Every Hanyu Pinyin reading of a Chinese name as ICAO letters (tones dropped; ü written V, U or YU, as
    Chinese passports have used all three), heteronyms included (单 DAN/SHAN, 曾 ZENG/CENG)."""
    from pypinyin import Style, pinyin

    per_char = [sorted({r.upper() for r in readings}) for readings in pinyin(han, style=Style.NORMAL,
                                                                              heteronym=True, errors="ignore")]
    if len(per_char) != len(han):
        return set()
    out: set[str] = set()
    for combo in itertools.islice(itertools.product(*per_char), _MAX_READINGS):
        joined = "".join(combo)
        out.update({joined, joined.replace("V", "U"), joined.replace("V", "YU")})
    return out


def _card_name_keys(person: IdentityRecord) -> set[str]:
    """What the person's name looks like in a code's standardised (Latin) name fields."""
    keys: set[str] = set()
    if person.name_en:
        words = [w for w in re.split(r"[\s,<]+", person.name_en) if w]
        keys.add(_letters("".join(words)))
        if len(words) > 1:  # some documents write the given name first
            keys.add(_letters("".join(words[1:] + words[:1])))
    if person.name and _CJK.match(_plain(person.name)):
        keys.update(_pinyin_readings(_plain(person.name)))
    elif person.name:
        keys.add(_letters(person.name))
    keys.discard("")
    return keys


def _name_matches(subject_names: dict[str, str], display_name: str | None, person: IdentityRecord) -> bool | None:
    """True/False when the code's name can be compared with the card's; None when the code gives no name."""
    family_std, given_std = subject_names.get("fnt", ""), subject_names.get("gnt", "")
    family, given = subject_names.get("fn", ""), subject_names.get("gn", "")
    script = _plain(family + given) or (_plain(display_name) if display_name else "")
    if not (family_std or given_std or script):
        return None
    # 1. Same script as the card (e.g. 陈 + 桂芳 in fn/gn): exact comparison, whitespace ignored.
    if script and person.name and script == _plain(person.name):
        return True
    # 2. Standardised (ICAO) names: family + given letters against the card's Latin name or the Pinyin of its
    #    Chinese name. Compared as one letter sequence, so a compound surname split either way still matches.
    code_key = _letters(family_std + given_std) or _letters(family + given) or _letters(display_name or "")
    return bool(code_key) and code_key in _card_name_keys(person)


def _dob_matches(code_dob: str | None, born: dt.date | None) -> bool | None:
    """Partial DCC dates (1954, 1954-03, 1954-00-00) match on the parts they give; None when the code gives none."""
    if not code_dob:
        return None
    if born is None:
        return False
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", code_dob.strip()[:10])
    if m is None:
        return False
    wanted = (born.year, born.month, born.day)
    return all(int(part) == want for part, want in zip(m.groups(), wanted, strict=True)
               if part is not None and int(part) != 0)


def _digest_matches(holder: Any, salt: Any, person: IdentityRecord) -> bool | None:
    if not isinstance(holder, dict) or not isinstance(holder.get("id_digest"), str) or not isinstance(salt, str):
        return None
    if not person.id_number:
        return False
    return hmac.compare_digest(id_digest(salt, person.id_number), holder["id_digest"])


def holder_matches(verdict: Verdict, person: IdentityRecord) -> bool | None:
    """Is the code's holder this person? By the ID-number digest when the code carries one (kiosk codes), else
    by name and birth date together (DCC, online answers with a subject). None: the code does not say."""
    claims = verdict.claims or {}
    by_digest = _digest_matches(claims.get("holder"), claims.get("salt"), person)
    if by_digest is not None:
        return by_digest
    subject = verdict.subject
    if subject is None:
        return None
    name = _name_matches(subject.names or {}, subject.name, person)
    born = _dob_matches(subject.date_of_birth, person.birth_date)
    if name is None or born is None:
        return None  # name and birth date are needed together
    return name and born


def _expired(verdict: Verdict, today: dt.date) -> bool:
    if verdict.verdict is VerdictKind.EXPIRED:
        return True
    if verdict.expires_at is not None and verdict.expires_at.date() < today:
        return True
    until = (verdict.claims or {}).get("valid_until")  # a kiosk e-certificate's own validity (NumericDate)
    return isinstance(until, int | float) and dt.datetime.fromtimestamp(until, dt.UTC).date() < today


def assess_health_code(verdict: Verdict | None, person: IdentityRecord | None, *, accepted_kinds: Collection[str],
                       today: dt.date) -> HealthOutcome:
    """Does this code pass the hall's health check for `person` (the identified citizen) on `today`?"""
    if verdict is None or verdict.verdict is VerdictKind.NO_CODE:
        return _outcome(HealthReason.NO_CODE)
    kind = health_kind(verdict)
    if kind is None or kind not in accepted_kinds:
        return _outcome(HealthReason.KIND_NOT_ACCEPTED, kind)
    if _expired(verdict, today):
        return _outcome(HealthReason.EXPIRED, kind)
    if not verdict.ok:
        return _outcome(HealthReason.NOT_VERIFIED, kind)
    if person is None:
        return _outcome(HealthReason.NO_PERSON, kind)
    match = holder_matches(verdict, person)
    if match is None:
        return _outcome(HealthReason.HOLDER_UNKNOWN, kind)
    return _outcome(HealthReason.OK if match else HealthReason.HOLDER_MISMATCH, kind)


def assess(verdict: Verdict | None, person: IdentityRecord | None, *, today: dt.date,
           accepted_kinds: Iterable[str] | None = None) -> HealthOutcome:
    """`assess_health_code` with the default kinds when the caller has no configuration at hand."""
    kinds = frozenset(accepted_kinds) if accepted_kinds is not None else DEFAULT_ACCEPTED_KINDS
    return assess_health_code(verdict, person, accepted_kinds=kinds, today=today)
