"""A GA 467 SAM reader emulated on a pty pair: the driver opens the slave path as its serial port.

Written independently of `drivers.sam_frame` (its own framing) so the tests check the codec, not echo it.
Faults are queued per command and applied to the next matching answer.
"""

from __future__ import annotations

import contextlib
import os
import select
import threading
import time
import tty
from collections import deque
from dataclasses import dataclass

PRE = b"\xaa\xaa\xaa\x96\x69"


def frame(body: bytes) -> bytes:
    n = (len(body) + 1).to_bytes(2, "big")
    x = 0
    for b in n + body:
        x ^= b
    return PRE + n + body + bytes([x])


@dataclass
class Card:
    text: bytes  # 256-byte text block
    photo: bytes = bytes(range(256)) * 4  # 1024 bytes standing in for WLT data
    fingerprint: bytes = b""
    newest_address: bytes | None = None  # UTF-16LE, 70 bytes
    serial_no: bytes = b"\x00\x00\x00\x00\x12\x34\x56\x78"


class SamEmulator:
    """Answers GA 467 frames on the pty master; `baud` paces answers at 10 bits per byte (None = unpaced)."""

    def __init__(self, baud: int | None = None, sam_status: int = 0x90) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)  # no line discipline: bytes pass through untouched from the first byte
        self.path = os.ttyname(self.slave)
        self.baud = baud
        self.sam_status = sam_status
        self.card: Card | None = None
        self.faults: deque[tuple[int | None, str]] = deque()
        self.commands: list[tuple[int, int]] = []
        self.answered = threading.Event()  # set after every answer
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="sam-emulator", daemon=True)

    def start(self) -> SamEmulator:
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)

    def place(self, card: Card) -> None:
        with self._lock:
            self.card = card

    def lift(self) -> None:
        with self._lock:
            self.card = None

    def fault(self, kind: str, cmd: int | None = None, times: int = 1) -> None:
        """Queue `kind` (checksum | truncate | garbage | silent | remove_before_read | sw:<hex>) for `cmd`."""
        with self._lock:
            for _ in range(times):
                self.faults.append((cmd, kind))

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    # -- serving -------------------------------------------------------------------------------------------
    def _loop(self) -> None:
        buf = bytearray()
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                buf += os.read(self.master, 4096)
            except OSError:
                return
            while True:
                start = buf.find(PRE)
                if start < 0 or len(buf) < start + 7:
                    break
                n = int.from_bytes(buf[start + 5:start + 7], "big")
                if len(buf) < start + 7 + n:
                    break
                req = bytes(buf[start:start + 7 + n])
                del buf[:start + 7 + n]
                self._answer(req)

    def _take_fault(self, cmd: int) -> str | None:
        for i, (c, kind) in enumerate(self.faults):
            if c is None or c == cmd:
                del self.faults[i]
                return kind
        return None

    def _answer(self, req: bytes) -> None:
        cmd, para = req[7], req[8]
        self.commands.append((cmd, para))
        with self._lock:
            fault = self._take_fault(cmd)
            sw3, data = self._respond(cmd, para, fault)
        if fault == "silent":
            self.answered.set()
            return
        out = frame(bytes([0, 0, sw3]) + data)
        if fault == "checksum":
            out = out[:-1] + bytes([out[-1] ^ 0xFF])
        elif fault == "truncate":
            out = out[: len(out) // 2]
        elif fault == "garbage":
            out = b"\x00\xff\xaa\xaa\x96\x13\x37" + out
        self._send(out)
        self.answered.set()

    def _respond(self, cmd: int, para: int, fault: str | None) -> tuple[int, bytes]:
        if fault and fault.startswith("sw:"):
            return int(fault[3:], 16), b""
        if self.sam_status != 0x90:
            return self.sam_status, b""
        card = self.card
        if cmd == 0x11 or cmd == 0x10:
            return 0x90, b""
        if cmd == 0x12:
            return 0x90, bytes(16)
        if cmd == 0x20 and para == 0x01:
            return (0x9F, bytes(4)) if card else (0x80, b"")
        if cmd == 0x20 and para == 0x02:
            return (0x90, card.serial_no) if card else (0x81, b"")
        if cmd == 0x30:
            if fault == "remove_before_read":
                self.card = None
                return 0x41, b""
            if card is None:
                return 0x41, b""
            if para == 0x01:
                return 0x90, len(card.text).to_bytes(2, "big") + len(card.photo).to_bytes(2, "big") \
                    + card.text + card.photo
            if para == 0x10:
                return 0x90, (len(card.text).to_bytes(2, "big") + len(card.photo).to_bytes(2, "big")
                              + len(card.fingerprint).to_bytes(2, "big") + card.text + card.photo + card.fingerprint)
            if para == 0x03:
                return (0x90, card.newest_address) if card.newest_address else (0x91, b"")
        return 0x21, b""

    def _send(self, out: bytes) -> None:
        if not self.baud:
            os.write(self.master, out)
            return
        # Pace like a UART at `baud` with 10 bits per byte (start + 8 data + stop), in 16-byte slices that are
        # handed over when their last byte would have finished arriving on the wire.
        per_byte = 10 / self.baud
        t0 = time.perf_counter()
        for i in range(0, len(out), 16):
            piece = out[i:i + 16]
            delay = t0 + (i + len(piece)) * per_byte - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            os.write(self.master, piece)
