"""Serial code-scanner modules (RS-232 or USB-CDC): pyserial, one code per CR/LF-terminated line."""

from __future__ import annotations

import logging
import threading

import serial

from drivers.events import ScanCallback
from drivers.scanner.base import CodeScanner, ErrorCallback, scanner_error

log = logging.getLogger(__name__)

MAX_LINE = 8192  # a QR code holds at most ~4 KiB; a line longer than this is noise, not a code


def split_lines(buffer: bytearray) -> list[str]:
    """Take every complete CR/LF/CRLF-terminated line out of `buffer` (in place); empty lines are dropped."""
    lines: list[str] = []
    while True:
        ends = [i for i in (buffer.find(b"\r"), buffer.find(b"\n")) if i >= 0]
        if not ends:
            if len(buffer) > MAX_LINE:
                del buffer[:]
            return lines
        end = min(ends)
        raw = bytes(buffer[:end])
        del buffer[:end + 1]
        if raw.strip():
            try:
                lines.append(raw.decode("utf-8").strip())
            except UnicodeDecodeError:
                lines.append(raw.decode("latin-1").strip())


class SerialScanner(CodeScanner):
    name = "serial"

    def __init__(self, callback: ScanCallback, port: str, *, baud: int = 9600, on_error: ErrorCallback | None = None,
                 repeat_seconds: float = 2.0, retry_seconds: float = 2.0, read_timeout: float = 0.2) -> None:
        super().__init__(callback, on_error=on_error, repeat_seconds=repeat_seconds)
        self.port = port
        self.baud = baud
        self.retry_seconds = retry_seconds
        self.read_timeout = read_timeout
        self.connected = threading.Event()  # set while the port is open (status screens, tests)

    def _open(self) -> serial.Serial:
        # serial_for_url also takes plain device paths, and loop:// or socket:// for bench set-ups.
        return serial.serial_for_url(self.port, baudrate=self.baud, timeout=self.read_timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                port = self._open()
            except (serial.SerialException, OSError, ValueError) as exc:
                self._error(scanner_error("scanner_unavailable", detail=f"{self.port}: {type(exc).__name__}"))
                if self._stop.wait(self.retry_seconds):
                    return
                continue
            self.connected.set()
            try:
                self._read_loop(port)
            except (serial.SerialException, OSError) as exc:
                self._error(scanner_error("scanner_lost", detail=f"{self.port}: {type(exc).__name__}"))
                if self._stop.wait(self.retry_seconds):
                    return
            finally:
                self.connected.clear()
                port.close()

    def _read_loop(self, port: serial.Serial) -> None:
        buffer = bytearray()
        while not self._stop.is_set():
            chunk = port.read(max(1, port.in_waiting or 1))
            if not chunk:
                continue
            buffer += chunk
            for line in split_lines(buffer):
                self._emit(line)
