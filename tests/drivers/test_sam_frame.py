"""GA 467 frame codec and text-block decoder: known frames, resynchronisation, random input (hypothesis)."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers import sam_frame as sf
from drivers.errors import MESSAGES, ReaderError
from drivers.textblock import TEXT_LEN, decode_text_block, encode_text_block, ethnicity_table
from kiosk.identity.record import LONG_TERM, CardType, IdentityRecord, Sex


def test_command_frames_match_the_protocol_bytes() -> None:
    # find card: LEN 00 03 covers 20 01 + checksum; checksum = 00^03^20^01 = 22
    assert sf.encode_command(sf.FIND_CARD) == bytes.fromhex("AAAAAA9669 0003 2001 22")
    assert sf.encode_command(sf.SAM_STATUS) == bytes.fromhex("AAAAAA9669 0003 11FF ED")
    assert sf.encode_command(sf.READ_TEXT_PHOTO) == bytes.fromhex("AAAAAA9669 0003 3001 32")


def test_answer_roundtrip_and_every_status_word_has_a_message() -> None:
    frame = sf.encode_frame(bytes([0, 0, 0x9F]) + bytes(4))
    ans = sf.decode_answer(frame)
    assert ans.ok and ans.sw3 == 0x9F and ans.data == bytes(4)
    for sw3, kind in sf.SW3_KINDS.items():
        err = sf.Answer(0, 0, sw3, b"").error()
        assert err.kind == kind and kind in MESSAGES
    assert sf.Answer(0, 0, 0x77, b"").error().kind == "unknown_error"


def test_read_answer_is_1295_bytes() -> None:
    body = bytes([0, 0, 0x90]) + (256).to_bytes(2, "big") + (1024).to_bytes(2, "big") + bytes(1280)
    assert len(sf.encode_frame(body)) == 1295


def test_bad_checksum_and_bad_length_raise_reader_errors() -> None:
    frame = bytearray(sf.encode_frame(bytes([0, 0, 0x90])))
    frame[-1] ^= 1
    with pytest.raises(ReaderError) as exc:
        sf.decode_answer(bytes(frame))
    assert exc.value.kind == "frame_checksum"
    with pytest.raises(ReaderError) as exc:
        sf.decode_answer(sf.encode_frame(bytes([0, 0, 0x90]))[:-1])
    assert exc.value.kind == "frame_invalid"


def test_scanner_resynchronises_after_garbage_and_split_reads() -> None:
    a = sf.encode_frame(bytes([0, 0, 0x90, 1, 2, 3]))
    b = sf.encode_frame(bytes([0, 0, 0x80]))
    stream = b"\x12\xaa\xaa\xaa\x96\x69\xff\xff" + a + b"\xaa\xaa" + b  # a fake preamble with an absurd length
    scanner = sf.FrameScanner()
    frames = []
    for i in range(len(stream)):  # one byte at a time, the worst split
        got = scanner.feed(stream[i:i + 1])
        if got is not None:
            frames.append(bytes(got))
    assert frames == [a, b]


_framed = st.builds(lambda n, body: sf.PREAMBLE + n.to_bytes(2, "big") + body,
                    st.integers(0, 70), st.binary(max_size=80))  # preamble present, length and body random


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.binary(max_size=2000), _framed))
def test_random_bytes_raise_only_reader_errors(data: bytes) -> None:
    with contextlib.suppress(ReaderError):
        sf.decode_answer(data)
    scanner = sf.FrameScanner()
    with contextlib.suppress(ReaderError):
        got = scanner.feed(data)
        if got is not None:
            sf.decode_answer(got)


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=TEXT_LEN, max_size=TEXT_LEN), st.sampled_from([" ", "J", "I", "Y"]))
def test_random_text_blocks_raise_only_reader_errors(data: bytes, flag: str) -> None:
    block = bytearray(data)
    block[248:250] = flag.encode("utf-16-le")
    try:
        decode_text_block(bytes(block))
    except ReaderError as exc:
        assert exc.kind in ("card_data_invalid", "unknown_card_type")


def test_ethnicity_table_is_gbt3304() -> None:
    table = ethnicity_table()
    assert table["01"] == "汉" and table["56"] == "基诺" and table["97"] == "其他"
    assert len(table) == 58


def test_resident_text_block_fields() -> None:
    rec = IdentityRecord(CardType.RESIDENT, name="林晓雯", sex=Sex.FEMALE, ethnicity="壮",
                         birth_date=dt.date(1991, 7, 8), address="广东省深圳市南山区演示街88号",
                         id_number="44030419910708246X", issuer="深圳市公安局南山分局",
                         valid_from=dt.date(2021, 9, 1), valid_until=LONG_TERM)
    block = encode_text_block(rec)
    assert block[32:36].decode("utf-16-le") == "08"  # GB/T 3304 code of 壮
    assert block[204:208].decode("utf-16-le") == "长期"
    out = decode_text_block(block)
    assert out.to_json_dict() == rec.to_json_dict()
    assert out.to_json_dict()["valid_until"] == "long_term" and out.id_number_valid


def test_bad_field_values_are_card_data_invalid() -> None:
    rec = IdentityRecord(CardType.RESIDENT, name="甲", sex=Sex.MALE, ethnicity="汉", birth_date=dt.date(1990, 1, 1))
    block = bytearray(encode_text_block(rec))
    block[36:52] = "19901332".encode("utf-16-le")  # 13th month
    with pytest.raises(ReaderError) as exc:
        decode_text_block(bytes(block))
    assert exc.value.kind == "card_data_invalid"
    block = bytearray(encode_text_block(rec))
    block[32:36] = "77".encode("utf-16-le")  # not a GB/T 3304 code
    with pytest.raises(ReaderError):
        decode_text_block(bytes(block))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_checksum_is_the_xor_of_every_byte(data: bytes) -> None:
    expected = 0
    for b in data:
        expected ^= b
    assert sf.checksum(data) == expected
