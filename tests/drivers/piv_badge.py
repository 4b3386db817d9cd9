"""A staff badge with a PIV card application, built from ISO/IEC 7816-4 (VERIFY, RESET RETRY COUNTER, status
words) and NIST SP 800-73-4 (PIV AID, key references 80 = PIN and 81 = PUK, PIN format: 6-8 ASCII digits padded
with FF to 8 bytes), independent of drivers/badge_pin.py. It refuses what such a card refuses:

- anything but SELECT before the PIV application is selected → 6D00; CLA other than 00 → 6E00
- VERIFY: P1 not 00/FF → 6A86; key reference not 80 → 6A88; Lc not 0 or 8 → 6700; a PIN field that is not
  6-8 digits then FF padding → 6A80 (no try spent); wrong → 63Cx (x tries left), none left → 6983;
  no data → 9000 when verified, else 63Cx; P1=FF → security status reset (9000)
- RESET RETRY COUNTER: P1 not 00 → 6A86; reference not 80 → 6A88; Lc not 16 → 6700; wrong PUK → 63Cx on the
  PUK's own counter, blocked PUK → 6983; a badly formatted new PIN → 6A80
The reader's own GET DATA pseudo-APDU (FF CA 00 00 00) answers the UID, as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PIV_AID = bytes.fromhex("A000000308000010000100")


def _sw(value: int) -> bytes:
    return value.to_bytes(2, "big")


def _pin_field(data: bytes) -> str | None:
    digits = data.rstrip(b"\xff")
    if len(data) != 8 or not 6 <= len(digits) <= 8 or not all(0x30 <= b <= 0x39 for b in digits):
        return None
    return digits.decode("ascii")


@dataclass
class PivBadgeApp:
    pin: str = "246813"
    puk: str = "12345678"
    uid: bytes = bytes.fromhex("04A1B2C3D4E580")
    pin_max: int = 5
    puk_max: int = 3
    pin_tries: int = field(init=False)
    puk_tries: int = field(init=False)
    selected: bool = False
    verified: bool = False

    def __post_init__(self) -> None:
        self.pin_tries, self.puk_tries = self.pin_max, self.puk_max

    def reset(self) -> None:  # power on / reset: nothing selected, nothing verified (counters are in EEPROM)
        self.selected = self.verified = False

    def __call__(self, raw: bytes) -> bytes:
        if raw[:4] == b"\xff\xca\x00\x00":
            return self.uid + _sw(0x9000)
        if len(raw) < 4:
            return _sw(0x6700)
        cla, ins, p1, p2 = raw[:4]
        lc = raw[4] if len(raw) > 4 else 0
        data = raw[5:5 + lc] if len(raw) > 5 else b""
        if len(raw) > 5 and len(raw) not in (5 + lc, 6 + lc):
            return _sw(0x6700)
        if cla != 0x00:
            return _sw(0x6E00)
        if ins == 0xA4:
            if p1 != 0x04 or not PIV_AID.startswith(data) or len(data) < 5:
                return _sw(0x6A82)
            self.selected, self.verified = True, False
            return bytes.fromhex("61114F0600001000010079074F05A000000308") + _sw(0x9000)
        if not self.selected:
            return _sw(0x6D00)
        if ins == 0x20:
            return self._verify(p1, p2, data, has_data=len(raw) > 4)
        if ins == 0x2C:
            return self._reset_retry(p1, p2, data)
        return _sw(0x6D00)

    def _verify(self, p1: int, p2: int, data: bytes, *, has_data: bool) -> bytes:
        if p1 not in (0x00, 0xFF):
            return _sw(0x6A86)
        if p2 != 0x80:
            return _sw(0x6A88)
        if p1 == 0xFF:
            self.verified = False
            return _sw(0x9000)
        if not has_data:
            if self.pin_tries == 0:
                return _sw(0x6983)
            return _sw(0x9000) if self.verified else _sw(0x63C0 | self.pin_tries)
        if len(data) != 8:
            return _sw(0x6700)
        if self.pin_tries == 0:
            return _sw(0x6983)
        given = _pin_field(data)
        if given is None:
            return _sw(0x6A80)
        if given != self.pin:
            self.pin_tries -= 1
            self.verified = False
            return _sw(0x6983) if self.pin_tries == 0 else _sw(0x63C0 | self.pin_tries)
        self.pin_tries, self.verified = self.pin_max, True
        return _sw(0x9000)

    def _reset_retry(self, p1: int, p2: int, data: bytes) -> bytes:
        if p1 != 0x00:
            return _sw(0x6A86)
        if p2 != 0x80:
            return _sw(0x6A88)
        if len(data) != 16:
            return _sw(0x6700)
        if self.puk_tries == 0:
            return _sw(0x6983)
        puk, new = _pin_field(data[:8]), _pin_field(data[8:])
        if puk is None or new is None:
            return _sw(0x6A80)
        if puk != self.puk:
            self.puk_tries -= 1
            return _sw(0x6983) if self.puk_tries == 0 else _sw(0x63C0 | self.puk_tries)
        self.puk_tries, self.pin, self.pin_tries, self.verified = self.puk_max, new, self.pin_max, False
        return _sw(0x9000)
