"""A virtual smart card speaking vsmartcard-vpcd's socket protocol, with social security and badge applications.

Protocol (vpcd is the TCP server inside pcscd, the card connects to it): every message is a 2-byte
big-endian length then the payload; a 1-byte payload is a control message (00 power off, 01 power on,
02 reset, 04 get ATR - the only one answered, with the ATR); anything longer is an APDU, answered with
the response APDU. The card is "on the reader" while its connection is open.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

SSC_DF_NAME = "sx1.sh.社会保障".encode("gbk")
ATR_SSC = bytes.fromhex("3B6C00000A0B0C0D0E0F1011121314")
ATR_CONTACTLESS = bytes.fromhex("3B8F8001804F0CA000000306030001000000006A")


def _bcd(day: dt.date) -> bytes:
    return bytes.fromhex(day.strftime("%Y%m%d"))


@dataclass
class SocialSecurityApp:
    """Holder data as the card stores it; answers SELECT / SELECT EF / READ RECORD as described in pcsc_cards."""

    name: str = "陈桂芳"
    id_number: str = "440106195403151232"
    sex: str = "1"
    ethnicity: int = 1
    birth: dt.date = dt.date(1954, 3, 15)
    card_number: str = "A12345678"
    issued: dt.date = dt.date(2019, 8, 1)
    valid_until: dt.date = dt.date(2029, 8, 1)
    selected: bool = False
    ef: int | None = None
    on_read: Callable[[int], bool] | None = None  # return False to pull the card out instead of answering

    def records(self) -> dict[int, dict[int, bytes]]:
        return {
            0x0005: {5: _bcd(self.issued), 6: _bcd(self.valid_until), 7: self.card_number.encode()},
            0x0006: {8: self.id_number.encode(), 9: self.name.encode("gbk").ljust(30, b"\x00"),
                     0x0A: self.sex.encode(), 0x0B: bytes([self.ethnicity]), 0x0D: _bcd(self.birth)},
        }

    def __call__(self, apdu: bytes) -> bytes | None:
        ins, p1, p2 = apdu[1], apdu[2], apdu[3]
        if ins == 0xA4 and p1 == 0x04:
            self.selected = apdu[5:5 + apdu[4]] == SSC_DF_NAME
            return b"\x90\x00" if self.selected else b"\x6a\x82"
        if ins == 0xA4 and p1 == 0x02 and self.selected:
            fid = int.from_bytes(apdu[5:7], "big")
            self.ef = fid if fid in self.records() else None
            return b"\x90\x00" if self.ef else b"\x6a\x82"
        if ins == 0xB2 and p2 == 0x04 and self.ef is not None:
            if self.on_read is not None and not self.on_read(p1):
                return None
            value = self.records()[self.ef].get(p1)
            if value is None:
                return b"\x6a\x83"
            return bytes([p1, len(value)]) + value + b"\x90\x00"
        if apdu[:2] == b"\xff\xca":  # a contact card has no UID
            return b"\x6a\x81"
        return b"\x6d\x00"


@dataclass
class BadgeApp:
    uid: bytes = bytes.fromhex("04A1B2C3D4E580")

    def __call__(self, apdu: bytes) -> bytes | None:
        if apdu[:4] == b"\xff\xca\x00\x00":
            return self.uid + b"\x90\x00"
        return b"\x6a\x82"


@dataclass
class VirtualCard:
    """Connects to vpcd at 127.0.0.1:`port` on `insert()`, disconnects on `remove()`."""

    port: int
    app: Callable[[bytes], bytes | None]
    atr: bytes = ATR_SSC
    apdus: list[bytes] = field(default_factory=list)
    _sock: socket.socket | None = None
    _thread: threading.Thread | None = None

    def insert(self, timeout: float = 10.0) -> None:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        sock.settimeout(None)
        self._sock = sock
        self._thread = threading.Thread(target=self._serve, args=(sock,), name="vpcd-card", daemon=True)
        self._thread.start()

    def remove(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(5)

    def _recv(self, sock: socket.socket, n: int) -> bytes | None:
        buf = b""
        while len(buf) < n:
            try:
                chunk = sock.recv(n - len(buf))
            except OSError:
                return None
            if not chunk:
                return None
            buf += chunk
        return buf

    def _send(self, sock: socket.socket, payload: bytes) -> None:
        sock.sendall(len(payload).to_bytes(2, "big") + payload)

    def _serve(self, sock: socket.socket) -> None:
        try:
            while True:
                head = self._recv(sock, 2)
                if head is None:
                    return
                payload = self._recv(sock, int.from_bytes(head, "big"))
                if payload is None:
                    return
                if len(payload) == 1:
                    if payload[0] == 0x04:
                        self._send(sock, self.atr)
                    continue  # power off/on and reset need no answer
                self.apdus.append(payload)
                answer = self.app(payload)
                if answer is None:  # the holder pulls the card out mid-read
                    sock.close()
                    return
                self._send(sock, answer)
        except OSError:
            return
