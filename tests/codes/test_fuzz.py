"""hypothesis fuzzing of every parser layer: payload text, base45, zlib, CBOR/COSE, CWT — only verdicts or
CodeError come out, never another exception, and nothing altered ever verifies."""

from __future__ import annotations

import contextlib
import zlib

import base45
import cbor2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.codes import cose, transport
from kiosk.codes.cwt import decode_cwt
from kiosk.codes.errors import CodeError
from kiosk.codes.trust import TrustMaterial
from kiosk.codes.verdict import VerdictKind
from kiosk.codes.verify import verify_payload
from tests.codes.conftest import NOW

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

cbor_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats()
    | st.text(max_size=20) | st.binary(max_size=40),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(
        st.integers(-300, 300) | st.text(max_size=5), children, max_size=5)
    | st.builds(cbor2.CBORTag, st.sampled_from([0, 1, 18, 61, 24, 99]), children),
    max_leaves=25,
)
B45_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def _only_code_errors(fn, *args) -> None:  # type: ignore[no-untyped-def]
    with contextlib.suppress(CodeError):
        fn(*args)


@FUZZ
@given(st.text(max_size=300))
def test_any_text_gives_a_verdict(trust: TrustMaterial, text: str) -> None:
    for payload in (text, "HC1:" + text, "KC1:" + text):
        assert isinstance(verify_payload(payload, trust=trust, now=NOW).verdict, VerdictKind)


@FUZZ
@given(st.text(alphabet=B45_ALPHABET, max_size=300))
def test_base45_layer(text: str) -> None:
    _only_code_errors(transport.b45decode, text)
    _only_code_errors(transport.unwrap, "HC1:" + text, "HC1:")


@FUZZ
@given(st.binary(max_size=400))
def test_zlib_and_cose_layers_on_random_bytes(data: bytes) -> None:
    _only_code_errors(transport.decompress, data)
    _only_code_errors(transport.decompress, zlib.compress(data)[: max(1, len(data) // 2)])
    _only_code_errors(cose.decode_sign1, data)
    _only_code_errors(decode_cwt, data)


@FUZZ
@given(cbor_values)
def test_cbor_structures_through_the_whole_pipeline(trust: TrustMaterial, value: object) -> None:
    data = cbor2.dumps(value)
    _only_code_errors(cose.decode_sign1, data)
    _only_code_errors(decode_cwt, data)
    # As a whole COSE_Sign1 whose payload is the random structure, and as the COSE itself.
    wrapped = cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps({1: -7, 4: b"k"}), {}, data, b"\x01" * 64]))
    for cose_bytes in (data, wrapped):
        for prefix in ("HC1:", "KC1:"):
            text = prefix + base45.b45encode(zlib.compress(cose_bytes)).decode()
            v = verify_payload(text, trust=trust, now=NOW)
            assert v.verdict in {VerdictKind.MALFORMED, VerdictKind.UNKNOWN_ISSUER, VerdictKind.INVALID_SIGNATURE}


@FUZZ
@given(st.data())
def test_altered_valid_dcc_never_verifies_different_content(trust: TrustMaterial, dcc_payload: str,
                                                            data: st.DataObject) -> None:
    body = dcc_payload[4:]
    i = data.draw(st.integers(0, len(body) - 1))
    c = data.draw(st.sampled_from(B45_ALPHABET))
    mutated = "HC1:" + body[:i] + c + body[i + 1:]
    v = verify_payload(mutated, trust=trust, now=NOW)
    if v.verdict == VerdictKind.VALID:  # only possible if the signed bytes are unchanged
        a = cose.decode_sign1(transport.unwrap(mutated, "HC1:"))
        b = cose.decode_sign1(transport.unwrap(dcc_payload, "HC1:"))
        assert (a.protected_bytes, a.payload, a.signature) == (b.protected_bytes, b.payload, b.signature)


def test_zip_bomb_is_capped() -> None:
    bomb = zlib.compress(b"\x00" * (10 * 1024 * 1024), 9)
    try:
        transport.decompress(bomb)
    except CodeError as exc:
        assert exc.verdict == "malformed" and "size" in exc.reason
    else:
        raise AssertionError("a 10 MiB stream was decompressed")


def test_deep_nesting_is_malformed() -> None:
    deep = b"\x81" * 100000 + b"\x00"  # 100k nested arrays
    try:
        cose.decode_sign1(deep)
    except CodeError as exc:
        assert exc.verdict == "malformed"
    else:
        raise AssertionError("deeply nested CBOR accepted as COSE")
