"""COSE_Sign1: ES256 round trip, P-384 keys under ES256, PS256, tags, kid placement, tampering."""

from __future__ import annotations

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from kiosk.codes import cose
from kiosk.codes.errors import CodeError


def _sign_raw(prot: dict, unprot: dict, payload: bytes, sign) -> list:  # type: ignore[type-arg]
    prot_b = cbor2.dumps(prot)
    tbs = cbor2.dumps(["Signature1", prot_b, b"", payload])
    return [prot_b, unprot, payload, sign(tbs)]


def _ecdsa_raw(key: ec.EllipticCurvePrivateKey, size: int):  # type: ignore[no-untyped-def]
    def sign(tbs: bytes) -> bytes:
        r, s = decode_dss_signature(key.sign(tbs, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    return sign


def test_es256_round_trip_and_tamper() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    data = cose.sign_es256(b"hello", key, b"kid12345")
    msg = cose.decode_sign1(data)
    assert msg.kid == b"kid12345" and msg.alg == -7 and msg.payload == b"hello" and len(msg.signature) == 64
    cose.verify_signature(msg, key.public_key())
    tampered = cose.Sign1(msg.protected_bytes, msg.protected, msg.unprotected, b"hellO", msg.signature)
    with pytest.raises(CodeError) as err:
        cose.verify_signature(tampered, key.public_key())
    assert err.value.verdict == "invalid_signature"
    other = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(CodeError):
        cose.verify_signature(msg, other.public_key())


def test_es256_with_a_p384_key_splits_the_signature_at_half() -> None:
    # Some DCC issuers declared ES256 but signed with P-384 keys: r‖s is then 96 bytes, SHA-256 still applies.
    key = ec.generate_private_key(ec.SECP384R1())
    arr = _sign_raw({1: -7, 4: b"k384"}, {}, b"payload", _ecdsa_raw(key, 48))
    msg = cose.decode_sign1(cbor2.dumps(cbor2.CBORTag(18, arr)))
    assert len(msg.signature) == 96
    cose.verify_signature(msg, key.public_key())


def test_ps256_verifies_with_hash_length_salt() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def sign(tbs: bytes) -> bytes:
        return key.sign(tbs, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256())

    arr = _sign_raw({1: -37, 4: b"rsa"}, {}, b"payload", sign)
    msg = cose.decode_sign1(cbor2.dumps(arr))  # untagged is accepted too
    cose.verify_signature(msg, key.public_key())
    with pytest.raises(CodeError):  # ES256 declared, RSA key given
        cose.verify_signature(cose.Sign1(cbor2.dumps({1: -7}), {1: -7}, {}, msg.payload, msg.signature),
                              key.public_key())


def test_cwt_tag_61_wrapper_and_kid_in_unprotected_header() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    arr = _sign_raw({1: -7}, {4: b"unprot"}, b"x", _ecdsa_raw(key, 32))
    msg = cose.decode_sign1(cbor2.dumps(cbor2.CBORTag(61, cbor2.CBORTag(18, arr))))
    assert msg.kid == b"unprot" and not msg.kid_is_protected
    cose.verify_signature(msg, key.public_key())


def test_protected_kid_wins_over_unprotected() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    arr = _sign_raw({1: -7, 4: b"protected"}, {4: b"unprotected"}, b"x", _ecdsa_raw(key, 32))
    assert cose.decode_sign1(cbor2.dumps(arr)).kid == b"protected"


@pytest.mark.parametrize("data", [
    b"", b"\xff", cbor2.dumps([1, 2, 3]), cbor2.dumps(cbor2.CBORTag(99, [b"", {}, b"", b""])),
    cbor2.dumps([b"", {}, "text payload", b""]), cbor2.dumps([cbor2.dumps([1]), {}, b"", b""]),
    cbor2.dumps({"a": 1}),
])
def test_garbage_is_malformed(data: bytes) -> None:
    with pytest.raises(CodeError) as err:
        cose.decode_sign1(data)
    assert err.value.verdict == "malformed"


def test_unsupported_algorithm_is_invalid_signature() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    msg = cose.Sign1(cbor2.dumps({1: -8}), {1: -8}, {}, b"x", b"\x00" * 64)
    with pytest.raises(CodeError) as err:
        cose.verify_signature(msg, key.public_key())
    assert err.value.verdict == "invalid_signature"


def test_sign_refuses_other_curves() -> None:
    with pytest.raises(ValueError):
        cose.sign_es256(b"x", ec.generate_private_key(ec.SECP384R1()), b"k")
