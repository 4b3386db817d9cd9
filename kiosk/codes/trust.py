"""Trust material: DSC certificates from a DGCG-shaped trust list (EU DCC) and the hub's public keys
(kiosk-signed codes), each with its fetch time and a maximum age after which offline answers are refused.

Trust list: JSON array of {kid (base64), country, certificateType ("DSC"), rawData (base64 DER certificate)};
other certificate types (CSCA, UPLOAD, …) are ignored. Hub keys: JSON array of {kid (base64), alg ("ES256"),
public_key (base64 SPKI DER), not_after (ISO-8601 or null)} — see CLAIMS.md.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from kiosk.codes.cose import ALG_IDS, PublicKey
from kiosk.locale import phrase
from kiosk.messages import KioskError

MAX_TRUST_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class TrustKey:
    kid: bytes
    public_key: PublicKey = field(repr=False)
    source: str  # "dsc" (trust list certificate) | "hub" (hub signing key)
    country: str | None = None
    certificate: x509.Certificate | None = field(default=None, repr=False)
    not_before: dt.datetime | None = None
    not_after: dt.datetime | None = None
    alg: str | None = None
    issuer: str | None = None  # display name (certificate subject O/CN, or "hub")


@dataclass(frozen=True)
class TrustSet:
    """Keys of one kind plus when they were fetched; `max_age=None` means never stale (an explicit file).
    `stored=False`: the kiosk has no copy at all (never fetched), which codes report as "no trust list"."""

    keys: tuple[TrustKey, ...] = ()
    fetched_at: dt.datetime | None = None
    max_age: dt.timedelta | None = None
    stored: bool = True

    def lookup(self, kid: bytes) -> list[TrustKey]:
        return [k for k in self.keys if k.kid == kid]

    def is_stale(self, now: dt.datetime) -> bool:
        if self.max_age is None:
            return False
        return self.fetched_at is None or now - self.fetched_at > self.max_age

    def judged_at(self, now: dt.datetime) -> TrustSet:
        """The same keys with staleness fixed as of `now` (wall time), for verifying at another time (--at)."""
        if self.max_age is None or not self.stored:
            return self
        if self.is_stale(now):
            return TrustSet(self.keys, fetched_at=None, max_age=self.max_age)
        return TrustSet(self.keys)


@dataclass(frozen=True)
class TrustMaterial:
    dsc: TrustSet = TrustSet()
    hub: TrustSet = TrustSet()


def _bad(what: str, reason: str) -> KioskError:
    return KioskError("trust_material_invalid",
                      phrase("codes.trust.trust_material_invalid", what=what, reason=reason),
                      detail=f"{what}: {reason}")


def _b64(value: Any, what: str, name: str) -> bytes:
    if not isinstance(value, str) or not value:
        raise _bad(what, f"{name} must be a non-empty base64 string")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise _bad(what, f"{name} is not valid base64") from None


def _json_array(body: bytes, what: str) -> list[Any]:
    if len(body) > MAX_TRUST_BYTES:
        raise _bad(what, "file too large")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _bad(what, f"not JSON ({type(exc).__name__})") from None
    if not isinstance(data, list):
        raise _bad(what, "must be a JSON array")
    return data


def dgcg_kid(cert_der: bytes) -> bytes:
    """The DGCG key id of a certificate: the first 8 bytes of SHA-256 over its DER encoding."""
    return hashlib.sha256(cert_der).digest()[:8]


def key_id(public_key: PublicKey) -> bytes:
    """A hub key id: the first 8 bytes of SHA-256 over the SubjectPublicKeyInfo DER."""
    spki = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(spki).digest()[:8]


def _cert_name(cert: x509.Certificate) -> str:
    for oid in (x509.NameOID.ORGANIZATION_NAME, x509.NameOID.COMMON_NAME):
        attrs = cert.subject.get_attributes_for_oid(oid)
        if attrs:
            return str(attrs[0].value)
    return cert.subject.rfc4514_string()


def dsc_key(cert_der: bytes, *, kid: bytes | None = None, country: str | None = None) -> TrustKey:
    """A trust key from a DER certificate (kid defaults to the DGCG kid). Raises ValueError on a bad cert."""
    cert = x509.load_der_x509_certificate(cert_der)
    pub = cert.public_key()
    if not isinstance(pub, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
        raise ValueError("certificate key is neither EC nor RSA")
    return TrustKey(kid=kid or dgcg_kid(cert_der), public_key=pub, source="dsc", country=country, certificate=cert,
                    not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc, issuer=_cert_name(cert))


def parse_trust_list(body: bytes) -> tuple[TrustKey, ...]:
    """Parse a DGCG-shaped trust list; raises KioskError(trust_material_invalid) on any bad entry."""
    what = "trust_list"
    keys: list[TrustKey] = []
    for i, entry in enumerate(_json_array(body, what)):
        if not isinstance(entry, dict):
            raise _bad(what, f"entry {i} is not an object")
        ctype = entry.get("certificateType")
        if not isinstance(ctype, str):
            raise _bad(what, f"entry {i}: certificateType missing")
        if ctype != "DSC":
            continue  # CSCA/UPLOAD/AUTHENTICATION entries are not signing keys
        kid = _b64(entry.get("kid"), what, f"entry {i} kid")
        der = _b64(entry.get("rawData"), what, f"entry {i} rawData")
        country = entry.get("country")
        if country is not None and not isinstance(country, str):
            raise _bad(what, f"entry {i}: country must be text")
        try:
            keys.append(dsc_key(der, kid=kid, country=country))
        except ValueError as exc:
            raise _bad(what, f"entry {i}: certificate unreadable ({str(exc)[:60]})") from None
    return tuple(keys)


def _parse_time(value: Any, what: str, name: str) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _bad(what, f"{name} must be an ISO-8601 string or null")
    try:
        t = dt.datetime.fromisoformat(value)
    except ValueError:
        raise _bad(what, f"{name} is not ISO-8601") from None
    if t.tzinfo is None:
        raise _bad(what, f"{name} needs a time zone")
    return t


def parse_hub_keys(body: bytes) -> tuple[TrustKey, ...]:
    """Parse the hub's public keys JSON; raises KioskError(trust_material_invalid) on any bad entry."""
    what = "hub_keys"
    keys: list[TrustKey] = []
    for i, entry in enumerate(_json_array(body, what)):
        if not isinstance(entry, dict):
            raise _bad(what, f"entry {i} is not an object")
        kid = _b64(entry.get("kid"), what, f"entry {i} kid")
        alg = entry.get("alg")
        if alg not in ALG_IDS:
            raise _bad(what, f"entry {i}: alg must be one of {sorted(ALG_IDS)}")
        spki = _b64(entry.get("public_key"), what, f"entry {i} public_key")
        try:
            pub = serialization.load_der_public_key(spki)
        except (ValueError, TypeError):
            raise _bad(what, f"entry {i}: public_key is not SPKI DER") from None
        if not isinstance(pub, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
            raise _bad(what, f"entry {i}: key is neither EC nor RSA")
        if alg.startswith("ES") != isinstance(pub, ec.EllipticCurvePublicKey):
            raise _bad(what, f"entry {i}: alg {alg} does not fit the key type")
        keys.append(TrustKey(kid=kid, public_key=pub, source="hub", alg=alg, issuer="hub",
                             not_before=_parse_time(entry.get("not_before"), what, f"entry {i} not_before"),
                             not_after=_parse_time(entry.get("not_after"), what, f"entry {i} not_after")))
    return tuple(keys)


def hub_key_entry(public_key: PublicKey, *, kid: bytes | None = None, alg: str = "ES256",
                  not_after: dt.datetime | None = None, not_before: dt.datetime | None = None) -> dict[str, Any]:
    """One entry of the hub-keys JSON (what the hub serves); `parse_hub_keys` reads a list of these."""
    spki = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    entry: dict[str, Any] = {"kid": base64.b64encode(kid or key_id(public_key)).decode("ascii"), "alg": alg,
                             "public_key": base64.b64encode(spki).decode("ascii"),
                             "not_after": not_after.isoformat() if not_after else None}
    if not_before is not None:
        entry["not_before"] = not_before.isoformat()
    return entry


def trust_list_entry(cert_der: bytes, country: str) -> dict[str, str]:
    """One DGCG trust-list entry for a DSC certificate (used for the bundled list and in tests)."""
    return {"kid": base64.b64encode(dgcg_kid(cert_der)).decode("ascii"), "country": country,
            "certificateType": "DSC", "rawData": base64.b64encode(cert_der).decode("ascii")}


def from_files(trust_list: Path | None = None, hub_keys: Path | None = None) -> TrustMaterial:
    """Trust material from explicit files: never stale (the operator chose them)."""
    dsc = parse_trust_list(trust_list.read_bytes()) if trust_list else ()
    hub = parse_hub_keys(hub_keys.read_bytes()) if hub_keys else ()
    return TrustMaterial(TrustSet(dsc), TrustSet(hub))
