"""A virtual smart card speaking vsmartcard-vpcd's socket protocol, with social security and badge applications.

Protocol (vpcd is the TCP server inside pcscd, the card connects to it): every message is a 2-byte
big-endian length then the payload; a 1-byte payload is a control message (00 power off, 01 power on,
02 reset, 04 get ATR - the only one answered, with the ATR); anything longer is an APDU, answered with
the response APDU. The card is "on the reader" while its connection is open.

The social security application is built from the public card layout (人社信息函〔2012〕37号 "社会保障卡文件结构
和数据项 V2.0", as public reader code reads it), not from the driver: the SSSE DF is selected by its name
"sx1.sh.社会保障" in GBK (00 A4 04 00 0F 7378312E73682E C9E7 BBE1 B1A3 D5CF); under it EF05 (card issuer data,
records 01-07) and EF06 (holder data, records 08-0D) are selected by file id (00 A4 02|00 00 02 EF 05) and
read record by record (00 B2 <n> 04 <Le>; deployed readers also send P2=00 = record identifier, which is the
same tag here, or P2=<SFI>|04); EF07/EF08 (fingerprint, photo) exist but need authentication. Each record is
tag (= record number) · length · value, value formats `an` (ASCII/GBK, right-padded 00), `cn` (BCD, right-padded
F) or `b`. The card is a T=0 card (its ATR names no
other protocol): a wrong Le is answered 6Cxx with the right length, as ISO/IEC 7816-3 has T=0 cards do.
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
EF05, EF06 = 0xEF05, 0xEF06
PROTECTED_EFS = (0xEF07, 0xEF08)  # fingerprint and photo: transparent files, readable only after authentication
MF = 0x3F00
# The public layout: file → record number → defined length (bytes). Fixed-length items, padded to the length.
LAYOUT: dict[int, dict[int, int]] = {
    EF05: {0x01: 16, 0x02: 1, 0x03: 4, 0x04: 12, 0x05: 4, 0x06: 4, 0x07: 9},
    EF06: {0x08: 18, 0x09: 30, 0x0A: 1, 0x0B: 1, 0x0C: 3, 0x0D: 4},
}

SW_OK = b"\x90\x00"
SW_WRONG_LENGTH = b"\x67\x00"
SW_WRONG_FILE_STRUCTURE = b"\x69\x81"
SW_SECURITY_NOT_SATISFIED = b"\x69\x82"
SW_NO_CURRENT_EF = b"\x69\x86"
SW_NOT_FOUND = b"\x6a\x82"
SW_RECORD_NOT_FOUND = b"\x6a\x83"
SW_BAD_P1P2 = b"\x6a\x86"
SW_INS_NOT_SUPPORTED = b"\x6d\x00"
SW_CLA_NOT_SUPPORTED = b"\x6e\x00"
SW_NO_RESPONSE_PENDING = b"\x69\x85"


def _cn(digits: str, length: int) -> bytes:
    """`cn` format: BCD digits, left-aligned, right-padded with F."""
    return bytes.fromhex(digits.ljust(length * 2, "F"))


def _an(text: bytes, length: int) -> bytes:
    """`an` format: left-aligned, right-padded with 00."""
    assert len(text) <= length
    return text.ljust(length, b"\x00")


@dataclass
class Apdu:
    """A short command APDU split by ISO/IEC 7816-3 case; `error` is the SW for a malformed one."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None
    error: bytes | None = None

    @classmethod
    def parse(cls, raw: bytes) -> Apdu:
        if len(raw) < 4:
            return cls(0, 0, 0, 0, error=SW_WRONG_LENGTH)
        cla, ins, p1, p2 = raw[:4]
        body = raw[4:]
        if not body:
            return cls(cla, ins, p1, p2)  # case 1
        if len(body) == 1:
            return cls(cla, ins, p1, p2, le=body[0])  # case 2
        lc = body[0]
        if lc and len(body) == 1 + lc:
            return cls(cla, ins, p1, p2, data=body[1:])  # case 3
        if lc and len(body) == 2 + lc:
            return cls(cla, ins, p1, p2, data=body[1:-1], le=body[-1])  # case 4
        return cls(cla, ins, p1, p2, error=SW_WRONG_LENGTH)


@dataclass
class SocialSecurityApp:
    """A social security card's basic data area (SSSE DF, EF05, EF06) as the public layout has it."""

    name: str = "陈桂芳"
    id_number: str = "440106195403151232"
    sex: str = "1"  # GB/T 2261.1: 1 male, 2 female
    ethnicity: str = "01"  # GB/T 3304 code, stored as cn (BCD): "11" 满族 is the byte 0x11
    birthplace: str = "440106"  # GB/T 2260 region code, cn 3
    birth: dt.date = dt.date(1954, 3, 15)
    card_number: str = "A12345678"
    card_id: bytes = bytes.fromhex("440100D15600000599110145FFFFFFFF")  # 卡的识别码 (region · RID · serial)
    card_kind: str = "3"  # 卡的类别
    version: str = "3.00"  # 规范版本
    issuer: str = "440100000000"  # 初始化机构编号 (cn 12: 12 bytes in the layout, here right-padded F)
    issued: dt.date = dt.date(2019, 8, 1)
    valid_until: dt.date = dt.date(2029, 8, 1)
    fci_on_select: bool = False  # answer the SSSE select with 61xx (FCI waiting for GET RESPONSE), as some cards do
    on_read: Callable[[int], bool] | None = None  # return False to pull the card out instead of answering
    df_selected: bool = False
    current_ef: int | None = None
    pending: bytes = b""

    def reset(self) -> None:
        """Power-on / reset: back to the MF, nothing pending."""
        self.df_selected, self.current_ef, self.pending = False, None, b""

    def records(self) -> dict[int, dict[int, bytes]]:
        values = {
            EF05: {0x01: self.card_id, 0x02: self.card_kind.encode(), 0x03: self.version.encode(),
                   0x04: _cn(self.issuer, 12), 0x05: _cn(self.issued.strftime("%Y%m%d"), 4),
                   0x06: _cn(self.valid_until.strftime("%Y%m%d"), 4), 0x07: _an(self.card_number.encode(), 9)},
            EF06: {0x08: _an(self.id_number.encode(), 18), 0x09: _an(self.name.encode("gbk"), 30),
                   0x0A: _an(self.sex.encode(), 1), 0x0B: _cn(self.ethnicity, 1), 0x0C: _cn(self.birthplace, 3),
                   0x0D: _cn(self.birth.strftime("%Y%m%d"), 4)},
        }
        for ef, lengths in LAYOUT.items():  # the card holds exactly the layout's items at their defined lengths
            assert {n: len(v) for n, v in values[ef].items()} == lengths, ef
        return values

    def __call__(self, raw: bytes) -> bytes | None:
        cmd = Apdu.parse(raw)
        if cmd.error is not None:
            return cmd.error
        if cmd.cla != 0x00:
            return SW_CLA_NOT_SUPPORTED
        if cmd.ins == 0xA4:
            return self._select(cmd)
        if cmd.ins == 0xB2:
            return self._read_record(cmd)
        if cmd.ins == 0xC0:
            return self._get_response(cmd)
        if cmd.ins == 0xB0:  # READ BINARY: for the transparent files, after authentication we never do
            if self.current_ef is None:
                return SW_NO_CURRENT_EF
            return SW_SECURITY_NOT_SATISFIED if self.current_ef in PROTECTED_EFS else SW_WRONG_FILE_STRUCTURE
        return SW_INS_NOT_SUPPORTED

    def _select(self, cmd: Apdu) -> bytes:
        if cmd.p2 != 0x00 or cmd.p1 not in (0x00, 0x02, 0x04):
            return SW_BAD_P1P2
        if not cmd.data:
            return SW_WRONG_LENGTH
        if cmd.p1 == 0x04:  # by DF name
            if cmd.data != SSC_DF_NAME:
                return SW_NOT_FOUND
            self.df_selected, self.current_ef = True, None
            if self.fci_on_select:
                self.pending = bytes([0x6F, 2 + len(SSC_DF_NAME), 0x84, len(SSC_DF_NAME)]) + SSC_DF_NAME
                return bytes([0x61, len(self.pending)])
            return SW_OK
        if len(cmd.data) != 2:
            return SW_WRONG_LENGTH
        fid = int.from_bytes(cmd.data, "big")
        if fid == MF and cmd.p1 == 0x00:
            self.df_selected, self.current_ef = False, None
            return SW_OK
        if self.df_selected and (fid in LAYOUT or fid in PROTECTED_EFS):  # EF05-EF08 live under the SSSE only
            self.current_ef = fid
            return SW_OK
        return SW_NOT_FOUND

    def _read_record(self, cmd: Apdu) -> bytes | None:
        if cmd.data or cmd.le is None:
            return SW_WRONG_LENGTH
        mode, sfi = cmd.p2 & 0x07, cmd.p2 >> 3
        if mode not in (0x04, 0x00) or cmd.p1 == 0x00:  # record number P1, or first record with identifier P1
            return SW_BAD_P1P2
        if sfi:
            ef = 0xEF00 | sfi
            if not self.df_selected or ef not in LAYOUT:
                return SW_NOT_FOUND
            self.current_ef = ef
        if self.current_ef is None:
            return SW_NO_CURRENT_EF
        if self.current_ef in PROTECTED_EFS:
            return SW_WRONG_FILE_STRUCTURE
        if self.on_read is not None and not self.on_read(cmd.p1):
            return None
        value = self.records()[self.current_ef].get(cmd.p1)  # number and identifier (tag) coincide here
        if value is None:
            return SW_RECORD_NOT_FOUND
        record = bytes([cmd.p1, len(value)]) + value
        if cmd.le != len(record):  # T=0: P3 must be the exact length; 00 would mean 256
            return bytes([0x6C, len(record)])
        return record + SW_OK

    def _get_response(self, cmd: Apdu) -> bytes:
        if not self.pending:
            return SW_NO_RESPONSE_PENDING
        if cmd.p1 or cmd.p2:
            return SW_BAD_P1P2
        if cmd.le != len(self.pending):
            return bytes([0x6C, len(self.pending)])
        out, self.pending = self.pending, b""
        return out + SW_OK


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
    apdus: list[bytes] = field(default_factory=list)  # every command APDU, in order
    trace: list[tuple[bytes, bytes | None]] = field(default_factory=list)  # (command, response) pairs
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
                    elif payload[0] in (0x01, 0x02):  # power on / reset: the card starts again at its MF
                        reset = getattr(self.app, "reset", None)
                        if reset is not None:
                            reset()
                    continue  # power off/on and reset need no answer
                self.apdus.append(payload)
                answer = self.app(payload)
                self.trace.append((payload, answer))
                if answer is None:  # the holder pulls the card out mid-read
                    sock.close()
                    return
                self._send(sock, answer)
        except OSError:
            return
