"""COSE_Sign1 (RFC 9052) with cbor2 + cryptography directly: decode (tag 18, tag-61 CWT wrapper or untagged),
verify ES256/ES384/ES512 (raw r‖s) and PS256/PS384/PS512, and sign ES256 for kiosk-signed codes.

pycose is not used: 1.1 breaks with cbor2 6, and Sign1 is a few lines on top of cbor2.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from kiosk.codes.errors import CodeError, malformed

TAG_SIGN1 = 18
TAG_CWT = 61
HDR_ALG = 1
HDR_KID = 4

# COSE algorithm ids → (name, hash). ES256 means SHA-256 whatever the curve (some DCC issuers used P-384 keys).
ALGORITHMS: dict[int, tuple[str, type[hashes.HashAlgorithm]]] = {
    -7: ("ES256", hashes.SHA256),
    -35: ("ES384", hashes.SHA384),
    -36: ("ES512", hashes.SHA512),
    -37: ("PS256", hashes.SHA256),
    -38: ("PS384", hashes.SHA384),
    -39: ("PS512", hashes.SHA512),
}
ALG_IDS = {name: alg for alg, (name, _h) in ALGORITHMS.items()}

PublicKey = ec.EllipticCurvePublicKey | rsa.RSAPublicKey


@dataclass(frozen=True)
class Sign1:
    """A decoded COSE_Sign1: the protected header as bytes (signed as is) and as a map."""

    protected_bytes: bytes
    protected: dict[Any, Any]
    unprotected: dict[Any, Any]
    payload: bytes
    signature: bytes

    @property
    def alg(self) -> int | None:
        alg = self.protected.get(HDR_ALG, self.unprotected.get(HDR_ALG))
        return alg if isinstance(alg, int) and not isinstance(alg, bool) else None

    @property
    def kid(self) -> bytes | None:
        """kid from the protected header first, then the unprotected one (hcert spec)."""
        for header in (self.protected, self.unprotected):
            kid = header.get(HDR_KID)
            if isinstance(kid, bytes) and kid:
                return kid
        return None

    @property
    def kid_is_protected(self) -> bool:
        return isinstance(self.protected.get(HDR_KID), bytes)

    def to_be_signed(self) -> bytes:
        return cbor2.dumps(["Signature1", self.protected_bytes, b"", self.payload])


def loads_cbor(data: bytes, stage: str) -> Any:
    """cbor2.loads that maps every failure (including deep nesting) to `malformed`."""
    try:
        return cbor2.loads(data)
    except (cbor2.CBORDecodeError, ValueError, TypeError, OverflowError, RecursionError, MemoryError,
            LookupError, UnicodeError) as exc:
        raise malformed(stage, type(exc).__name__) from None


def decode_sign1(data: bytes) -> Sign1:
    obj = loads_cbor(data, "cose")
    # Unwrap the CWT tag (61) then the COSE_Sign1 tag (18); an untagged array is accepted as Sign1 too.
    if isinstance(obj, cbor2.CBORTag) and obj.tag == TAG_CWT:
        obj = obj.value
    if isinstance(obj, cbor2.CBORTag) and obj.tag == TAG_SIGN1:
        obj = obj.value
    if isinstance(obj, cbor2.CBORTag):
        raise malformed("cose", f"unexpected CBOR tag {obj.tag}")
    if not isinstance(obj, list | tuple) or len(obj) != 4:  # cbor2 6 gives tuples inside tags
        raise malformed("cose", "not a COSE_Sign1 array of four")
    prot_b, unprot, payload, sig = obj
    if not isinstance(prot_b, bytes) or not isinstance(unprot, Mapping) or not isinstance(payload, bytes) \
            or not isinstance(sig, bytes):  # (a map inside a tag comes back as cbor2's FrozenDict)
        raise malformed("cose", "COSE_Sign1 member of the wrong type")
    unprot = dict(unprot)
    prot: Any = {} if prot_b == b"" else loads_cbor(prot_b, "cose")
    if not isinstance(prot, dict):
        raise malformed("cose", "protected header is not a map")
    return Sign1(prot_b, prot, unprot, payload, sig)


def verify_signature(msg: Sign1, key: PublicKey) -> None:
    """Raise `CodeError(invalid_signature)` unless `msg` is signed by `key` with its declared algorithm."""
    alg = msg.alg
    if alg not in ALGORITHMS:
        raise CodeError("invalid_signature", "cose", f"unsupported algorithm {alg}")
    name, hash_cls = ALGORITHMS[alg]
    tbs = msg.to_be_signed()
    try:
        if name.startswith("ES"):
            if not isinstance(key, ec.EllipticCurvePublicKey):
                raise CodeError("invalid_signature", "cose", f"{name} with a non-EC key")
            sig = msg.signature
            if not sig or len(sig) % 2:
                raise CodeError("invalid_signature", "cose", "ECDSA signature of odd length")
            half = len(sig) // 2  # raw r‖s, each half the length (32 for P-256, 48 for P-384)
            der = encode_dss_signature(int.from_bytes(sig[:half], "big"), int.from_bytes(sig[half:], "big"))
            key.verify(der, tbs, ec.ECDSA(hash_cls()))
        else:
            if not isinstance(key, rsa.RSAPublicKey):
                raise CodeError("invalid_signature", "cose", f"{name} with a non-RSA key")
            # PSS salt: COSE says hash length; AUTO also accepts issuers that used the maximum.
            key.verify(msg.signature, tbs, padding.PSS(mgf=padding.MGF1(hash_cls()), salt_length=padding.PSS.AUTO),
                       hash_cls())
    except InvalidSignature:
        raise CodeError("invalid_signature", "cose", "signature does not verify") from None


def sign_es256(payload: bytes, private_key: ec.EllipticCurvePrivateKey, kid: bytes, *, tagged: bool = True) -> bytes:
    """COSE_Sign1 with ES256 (P-256), kid in the protected header, raw r‖s signature."""
    if not isinstance(private_key, ec.EllipticCurvePrivateKey) or private_key.curve.name != "secp256r1":
        raise ValueError("ES256 needs a P-256 private key")
    prot_b = cbor2.dumps({HDR_ALG: ALG_IDS["ES256"], HDR_KID: kid})
    tbs = cbor2.dumps(["Signature1", prot_b, b"", payload])
    r, s = decode_dss_signature(private_key.sign(tbs, ec.ECDSA(hashes.SHA256())))
    sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    arr = [prot_b, {}, payload, sig]
    return cbor2.dumps(cbor2.CBORTag(TAG_SIGN1, arr) if tagged else arr)
