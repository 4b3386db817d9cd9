"""The badge checks its holder's PIN, over the real stack (pyscard → libpcsclite → a private pcscd → vpcd → the
PIV badge emulator of tests/drivers/piv_badge.py): the APDU bytes on the wire, the card's retry counter, the
block after the last try, and the PUK unblocking it."""

from __future__ import annotations

import time

import pytest

from drivers.badge_pin import PinCheck, pin_block, pin_status, unblock_pin, verify_pin
from drivers.pcsc import on_card
from drivers.pcsc_cards import read_badge_uid
from tests.drivers.pcsc_stack import PrivatePcscd
from tests.drivers.piv_badge import PivBadgeApp
from tests.drivers.vpcd_card import ATR_CONTACTLESS, VirtualCard


def _badge(pcscd: PrivatePcscd, app: PivBadgeApp) -> VirtualCard:
    port = pcscd.add_vpcd()
    pcscd.start()
    card = VirtualCard(port, app, atr=ATR_CONTACTLESS)
    card.insert()
    deadline = time.monotonic() + 15
    while True:  # pcscd powers the card up after it connects
        try:
            on_card("Virtual PCD", read_badge_uid)
            return card
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_wrong_pins_count_down_block_and_the_puk_unblocks(pcscd: PrivatePcscd) -> None:
    app = PivBadgeApp(pin="246813", puk="12345678")
    card = _badge(pcscd, app)
    card.apdus.clear()
    assert on_card("Virtual PCD", lambda t: verify_pin(t, "111111")) == PinCheck(False, 4)
    select, verify = card.apdus
    assert select == bytes.fromhex("00A404000BA000000308000010000100") + b"\x00"
    assert verify == bytes.fromhex("0020008008") + b"111111" + b"\xff\xff"
    assert on_card("Virtual PCD", lambda t: verify_pin(t, "246813")) == PinCheck(True)  # right: counter back to 5
    assert app.pin_tries == 5
    for left in (4, 3, 2, 1):
        assert on_card("Virtual PCD", lambda t: verify_pin(t, "000000")) == PinCheck(False, left)
    assert on_card("Virtual PCD", lambda t: verify_pin(t, "000000")) == PinCheck(False, 0, blocked=True)
    assert on_card("Virtual PCD", lambda t: verify_pin(t, "246813")) == PinCheck(False, 0, blocked=True)  # even right
    assert on_card("Virtual PCD", pin_status) == PinCheck(False, 0, blocked=True)
    card.apdus.clear()
    assert on_card("Virtual PCD", lambda t: unblock_pin(t, "87654321", "135790")) == PinCheck(False, 2)  # wrong PUK
    assert card.apdus[1] == bytes.fromhex("002C008010") + b"87654321" + b"135790\xff\xff"
    assert on_card("Virtual PCD", lambda t: unblock_pin(t, "12345678", "135790")) == PinCheck(True)
    assert on_card("Virtual PCD", lambda t: verify_pin(t, "135790")) == PinCheck(True)
    card.remove()


def test_the_emulator_refuses_what_a_piv_card_refuses() -> None:
    app = PivBadgeApp()
    assert app(bytes.fromhex("0020008008") + pin_block("246813")) == b"\x6d\x00"  # nothing selected yet
    assert app(bytes.fromhex("00A404000BA000000308000010000100") + b"\x00")[-2:] == b"\x90\x00"
    assert app(bytes.fromhex("0020008006") + b"246813") == b"\x67\x00"  # unpadded PIN field
    assert app(bytes.fromhex("0020008008") + b"2468\xff\xff\xff\xff") == b"\x6a\x80"  # too short: no try spent
    assert app(bytes.fromhex("0020008108") + pin_block("246813")) == b"\x6a\x88"  # PUK is not verified so
    assert app(bytes.fromhex("8020008008") + pin_block("246813")) == b"\x6e\x00"
    assert app.pin_tries == 5
    assert app(bytes.fromhex("00200080")) == b"\x63\xc5"  # asking costs nothing
    with pytest.raises(ValueError):
        pin_block("12345")


def test_kiosk_badge_unblock_on_the_real_stack(pcscd: PrivatePcscd, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import os

    from kiosk.cli.main import main as kiosk_main

    app = PivBadgeApp(pin="246813", puk="12345678")
    card = _badge(pcscd, app)
    app.pin_tries = 0  # blocked at the kiosk
    if os.geteuid() != 0:
        pytest.skip("the command needs an administrator; this run is not root")
    monkeypatch.setattr("sys.stdin", io.StringIO("12345678\n135790\n"))
    assert kiosk_main(["badge", "unblock", "--reader", "Virtual PCD"]) == 0
    assert "Badge unblocked" in capsys.readouterr().out
    assert (app.pin, app.pin_tries) == ("135790", 5)
    monkeypatch.setattr("sys.stdin", io.StringIO("12345678\n1357\n"))
    assert kiosk_main(["badge", "unblock", "--reader", "Virtual PCD"]) == 2  # a new PIN must be 6 digits
    card.remove()


def test_the_kiosk_says_tries_left_and_blocked() -> None:
    from kiosk.badge import badge_pin_refused

    wrong = badge_pin_refused(3, False)
    assert (wrong.kind, wrong.message.zh, wrong.message.en) == ("badge_pin_wrong", "密码不正确，还可以试 3 次",
                                                                "The PIN is not correct; 3 tries left")
    assert badge_pin_refused(1, False).message.en.endswith("1 try left")
    assert badge_pin_refused(0, True).kind == "badge_pin_blocked"


def test_kiosk_sign_in_asks_the_badge_when_the_roster_holds_no_pin(pcscd: PrivatePcscd, store: object) -> None:
    import json

    from drivers.badge_pin import badge_verifier
    from kiosk import roster
    from kiosk.messages import KioskError

    app = PivBadgeApp(pin="246813")
    card = _badge(pcscd, app)
    members = roster.Roster.parse(json.dumps({"version": 1, "members": [
        {"id": "s1", "role": "staff", "display_name": "王敏", "badge_uid": "04A1B2C3D4E580"}]}))
    check = badge_verifier("Virtual PCD")
    with pytest.raises(KioskError) as err:
        roster.sign_in(store, members, "04A1B2C3D4E580", "111111", badge=check)  # type: ignore[arg-type]
    assert err.value.message.zh == "密码不正确，还可以试 4 次" and err.value.message.en.endswith("4 tries left")
    helper = roster.sign_in(store, members, "04A1B2C3D4E580", "246813", badge=check)  # type: ignore[arg-type]
    assert helper.helper_id == "s1" and app.pin_tries == 5
    app.pin_tries = 0
    with pytest.raises(KioskError) as err:
        roster.sign_in(store, members, "04A1B2C3D4E580", "246813", badge=check)  # type: ignore[arg-type]
    assert err.value.kind == "badge_pin_blocked"
    card.remove()
