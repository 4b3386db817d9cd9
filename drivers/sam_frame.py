"""GA 467 SAM frame codec: build command frames, find and check answer frames in a byte stream.

Frame: `AA AA AA 96 69 | LEN (2 bytes, big-endian, counts the bytes after it, checksum included) | body |
checksum`; the checksum is the XOR of every byte from LEN on. A command body is `CMD PARA DATA`, an answer
body is `SW1 SW2 SW3 DATA`. Every decoding failure raises `ReaderError` (kinds frame_checksum/frame_invalid).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from drivers.errors import ReaderError, reader_error

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_LEN = len(PREAMBLE) + 2
MAX_LEN = 4096  # longest real answer is text+photo+fingerprint (~2.3 KB); more means a corrupt length

# Commands as (CMD, PARA).
RESET_SAM = (0x10, 0xFF)
SAM_STATUS = (0x11, 0xFF)
SAM_ID = (0x12, 0xFF)
FIND_CARD = (0x20, 0x01)
SELECT_CARD = (0x20, 0x02)
READ_TEXT_PHOTO = (0x30, 0x01)
READ_TEXT_PHOTO_FP = (0x30, 0x10)
READ_NEWEST_ADDRESS = (0x30, 0x03)

# SW3 values that mean success; everything else maps to an error kind below.
SW3_OK = 0x90
SW3_FIND_OK = 0x9F
SW3_KINDS: dict[int, str] = {
    0x80: "no_card",  # find card failed: nothing on the reader
    0x81: "select_failed",
    0x41: "read_failed",
    0x10: "frame_checksum",  # the SAM received a frame with a bad checksum
    0x11: "frame_length",
    0x21: "bad_command",
    0x23: "not_allowed",
    0x24: "unknown_error",
    0x31: "authentication_failed",  # card authenticating the reader failed
    0x32: "authentication_failed",  # reader authenticating the card failed
    0x33: "data_check_failed",
    0x40: "unknown_card_type",
    0x47: "random_number_failed",
    0x60: "sam_self_test_failed",
    0x66: "sam_not_authorized",
    0x91: "no_content",
}


def checksum(data: bytes | bytearray | memoryview) -> int:
    """XOR of all bytes, folded as one big integer (halves XORed together) instead of a Python loop per byte."""
    width = len(data)
    value = int.from_bytes(data, "little")
    while width > 1:
        half = (width + 1) // 2
        value = (value & ((1 << (8 * half)) - 1)) ^ (value >> (8 * half))
        width = half
    return value


def encode_frame(body: bytes) -> bytes:
    """Wrap a body (command or answer) into a frame with length and checksum."""
    length = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + length + body + bytes([checksum(length + body)])


def encode_command(command: tuple[int, int], data: bytes = b"") -> bytes:
    return encode_frame(bytes(command) + data)


@dataclass(frozen=True, slots=True)
class Answer:
    sw1: int
    sw2: int
    sw3: int
    data: bytes = field(repr=False)  # may hold a card's text and photo: never in a log line

    @property
    def ok(self) -> bool:
        return self.sw3 in (SW3_OK, SW3_FIND_OK)

    def error(self) -> ReaderError:
        return reader_error(SW3_KINDS.get(self.sw3, "unknown_error"), detail=f"SW3={self.sw3:02X}")


def frame_length(header: bytes | bytearray) -> int:
    """Total frame size given its first HEADER_LEN bytes (which must start with the preamble)."""
    n = int.from_bytes(header[len(PREAMBLE):HEADER_LEN], "big")
    if n < 1 or n > MAX_LEN:
        raise reader_error("frame_invalid", detail=f"length {n}")
    return HEADER_LEN + n


def decode_answer(frame: bytes | bytearray) -> Answer:
    """Check one complete answer frame and split it; raises ReaderError on any defect."""
    if len(frame) < HEADER_LEN or frame[:len(PREAMBLE)] != PREAMBLE:
        raise reader_error("frame_invalid", detail="preamble")
    total = frame_length(frame)
    if len(frame) != total:
        raise reader_error("frame_invalid", detail=f"size {len(frame)} != {total}")
    if total < HEADER_LEN + 4:  # SW1 SW2 SW3 + checksum
        raise reader_error("frame_invalid", detail="too short")
    if checksum(memoryview(frame)[len(PREAMBLE):-1]) != frame[-1]:
        raise reader_error("frame_checksum", detail="answer checksum")
    body = bytes(frame[HEADER_LEN:-1])
    return Answer(body[0], body[1], body[2], body[3:])


class FrameScanner:
    """Accumulates bytes from the serial line and yields whole frames, skipping garbage before a preamble."""

    def __init__(self) -> None:
        self._buf = bytearray()

    def clear(self) -> None:
        self._buf[:] = bytes(len(self._buf))  # zero first: the buffer may have held card data
        self._buf.clear()

    def needed(self) -> int:
        """How many more bytes would complete the current frame (at least 1)."""
        start = self._buf.find(PREAMBLE)
        if start < 0 or len(self._buf) - start < HEADER_LEN:
            return max(1, HEADER_LEN - len(self._buf))
        try:
            total = frame_length(self._buf[start:start + HEADER_LEN])
        except ReaderError:
            return 1
        return max(1, start + total - len(self._buf))

    def feed(self, data: bytes) -> bytearray | None:
        """Add bytes; return one complete frame (preamble included) when available, else None.

        A preamble followed by an impossible length is skipped (one byte on) so the scan resynchronises.
        """
        self._buf += data
        while True:
            start = self._buf.find(PREAMBLE)
            if start < 0:
                # Keep a tail that could be the start of a preamble split across reads.
                del self._buf[:max(0, len(self._buf) - (len(PREAMBLE) - 1))]
                return None
            if start:
                del self._buf[:start]
            if len(self._buf) < HEADER_LEN:
                return None
            try:
                total = frame_length(self._buf)
            except ReaderError:
                del self._buf[:1]
                continue
            if len(self._buf) < total:
                return None
            frame = self._buf[:total]
            del self._buf[:total]
            return frame
