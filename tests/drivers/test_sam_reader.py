"""The SAM reader driver against the pty SAM emulator: every card type, every fault, recovery afterwards."""

from __future__ import annotations

import os
import queue
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.events import ReaderEvent, ReaderEventKind
from drivers.sam import SamReader
from drivers.textblock import encode_text_block
from kiosk.identity.record import IdentityRecord
from tests.drivers.card_samples import FOREIGN_2017, FOREIGN_2023, PERMIT, RESIDENT
from tests.drivers.sam_emulator import Card, SamEmulator

K = ReaderEventKind

class Events:
    def __init__(self) -> None:
        self.q: queue.Queue[ReaderEvent] = queue.Queue()

    def __call__(self, ev: ReaderEvent) -> None:
        self.q.put(ev)

    def next(self, timeout: float = 10.0) -> ReaderEvent:
        return self.q.get(timeout=timeout)

    def until(self, kind: ReaderEventKind, timeout: float = 10.0) -> tuple[ReaderEvent, list[ReaderEvent]]:
        """Wait for the next event of `kind`; also return the events seen before it."""
        seen: list[ReaderEvent] = []
        while True:
            ev = self.next(timeout)
            if ev.kind == kind:
                return ev, seen
            seen.append(ev)


@pytest.fixture
def emu() -> Iterator[SamEmulator]:
    e = SamEmulator().start()
    yield e
    e.close()


@pytest.fixture
def events() -> Events:
    return Events()


def _reader(emu_path: str, events: Events, **kw: object) -> SamReader:
    kw = {"timeout": 0.5, "retries": 1, "reopen_seconds": 0.2, **kw}
    return SamReader(events, emu_path, **kw)  # type: ignore[arg-type]


def _fields(rec: IdentityRecord) -> dict[str, object]:
    return rec.to_json_dict()


@pytest.mark.parametrize(("record", "flag"), [(RESIDENT, " "), (PERMIT, "J"), (FOREIGN_2017, "I"),
                                               (FOREIGN_2023, "Y")], ids=["resident", "permit", "fpr2017", "fpr2023"])
def test_reads_every_card_type_once_per_placement(emu: SamEmulator, events: Events, record: IdentityRecord,
                                                  flag: str) -> None:
    reader = _reader(emu.path, events)
    reader.start()
    try:
        assert events.next().kind == K.READER_CONNECTED
        emu.place(Card(encode_text_block(record, flag)))
        assert events.next().kind == K.CARD_PRESENT
        ev = events.next()
        assert ev.kind == K.IDENTITY and ev.record is not None
        assert _fields(ev.record) == _fields(record)
        assert ev.record.photo is not None and len(ev.record.photo) == 1024
        reads_before = emu.commands.count((0x30, 0x01))
        # Still on the reader: the card is watched, not read again; lifting it ends the placement.
        for _ in range(3):
            emu.answered.clear()
            assert emu.answered.wait(5)
        emu.lift()
        assert events.next().kind == K.CARD_REMOVED
        assert emu.commands.count((0x30, 0x01)) == reads_before == 1
    finally:
        reader.stop()
    assert not reader.running


def test_fingerprint_is_discarded_and_newest_address_used(emu: SamEmulator, events: Events) -> None:
    newest = "广东省广州市海珠区新址路9号".ljust(35).encode("utf-16-le")
    emu.place(Card(encode_text_block(RESIDENT), fingerprint=bytes(1024), newest_address=newest))
    reader = _reader(emu.path, events, with_fingerprint=True, newest_address=True)
    reader.start()
    try:
        ev, _ = events.until(K.IDENTITY)
        assert ev.record is not None and ev.record.address == "广东省广州市海珠区新址路9号"
        assert ev.record.id_number == RESIDENT.id_number
        assert (0x30, 0x10) in emu.commands and (0x30, 0x03) in emu.commands
    finally:
        reader.stop()


def test_poll_interval_is_never_below_300ms(emu: SamEmulator, events: Events) -> None:
    reader = _reader(emu.path, events, poll_seconds=0.01)
    assert reader.poll_seconds == 0.3


def _expect_error(events: Events, kind: str) -> None:
    ev, _ = events.until(K.ERROR)
    assert ev.error is not None
    assert ev.error.kind == kind, ev.error
    assert ev.error.message.zh and ev.error.message.en


def _read_ok(emu: SamEmulator, events: Events, record: IdentityRecord = RESIDENT, *, lift_first: bool = True) -> None:
    """The reader works: the card is lifted (the reader notices), a fresh placement is read correctly."""
    if lift_first:
        emu.lift()
        events.until(K.CARD_REMOVED)
    emu.place(Card(encode_text_block(record)))
    ev, _ = events.until(K.IDENTITY)
    assert ev.record is not None and _fields(ev.record) == _fields(record)
    emu.lift()
    events.until(K.CARD_REMOVED)


@pytest.mark.parametrize(("fault", "kind"), [("checksum", "frame_checksum"), ("truncate", "frame_invalid"),
                                             ("silent", "no_reply")])
def test_damaged_answers_give_an_error_kind_then_recover(emu: SamEmulator, events: Events, fault: str,
                                                         kind: str) -> None:
    reader = _reader(emu.path, events)
    reader.start()
    try:
        events.until(K.READER_CONNECTED)
        emu.fault(fault, cmd=0x30, times=2)  # the first attempt and its retry both fail
        emu.place(Card(encode_text_block(RESIDENT)))
        _expect_error(events, kind)
        _read_ok(emu, events)
        emu.fault("silent", times=100)  # stopping while the reader waits for an answer that never comes
        emu.answered.clear()
        assert emu.answered.wait(5)
    finally:
        reader.stop(timeout=1.0)
    assert not reader.running


def test_one_damaged_answer_is_retried_without_error(emu: SamEmulator, events: Events) -> None:
    reader = _reader(emu.path, events)
    reader.start()
    try:
        events.until(K.READER_CONNECTED)
        emu.fault("checksum", cmd=0x30, times=1)
        emu.place(Card(encode_text_block(PERMIT, "J")))
        ev, seen = events.until(K.IDENTITY)
        assert ev.record is not None and _fields(ev.record) == _fields(PERMIT)
        assert [e.kind for e in seen] == [K.CARD_PRESENT]
    finally:
        reader.stop()


def test_garbage_before_preamble_is_skipped(emu: SamEmulator, events: Events) -> None:
    emu.fault("garbage", times=4)  # SAM status, find, select, read
    emu.place(Card(encode_text_block(FOREIGN_2023, "Y")))
    reader = _reader(emu.path, events)
    reader.start()
    try:
        ev, seen = events.until(K.IDENTITY)
        assert ev.record is not None and _fields(ev.record) == _fields(FOREIGN_2023)
        assert not [e for e in seen if e.kind == K.ERROR]
        assert not emu.faults  # every answer of the read really came with garbage in front
    finally:
        reader.stop()


def test_card_removed_between_select_and_read(emu: SamEmulator, events: Events) -> None:
    reader = _reader(emu.path, events)
    reader.start()
    try:
        events.until(K.READER_CONNECTED)
        emu.fault("remove_before_read", cmd=0x30)
        emu.place(Card(encode_text_block(RESIDENT)))
        _expect_error(events, "card_removed")
        assert events.next().kind == K.CARD_REMOVED
        _read_ok(emu, events, lift_first=False)
    finally:
        reader.stop()


def test_read_failure_with_card_still_present_waits_for_replacement(emu: SamEmulator, events: Events) -> None:
    reader = _reader(emu.path, events)
    reader.start()
    try:
        events.until(K.READER_CONNECTED)
        emu.fault("sw:41", cmd=0x30)
        emu.place(Card(encode_text_block(RESIDENT)))
        _expect_error(events, "read_failed")
        _read_ok(emu, events)
    finally:
        reader.stop()


@pytest.mark.parametrize(("sw3", "kind"), [(0x31, "authentication_failed"), (0x33, "data_check_failed"),
                                           (0x40, "unknown_card_type"), (0x47, "random_number_failed"),
                                           (0x24, "unknown_error")])
def test_status_words_of_a_read_map_to_kinds(emu: SamEmulator, events: Events, sw3: int, kind: str) -> None:
    reader = _reader(emu.path, events)
    reader.start()
    try:
        events.until(K.READER_CONNECTED)
        emu.fault(f"sw:{sw3:02x}", cmd=0x30)
        emu.place(Card(encode_text_block(RESIDENT)))
        _expect_error(events, kind)
        _read_ok(emu, events)
    finally:
        reader.stop()


def test_sam_not_authorized_then_fixed(emu: SamEmulator, events: Events) -> None:
    emu.sam_status = 0x66
    emu.place(Card(encode_text_block(RESIDENT)))
    reader = _reader(emu.path, events)
    reader.start()
    try:
        assert events.next().kind == K.READER_CONNECTED
        _expect_error(events, "sam_not_authorized")
        assert (0x30, 0x01) not in emu.commands
        emu.sam_status = 0x90  # the technician fixes the SAM; the reader resumes without a restart
        ev, _ = events.until(K.IDENTITY)
        assert ev.record is not None and ev.record.id_number == RESIDENT.id_number
    finally:
        reader.stop()


def test_unknown_type_flag_in_text_block(emu: SamEmulator, events: Events) -> None:
    block = bytearray(encode_text_block(RESIDENT))
    block[248:250] = "Q".encode("utf-16-le")
    reader = _reader(emu.path, events)
    reader.start()
    try:
        events.until(K.READER_CONNECTED)
        emu.place(Card(bytes(block)))
        _expect_error(events, "unknown_card_type")
        _read_ok(emu, events)
    finally:
        reader.stop()


def test_missing_port_then_plugged_in_then_unplugged(tmp_path: Path, events: Events) -> None:
    link = tmp_path / "ttyREADER"  # a stable name, like a udev symlink, that comes and goes with the device
    reader = _reader(str(link), events)
    reader.start()
    try:
        _expect_error(events, "port_unavailable")
        emu = SamEmulator().start()
        try:
            link.symlink_to(emu.path)
            assert events.until(K.READER_CONNECTED)[0].reader == f"sam:{link}"
            emu.place(Card(encode_text_block(RESIDENT)))
            events.until(K.IDENTITY)
            link.unlink()
        finally:
            emu.close()  # the device disappears: reads on the port fail
        events.until(K.READER_DISCONNECTED)
        emu2 = SamEmulator().start()
        try:
            link.symlink_to(emu2.path)
            events.until(K.READER_CONNECTED)
            _read_ok(emu2, events, PERMIT, lift_first=False)
        finally:
            reader.stop()
            emu2.close()
    finally:
        reader.stop()
        if link.is_symlink():
            os.unlink(link)
