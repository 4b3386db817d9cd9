"""Serial scanner modules through a real pseudo-terminal pair (the kiosk opens the pty like a serial port)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.events import ScanEvent
from drivers.scanner.serial_scanner import SerialScanner, split_lines
from kiosk.messages import KioskError


@pytest.fixture
def pty_pair() -> Iterator[tuple[int, str]]:
    master, slave = os.openpty()
    name = os.ttyname(slave)
    yield master, name
    os.close(master)
    os.close(slave)


class Events:
    def __init__(self, want: int) -> None:
        self.items: list[ScanEvent] = []
        self.want = want
        self.done = threading.Event()

    def __call__(self, e: ScanEvent) -> None:
        self.items.append(e)
        if len(self.items) >= self.want:
            self.done.set()


def test_lines_split_on_cr_lf_and_crlf() -> None:
    buf = bytearray(b"ONE\rTWO\nTHREE\r\n\r\nFOUR-PARTIAL")
    assert split_lines(buf) == ["ONE", "TWO", "THREE"]
    assert bytes(buf) == b"FOUR-PARTIAL"
    buf += b"\n"
    assert split_lines(buf) == ["FOUR-PARTIAL"]
    latin = bytearray(b"caf\xe9\n")
    assert split_lines(latin) == ["café"]


def test_codes_arrive_as_events_even_in_pieces(pty_pair: tuple[int, str]) -> None:
    master, name = pty_pair
    events = Events(want=2)
    scanner = SerialScanner(events, name, baud=9600, read_timeout=0.05)
    scanner.start()
    try:
        # Wait until the port is open (opening flushes the input), then send a code in pieces and a second one.
        assert scanner.connected.wait(10)
        payload = "HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOO6"
        os.write(master, payload[:10].encode())
        os.write(master, payload[10:].encode())
        os.write(master, b"\r\n")
        os.write(master, b"KC1:SECOND\r")
        assert events.done.wait(10), events.items
    finally:
        scanner.stop()
    assert [e.payload for e in events.items] == [payload, "KC1:SECOND"]
    assert {e.source for e in events.items} == {"serial"}


def test_same_code_repeated_quickly_is_one_event(pty_pair: tuple[int, str]) -> None:
    master, name = pty_pair
    events = Events(want=2)
    scanner = SerialScanner(events, name, read_timeout=0.05, repeat_seconds=60)
    scanner.start()
    try:
        assert scanner.connected.wait(10)
        os.write(master, b"CODE-A\r\nCODE-A\r\nCODE-A\r\nCODE-B\r\n")
        assert events.done.wait(10)
    finally:
        scanner.stop()
    assert [e.payload for e in events.items] == ["CODE-A", "CODE-B"]


def test_missing_port_reports_and_retries(tmp_path: Path) -> None:
    errors: list[KioskError] = []
    got = threading.Event()

    def on_error(e: KioskError) -> None:
        errors.append(e)
        if len(errors) >= 2:
            got.set()

    scanner = SerialScanner(lambda e: None, str(tmp_path / "ttyUSB9"), on_error=on_error, retry_seconds=0.05)
    scanner.start()
    try:
        assert got.wait(10)  # it keeps trying (a module plugged in later is picked up)
    finally:
        scanner.stop()
    assert errors[0].kind == "scanner_unavailable" and not scanner.running
