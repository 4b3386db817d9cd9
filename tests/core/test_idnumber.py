"""GB 11643 ID-number rules: generated valid numbers pass, every single-character change fails."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.identity import age_on, is_elderly, mask_id_number, parse_id_number, validate_id_number
from kiosk.identity.idnumber import check_char

TODAY = dt.date(2026, 11, 27)
PROVINCES = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
             53, 54, 61, 62, 63, 64, 65]
ALPHABET = "0123456789X"


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["resident", "permit", "foreign"]))
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY))
    if kind == "resident":
        region = f"{draw(st.sampled_from(PROVINCES))}{draw(st.integers(0, 9999)):04d}"
    elif kind == "permit":
        region = f"{draw(st.sampled_from([81, 82, 83]))}0000"
    else:  # 2023 foreign permanent resident: 9 + issuing province + 3-digit nationality code
        region = f"9{draw(st.sampled_from(PROVINCES))}{draw(st.integers(4, 894)):03d}"
    body = f"{region}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return body + check_char(body)


@settings(max_examples=300)
@given(id_numbers())
def test_every_generated_valid_number_passes(number: str) -> None:
    info = parse_id_number(number, today=TODAY)
    assert info.birth_date.strftime("%Y%m%d") == number[6:14]


@settings(max_examples=150)
@given(id_numbers(), st.data())
def test_every_single_character_change_fails(number: str, data: st.DataObject) -> None:
    pos = data.draw(st.integers(0, 17), label="position")
    replacement = data.draw(st.sampled_from([c for c in ALPHABET if c != number[pos]]), label="char")
    changed = number[:pos] + replacement + number[pos + 1:]
    assert not validate_id_number(changed, today=TODAY)


def test_every_single_character_change_fails_exhaustively() -> None:
    # All 18 × 10 substitutions of one known number: MOD 11-2 catches every single-character error.
    number = "11010519491231002X"
    assert validate_id_number(number, today=TODAY)
    for pos in range(18):
        for c in ALPHABET:
            if c != number[pos]:
                assert not validate_id_number(number[:pos] + c + number[pos + 1:], today=TODAY), (pos, c)


@pytest.mark.parametrize("bad,why", [
    ("11010519491231002", "length"),
    ("1101051949123100X2", "non-digit"),
    ("110105194902300021", "birth-date"),  # 30 February
    ("990105194912310021", "region"),
    ("11010520991231002X", "birth-date-range"),
])
def test_rejections_say_why(bad: str, why: str) -> None:
    body = bad[:17]
    number = body + check_char(body) if body.isdigit() and len(bad) == 18 else bad
    with pytest.raises(Exception) as exc:
        parse_id_number(number, today=TODAY)
    assert exc.value.kind == "invalid_id_number"
    assert exc.value.detail == why
    assert exc.value.message.zh and exc.value.message.en


def test_x_only_allowed_last() -> None:
    assert not validate_id_number("1101051949123100X2")


def test_kinds() -> None:
    def num(body: str) -> str:
        return body + check_char(body)
    assert parse_id_number(num("44010619500101001"), today=TODAY).kind == "resident"
    assert parse_id_number(num("81000019800101001"), today=TODAY).kind == "hk_macao_taiwan_permit"
    assert parse_id_number(num("94415619800101001"), today=TODAY).kind == "foreign_permanent_resident"


def test_age_and_elderly_at_session_date() -> None:
    born = dt.date(1966, 11, 28)
    assert age_on(born, dt.date(2026, 11, 27)) == 59
    assert not is_elderly(born, dt.date(2026, 11, 27))
    assert is_elderly(born, dt.date(2026, 11, 28))
    assert is_elderly(born, dt.date(2026, 11, 27), threshold=55)
    leap = dt.date(1964, 2, 29)
    assert age_on(leap, dt.date(2024, 2, 28)) == 59
    assert age_on(leap, dt.date(2024, 2, 29)) == 60


def test_masking_keeps_first_six_and_last_four() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"
