"""GA 467 SAM ID-card reader over a serial port (USB-serial / USB-CDC), polled on its own worker thread.

One placement is read once: find → select → read text+photo, then the card is watched until it leaves.
Faults (no reply, damaged frames, SAM status errors) become ERROR events with a kind from `drivers.errors`;
a port that disappears is reopened every second, so an unplugged reader is found again when plugged back.
"""

from __future__ import annotations

import contextlib
import logging
import termios
import threading
import time

import serial

from drivers import sam_frame as sf
from drivers.errors import ReaderError, reader_error
from drivers.events import ReaderCallback, ReaderEventKind
from drivers.reader import CardReader
from drivers.textblock import decode_text_block
from kiosk.identity.record import IdentityRecord

log = logging.getLogger(__name__)

MIN_POLL_SECONDS = 0.3  # GA 467 readers must not be polled faster than this
_READ_CHUNK_TIMEOUT = 0.1  # one blocking read; short so stop() is honoured quickly
_RETRYABLE = frozenset({"no_reply", "frame_invalid", "frame_checksum", "frame_length"})
_SAM_FAULTS = frozenset({"sam_not_authorized", "sam_self_test_failed"})


class SamPortLostError(Exception):
    """The serial port went away (reader unplugged)."""


class SamLink:
    """One open serial connection to a SAM module: send a command frame, return its checked answer."""

    def __init__(self, port: str, baud: int = 115200, *, timeout: float = 1.0, retries: int = 2) -> None:
        self.port, self.baud, self.timeout, self.retries = port, baud, timeout, retries
        self._serial: serial.Serial | None = None
        self._scanner = sf.FrameScanner()
        self.cancel: threading.Event | None = None  # set → give up waiting at once (the reader is stopping)

    def open(self) -> None:
        try:
            self._serial = serial.Serial(self.port, self.baud, timeout=_READ_CHUNK_TIMEOUT, write_timeout=1.0)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise reader_error("port_unavailable", detail=f"{self.port}: {type(exc).__name__}") from None

    def close(self) -> None:
        if self._serial is not None:
            with contextlib.suppress(serial.SerialException, OSError):
                self._serial.close()
            self._serial = None

    @property
    def is_open(self) -> bool:
        return self._serial is not None

    def transact(self, command: tuple[int, int], data: bytes = b"", *, timeout: float | None = None) -> sf.Answer:
        """Send and wait for the answer, retrying damaged or missing answers; SW3 errors are returned, not raised.

        Raises ReaderError (no_reply / frame_*) when every attempt failed, SamPortLostError when the port is gone.
        """
        last: ReaderError | None = None
        for _ in range(1 + self.retries):
            try:
                answer = self._exchange(sf.encode_command(command, data), timeout or self.timeout)
            except ReaderError as exc:
                if exc.kind not in _RETRYABLE:
                    raise
                last = exc
                continue
            if answer.sw3 in (0x10, 0x11):  # the SAM got our frame damaged: send it again
                last = answer.error()
                continue
            return answer
        assert last is not None
        raise last

    def _exchange(self, frame: bytes, timeout: float) -> sf.Answer:
        ser = self._serial
        if ser is None:
            raise SamPortLostError("not open")
        scanner = self._scanner
        scanner.clear()
        got_any = False
        try:
            ser.reset_input_buffer()  # drop late answers of an earlier, timed-out command
            ser.write(frame)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.cancel is not None and self.cancel.is_set():
                    raise SamPortLostError("cancelled")
                # Ask for exactly what completes the frame, so read() returns as soon as the answer is in.
                chunk = ser.read(max(scanner.needed(), ser.in_waiting))
                if not chunk:
                    continue
                got_any = True
                found = scanner.feed(chunk)
                if found is not None:
                    try:
                        return sf.decode_answer(found)
                    finally:
                        found[:] = bytes(len(found))  # raw card bytes do not linger in this buffer
                        scanner.clear()
        except (serial.SerialException, OSError, termios.error) as exc:  # termios.error is no OSError
            raise SamPortLostError(type(exc).__name__) from None
        raise reader_error("frame_invalid" if got_any else "no_reply", detail="truncated" if got_any else "timeout")


def parse_read_answer(data: bytes, *, with_fingerprint: bool = False) -> IdentityRecord:
    """Split a `30 01`/`30 10` answer (lengths, text, photo[, fingerprint]) and decode it; photo in memory only."""
    head = 6 if with_fingerprint else 4
    if len(data) < head:
        raise reader_error("card_data_invalid", detail="read answer too short")
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    fp_len = int.from_bytes(data[4:6], "big") if with_fingerprint else 0
    if len(data) != head + text_len + photo_len + fp_len:
        raise reader_error("card_data_invalid", detail="read answer lengths")
    record = decode_text_block(memoryview(data)[head:head + text_len])
    if photo_len:
        record.photo = bytearray(data[head + text_len:head + text_len + photo_len])
    return record  # the fingerprint, if any, is dropped here on purpose


class SamReader(CardReader):
    """Polls a SAM reader; emits READER_*/CARD_*/IDENTITY/ERROR events on its worker thread."""

    def __init__(self, callback: ReaderCallback, port: str, baud: int = 115200, *, poll_seconds: float = 0.3,
                 timeout: float = 1.0, retries: int = 2, reopen_seconds: float = 1.0,
                 with_fingerprint: bool = False, newest_address: bool = False) -> None:
        super().__init__(callback)
        self.name = f"sam:{port}"
        self.link = SamLink(port, baud, timeout=timeout, retries=retries)
        self.link.cancel = self._stop
        self.poll_seconds = max(MIN_POLL_SECONDS, poll_seconds)
        self.reopen_seconds = reopen_seconds
        self.with_fingerprint = with_fingerprint
        self.newest_address = newest_address
        self._last_error: str | None = None
        self._connected = False

    # -- loop ----------------------------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.link.open()
            except ReaderError as exc:
                self._report(exc)
                self._stop.wait(self.reopen_seconds)
                continue
            try:
                self._session()
            except SamPortLostError:
                log.info("reader %s: port lost", self.name)
            finally:
                self.link.close()
            if self._connected:
                self._connected = False
                self._emit(ReaderEventKind.READER_DISCONNECTED)
            self._stop.wait(self.reopen_seconds)

    def _session(self) -> None:
        """Poll while the port is usable; raises SamPortLostError when it goes away."""
        sam_ok = card_in = False
        while not self._stop.is_set():
            try:
                if not sam_ok:  # the SAM must pass its status check before any card is read
                    status = self.link.transact(sf.SAM_STATUS)
                    if not self._connected:
                        self._connected = True
                        self._last_error = None
                        self._emit(ReaderEventKind.READER_CONNECTED)
                    if not status.ok:
                        raise status.error()
                    sam_ok = True
                card_in = self._poll(card_in)
                self._last_error = None
            except ReaderError as exc:
                self._report(exc)
                if exc.kind in _SAM_FAULTS:
                    sam_ok = False
                    self._stop.wait(max(2.0, self.poll_seconds))  # a SAM fault needs a technician, poll slowly
                    continue
            self._stop.wait(self.poll_seconds)

    def _poll(self, card_in: bool) -> bool:
        """One poll step; returns whether a card (already handled) is on the reader."""
        if card_in:
            if self._present():
                return True
            self._emit(ReaderEventKind.CARD_REMOVED)
            return False
        found = self.link.transact(sf.FIND_CARD)
        if found.sw3 == 0x80:  # nothing on the reader
            return False
        if not found.ok:
            raise found.error()
        self._emit(ReaderEventKind.CARD_PRESENT)
        try:
            record = self.read_card()
        except ReaderError as exc:
            if exc.kind in ("read_failed", "select_failed") and not self._present():
                self._report(reader_error("card_removed", detail=exc.detail))
                self._emit(ReaderEventKind.CARD_REMOVED)
                return False
            self._report(exc)
            return True  # wait for the card to be lifted before trying again
        self._emit(ReaderEventKind.IDENTITY, record=record)
        return True

    def read_card(self) -> IdentityRecord:
        """Select and read the card found on the reader (raises ReaderError)."""
        selected = self.link.transact(sf.SELECT_CARD)
        if not selected.ok:
            raise selected.error()
        command = sf.READ_TEXT_PHOTO_FP if self.with_fingerprint else sf.READ_TEXT_PHOTO
        answer = self.link.transact(command, timeout=max(self.link.timeout, 2.0))
        if not answer.ok:
            raise answer.error()
        record = parse_read_answer(answer.data, with_fingerprint=self.with_fingerprint)
        if self.newest_address:
            newest = self.link.transact(sf.READ_NEWEST_ADDRESS)
            if newest.sw3 == sf.SW3_OK and newest.data.strip(b"\x00"):
                # A garbled newer address keeps the printed one rather than failing the whole read.
                with contextlib.suppress(UnicodeDecodeError):
                    record.address = newest.data.decode("utf-16-le").strip(" \x00") or record.address
            elif not newest.ok and newest.sw3 != 0x91:  # 91 = no newer address on this card
                raise newest.error()
        return record

    def _present(self) -> bool:
        """Is the card still there? Some cards stop answering 'find' after a read but still answer 'select'."""
        try:
            if self.link.transact(sf.FIND_CARD).ok:
                return True
            return self.link.transact(sf.SELECT_CARD).ok
        except ReaderError:
            return False

    def _report(self, error: ReaderError) -> None:
        """Emit an error once per streak: a fault repeating every poll would otherwise flood the screen."""
        if error.kind == self._last_error:
            return
        self._last_error = error.kind
        self._emit_error(error)
