"""A staff badge checks its holder's PIN itself, as an eID card does (ISO/IEC 7816-4 VERIFY, PIV profile of
NIST SP 800-73-4): the kiosk sends the PIN to the card and the card keeps the retry counter.

- SELECT the PIV application by AID (`00 A4 04 00 09 A0 00 00 03 08 00 00 10 00`).
- VERIFY the card application PIN, key reference 80: `00 20 00 80 08` + the PIN's ASCII digits padded with FF
  to 8 bytes. 9000 = right; 63Cx = wrong, x tries left; 6983 = blocked. `00 20 00 80` with no data asks the
  counter without spending a try.
- RESET RETRY COUNTER with the PUK: `00 2C 00 80 10` + PUK (8 bytes) + new PIN (8 bytes, FF-padded).
Works on a `Transmit` callable (drivers/pcsc_cards.py), so it knows nothing of pyscard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from drivers.errors import reader_error
from drivers.pcsc_cards import Transmit, apdu

PIV_AID = bytes.fromhex("A000000308000010000100")
PIN_REF = 0x80  # PIV card application PIN
SW_OK = 0x9000
SW_BLOCKED = 0x6983


@dataclass(frozen=True)
class PinCheck:
    """What the card said: right, or wrong with `tries_left`, or `blocked`."""

    ok: bool
    tries_left: int | None = None
    blocked: bool = False


def pin_block(pin: str) -> bytes:
    """A PIV PIN field: 6 to 8 ASCII digits, right-padded with FF to 8 bytes."""
    if not (pin.isascii() and pin.isdigit() and 6 <= len(pin) <= 8):
        raise ValueError("a badge PIN is 6 to 8 digits")
    return pin.encode("ascii").ljust(8, b"\xff")


def select_piv(transmit: Transmit) -> None:
    _, sw = apdu(transmit, bytes([0x00, 0xA4, 0x04, 0x00, len(PIV_AID)]) + PIV_AID + b"\x00")
    if sw != SW_OK:
        raise reader_error("unknown_card_type", detail=f"no PIV application: SW {sw:04X}")


def _check(sw: int) -> PinCheck:
    if sw == SW_OK:
        return PinCheck(True)
    if sw == SW_BLOCKED:
        return PinCheck(False, 0, blocked=True)
    if sw >> 4 == 0x63C:
        return PinCheck(False, sw & 0x0F, blocked=(sw & 0x0F) == 0)
    raise reader_error("read_failed", detail=f"PIN: SW {sw:04X}")


def verify_pin(transmit: Transmit, pin: str) -> PinCheck:
    """The card checks `pin` (one try spent when wrong)."""
    select_piv(transmit)
    _, sw = apdu(transmit, bytes([0x00, 0x20, 0x00, PIN_REF, 0x08]) + pin_block(pin))
    return _check(sw)


def pin_status(transmit: Transmit) -> PinCheck:
    """The counter without spending a try (VERIFY with no data): ok=True only if already verified."""
    select_piv(transmit)
    _, sw = apdu(transmit, bytes([0x00, 0x20, 0x00, PIN_REF]))
    return _check(sw)


def unblock_pin(transmit: Transmit, puk: str, new_pin: str) -> PinCheck:
    """RESET RETRY COUNTER: the PUK sets a new PIN and a full counter (a wrong PUK spends a PUK try)."""
    select_piv(transmit)
    _, sw = apdu(transmit, bytes([0x00, 0x2C, 0x00, PIN_REF, 0x10]) + pin_block(puk) + pin_block(new_pin))
    return _check(sw)


def badge_verifier(reader_filter: str | None) -> Callable[[str], tuple[bool, int | None, bool]]:
    """A `kiosk.badge.BadgeVerifier` over PC/SC: the badge in the first matching reader checks the PIN."""
    from drivers.pcsc import on_card

    def check(pin: str) -> tuple[bool, int | None, bool]:
        result = on_card(reader_filter, lambda t: verify_pin(t, pin))
        return result.ok, result.tries_left, result.blocked

    return check
