"""The social security card read: exact APDUs on the wire (real pcscd + vpcd), and a test card that refuses what
a real card refuses, checked against the APDU sequences public reader code sends."""

from __future__ import annotations

import datetime as dt

import pytest

from drivers.errors import ReaderError
from drivers.pcsc import read_card
from drivers.pcsc_cards import Transmit, read_any
from tests.drivers.pcsc_stack import PrivatePcscd
from tests.drivers.vpcd_card import SocialSecurityApp, VirtualCard

READER = "Virtual PCD 00 00"
H = bytes.fromhex

# What the driver must send, byte for byte, for one card (the layout's record lengths + 2 as Le).
EXPECTED_APDUS = [
    H("00A404000F7378312E73682EC9E7BBE1B1A3D5CF"),  # SELECT SSSE by DF name "sx1.sh.社会保障" (GBK)
    H("00A4020002EF05"),  # SELECT EF05 (card issuer data)
    H("00B2050406"),  # 05 issue date, cn 4
    H("00B2060406"),  # 06 valid until, cn 4
    H("00B207040B"),  # 07 card number, an 9
    H("00A4020002EF06"),  # SELECT EF06 (holder data)
    H("00B2080414"),  # 08 social security number, an 18
    H("00B2090420"),  # 09 name, an 30
    H("00B20A0403"),  # 0A sex, an 1
    H("00B20B0403"),  # 0B ethnicity, cn 1
    H("00B20D0406"),  # 0D birth date, cn 4
]


def _manchu_holder() -> SocialSecurityApp:
    return SocialSecurityApp(name="关淑兰", id_number="440104196212035521", sex="2", ethnicity="11",
                             birth=dt.date(1962, 12, 3), card_number="B98765432")


def _transmit(app: SocialSecurityApp, sent: list[bytes] | None = None) -> Transmit:
    """The card application as a driver `Transmit`, without pcscd (for the card-only checks)."""

    def transmit(command: bytes) -> tuple[bytes, int]:
        if sent is not None:
            sent.append(command)
        answer = app(command)
        assert answer is not None
        return answer[:-2], int.from_bytes(answer[-2:], "big")

    return transmit


def _format_trace(trace: list[tuple[bytes, bytes | None]]) -> str:
    lines = []
    for command, response in trace:
        answer = "(card pulled)" if response is None else f"{response[:-2].hex().upper()} {response[-2:].hex().upper()}"
        lines.append(f"> {command.hex().upper():<42} < {answer.strip()}")
    return "\n".join(lines)


@pytest.mark.pcsc
def test_driver_sends_exactly_the_public_apdus_over_pcscd(pcscd: PrivatePcscd) -> None:
    from smartcard import scard as sc

    port = pcscd.add_vpcd()
    pcscd.start()
    card = VirtualCard(port, _manchu_holder())
    hr, ctx = sc.SCardEstablishContext(sc.SCARD_SCOPE_USER)
    assert hr == sc.SCARD_S_SUCCESS
    try:
        card.insert()
        state = sc.SCARD_STATE_UNAWARE
        for _ in range(50):  # wait (on state changes, 200 ms at most each) until pcscd has seen the card
            hr, states = sc.SCardGetStatusChange(ctx, 200, [(READER, state)])
            if hr == sc.SCARD_S_SUCCESS:
                state = states[0][1] & ~sc.SCARD_STATE_CHANGED
            if state & sc.SCARD_STATE_PRESENT:
                break
        record = read_card(ctx, READER)
    finally:
        sc.SCardReleaseContext(ctx)
        card.remove()
    print("\nAPDU trace of one social security card read (command > response data SW):")
    print(_format_trace(card.trace))
    assert card.apdus == EXPECTED_APDUS
    assert all(response is not None and response[-2:] == b"\x90\x00" for _, response in card.trace)
    assert record.to_json_dict() == {
        "card_type": "social_security", "name": "关淑兰", "sex": "female", "ethnicity": "满",
        "birth_date": "1962-12-03", "id_number": "440104196212035521", "id_number_valid": True,
        "valid_from": "2019-08-01", "valid_until": "2029-08-01", "card_number": "B98765432"}


def test_ethnicity_is_bcd_on_the_card_and_read_as_bcd() -> None:
    app = _manchu_holder()
    assert app(EXPECTED_APDUS[0]) == b"\x90\x00" and app(H("00A4020002EF06")) == b"\x90\x00"
    assert app(H("00B20B0403")) == H("0B0111 9000".replace(" ", ""))  # 满族 = code 11 = byte 0x11, not 0x0B
    assert read_any(_transmit(_manchu_holder())).ethnicity == "满"
    assert read_any(_transmit(SocialSecurityApp(ethnicity="56"))).ethnicity == "基诺"
    assert read_any(_transmit(SocialSecurityApp(ethnicity="01"))).ethnicity == "汉"


def test_binary_coded_ethnicity_is_refused_as_invalid_card_data() -> None:
    class BinaryEthnicity(SocialSecurityApp):
        """A card written the wrong way round (code 11 as the binary byte 0x0B) must not read as 回族 or 11."""

        def records(self) -> dict[int, dict[int, bytes]]:
            values = super().records()
            values[0xEF06][0x0B] = bytes([11])
            return values

    with pytest.raises(ReaderError) as exc:
        read_any(_transmit(BinaryEthnicity(ethnicity="11")))
    assert exc.value.kind == "card_data_invalid"


def test_old_file_ids_are_refused_like_a_real_card() -> None:
    app = SocialSecurityApp()
    assert app(EXPECTED_APDUS[0]) == b"\x90\x00"
    assert app(H("00A40200020005")) == b"\x6a\x82"  # the bare 0005/0006 are not the files' identifiers
    assert app(H("00A40200020006")) == b"\x6a\x82"
    assert app(H("00A4020002EF0F")) == b"\x6a\x82"  # no such file in the SSSE (it holds EF05-EF08)
    assert app(H("00A4020002EF05")) == b"\x90\x00"


def test_card_refuses_what_a_real_card_refuses() -> None:
    app = SocialSecurityApp()
    assert app(H("00A4020002EF05")) == b"\x6a\x82"  # EF05 lives under the SSSE: not found from the MF
    assert app(H("00B2050406")) == b"\x69\x86"  # no current EF
    assert app(H("00A404000F7378312E73682E") + "社会保险".encode("gbk")) == b"\x6a\x82"  # another DF name
    assert app(H("00A404000F7378312E73682E") + "社会保障".encode()[:8]) == b"\x6a\x82"  # not GBK
    assert app(EXPECTED_APDUS[0]) == b"\x90\x00"
    assert app(H("00A4080002EF05")) == b"\x6a\x86"  # P1 not name / file id
    assert app(H("00A4020102EF05")) == b"\x6a\x86"  # P2 not "first or only"
    assert app(H("00A4020003EF05")) == b"\x67\x00"  # Lc disagrees with the data
    assert app(H("00A4020002EF05")) == b"\x90\x00"
    assert app(H("00B2050506")) == b"\x6a\x86"  # P2 low bits 101: not a mode this card knows
    assert app(H("00B2000406")) == b"\x6a\x86"  # P1 00 (current record) with no current record
    assert app(H("00B2050400")) == b"\x6c\x06"  # T=0: Le 00 means 256, the card names the right length
    assert app(H("00B207040D")) == b"\x6c\x0b"  # wrong Le → 6C with the record's length (9 + 2)
    assert app(H("00B2070409")) == b"\x6c\x0b"  # the value's length alone is wrong too
    assert app(H("00B2080414")) == b"\x6a\x83"  # record 08 is in EF06, not EF05
    assert app(H("00B205")) == b"\x67\x00"  # too short to be an APDU
    assert app(H("80B2050406")) == b"\x6e\x00"  # proprietary class
    assert app(H("00B0000000")) == b"\x69\x81"  # READ BINARY on a record file
    assert app(H("0012000000")) == b"\x6d\x00"  # an instruction the card does not have
    assert app(H("00A4020002EF08")) == b"\x90\x00"  # the photo file exists ...
    assert app(H("00B0000000")) == b"\x69\x82"  # ... but is not readable without authentication
    assert app(H("00B2010403")) == b"\x69\x81"  # and holds no records
    assert app(H("00A4020002EF05")) == b"\x90\x00"
    assert app(H("00C0000000")) == b"\x69\x85"  # GET RESPONSE with nothing waiting
    assert app(H("00B2050406")) == H("050420190801 9000".replace(" ", ""))


def test_public_reader_sequences_read_the_test_card() -> None:
    """APDU sequences as public reader code sends them (P1=00 selects, P2=00 by identifier, SFI with P2=2C,
    Le of the value only then the 6Cxx retry) all work on the test card, so it is not shaped to our driver."""
    app = SocialSecurityApp(card_number="C11223344", ethnicity="11")
    assert app(EXPECTED_APDUS[0]) == b"\x90\x00"
    assert app(H("00B2072C0B")) == H("0709") + b"C11223344" + b"\x90\x00"  # record 7 of SFI 05, no select
    assert app(H("00A4000002EF06")) == b"\x90\x00"  # P1=00, as some readers send it
    assert app(H("00B20B0003")) == H("0B01119000")  # P2=00: record identifier 0B
    assert app(H("00B20C0005")) == H("0C034401069000")  # birthplace, cn 3
    assert app(H("00B2080012")) == b"\x6c\x14"  # Le = 18, the value only: the card asks for 20
    assert app(H("00B2080014")) == H("0812") + b"440106195403151232" + b"\x90\x00"
    assert app(H("00A4000002EF05")) == b"\x90\x00"
    assert app(H("00B2010412"))[:2] == H("0110")  # 卡的识别码, 16 bytes
    assert app(H("00B2030406")) == H("0304") + b"3.00" + b"\x90\x00"  # 规范版本
    assert app(H("00A40000023F00")) == b"\x90\x00"  # back to the MF: EF05 is out of reach again
    assert app(H("00A4020002EF05")) == b"\x6a\x82"


def test_driver_follows_61xx_after_the_ssse_select() -> None:
    app = SocialSecurityApp(fci_on_select=True)
    sent: list[bytes] = []
    record = read_any(_transmit(app, sent))
    assert record.id_number == "440106195403151232"
    assert sent[:3] == [EXPECTED_APDUS[0], H("00C0000013"), H("00A4020002EF05")]  # GET RESPONSE for the FCI


def test_driver_resends_with_the_length_a_card_names() -> None:
    class LongerName(SocialSecurityApp):
        """A card whose name item is longer than the layout says: the driver takes the card's 6Cxx length."""

        def records(self) -> dict[int, dict[int, bytes]]:
            values = dict(SocialSecurityApp.records(self))
            values[0xEF06] = {**values[0xEF06], 0x09: "关淑兰".encode("gbk").ljust(32, b"\x00")}
            return values

    app = LongerName()
    sent: list[bytes] = []
    assert read_any(_transmit(app, sent)).name == "关淑兰"
    assert H("00B2090420") in sent and H("00B2090422") in sent
