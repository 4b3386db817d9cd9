"""The PC/SC watcher on a real stack: pyscard → libpcsclite → private pcscd → vpcd → virtual card (tests/drivers)."""

from __future__ import annotations

import contextlib
import datetime as dt
import queue
from collections.abc import Iterator

import pytest

from drivers.errors import MESSAGES, ReaderError
from drivers.events import ReaderEvent, ReaderEventKind
from drivers.pcsc import PcscReader, pcsc_error, read_card
from tests.drivers.pcsc_stack import PrivatePcscd
from tests.drivers.vpcd_card import ATR_CONTACTLESS, BadgeApp, SocialSecurityApp, VirtualCard

K = ReaderEventKind
READER = "Virtual PCD 00 00"
pytestmark = pytest.mark.pcsc


class Events:
    def __init__(self) -> None:
        self.q: queue.Queue[ReaderEvent] = queue.Queue()

    def __call__(self, ev: ReaderEvent) -> None:
        self.q.put(ev)

    def until(self, kind: ReaderEventKind, reader: str | None = READER, timeout: float = 15.0) -> ReaderEvent:
        while True:
            ev = self.q.get(timeout=timeout)
            if ev.kind == kind and (reader is None or ev.reader == reader):
                return ev


def _watch(events: Events) -> PcscReader:
    reader = PcscReader(events, "Virtual PCD 00 00", wait_ms=300, retry_seconds=0.3)
    reader.start()
    return reader


@contextlib.contextmanager
def _watching(pcscd: PrivatePcscd) -> Iterator[tuple[int, Events]]:
    """A private pcscd with one vpcd slot, a watcher on it, and its reader already seen; stopped afterwards."""
    port = pcscd.add_vpcd()
    pcscd.start()
    events = Events()
    watcher = _watch(events)
    try:
        events.until(K.READER_CONNECTED)
        yield port, events
    finally:
        watcher.stop()
    assert not watcher.running  # stop() joined the watcher thread


def test_social_security_card_and_badge(pcscd: PrivatePcscd) -> None:
    with _watching(pcscd) as (port, events):
        card = VirtualCard(port, SocialSecurityApp(name="林晓雯", id_number="44030419910708246X", sex="2",
                                                   ethnicity="08", birth=dt.date(1991, 7, 8)))
        card.insert()
        events.until(K.CARD_PRESENT)
        ev = events.until(K.IDENTITY)
        assert ev.record is not None
        assert ev.record.to_json_dict() == {
            "card_type": "social_security", "name": "林晓雯", "sex": "female", "ethnicity": "壮",
            "birth_date": "1991-07-08", "id_number": "44030419910708246X", "id_number_valid": True,
            "valid_from": "2019-08-01", "valid_until": "2029-08-01", "card_number": "A12345678"}
        card.remove()
        events.until(K.CARD_REMOVED)

        badge = VirtualCard(port, BadgeApp(), atr=ATR_CONTACTLESS)
        badge.insert()
        ev = events.until(K.IDENTITY)
        assert ev.record is not None and ev.record.to_json_dict() == {"card_type": "badge", "uid": "04A1B2C3D4E580"}
        badge.remove()
        events.until(K.CARD_REMOVED)


def test_card_removed_mid_read_then_next_card_reads(pcscd: PrivatePcscd) -> None:
    with _watching(pcscd) as (port, events):
        app = SocialSecurityApp(on_read=lambda record: record != 0x09)  # pulled out while the name is read
        VirtualCard(port, app).insert()
        ev = events.until(K.ERROR)
        assert ev.error is not None and ev.error.kind == "card_removed"
        events.until(K.CARD_REMOVED)
        card = VirtualCard(port, SocialSecurityApp())
        card.insert()
        ev = events.until(K.IDENTITY)
        assert ev.record is not None and ev.record.name == "陈桂芳"
        card.remove()


def test_unknown_card_is_reported(pcscd: PrivatePcscd) -> None:
    with _watching(pcscd) as (port, events):
        card = VirtualCard(port, lambda apdu: b"\x6a\x82")  # answers nothing we know
        card.insert()
        ev = events.until(K.ERROR)
        assert ev.error is not None and ev.error.kind == "unknown_card_type"
        card.remove()
        events.until(K.CARD_REMOVED)


def test_mute_card_is_reported_then_next_card_reads(pcscd: PrivatePcscd) -> None:
    with _watching(pcscd) as (port, events):
        mute = VirtualCard(port, BadgeApp(), atr=b"\x00")  # no usable answer to reset: no protocol to talk
        mute.insert()
        ev = events.until(K.ERROR)
        assert ev.error is not None and ev.error.kind == "card_unresponsive"
        mute.remove()
        events.until(K.CARD_REMOVED)
        badge = VirtualCard(port, BadgeApp(), atr=ATR_CONTACTLESS)
        badge.insert()
        ev = events.until(K.IDENTITY)
        assert ev.record is not None and ev.record.uid == "04A1B2C3D4E580"
        badge.remove()


def test_reader_appearing_after_start(pcscd: PrivatePcscd) -> None:
    # pcscd 1.9.9 adds serial-configured readers (vpcd) only when it starts (SIGUSR1 rescans USB only), so the
    # reader "appears" by pcscd coming back with it configured; a USB reader appears through the same PnP path.
    pcscd.start()  # no reader configured yet
    events = Events()
    watcher = _watch(events)
    try:
        ev = events.until(K.ERROR, reader=None)
        assert ev.error is not None and ev.error.kind == "no_reader"
        port = pcscd.add_vpcd()
        pcscd.stop()
        pcscd.start()
        events.until(K.READER_CONNECTED)
        card = VirtualCard(port, BadgeApp(), atr=ATR_CONTACTLESS)
        card.insert()
        ev = events.until(K.IDENTITY)
        assert ev.record is not None and ev.record.uid == "04A1B2C3D4E580"
        card.remove()
    finally:
        watcher.stop()


@pytest.mark.slow
def test_pcscd_restarted_while_watching(pcscd: PrivatePcscd) -> None:
    port = pcscd.add_vpcd()
    events = Events()
    watcher = _watch(events)  # started before pcscd runs at all
    try:
        ev = events.until(K.ERROR, reader=None)
        assert ev.error is not None and ev.error.kind == "no_service"
        pcscd.start()
        events.until(K.READER_CONNECTED)
        pcscd.stop()
        ev = events.until(K.READER_DISCONNECTED)
        ev = events.until(K.ERROR, reader=None)
        assert ev.error is not None and ev.error.kind == "no_service"
        pcscd.start()
        events.until(K.READER_CONNECTED)
        card = VirtualCard(port, SocialSecurityApp())
        card.insert()
        ev = events.until(K.IDENTITY)
        assert ev.record is not None and ev.record.id_number == "440106195403151232"
        card.remove()
        events.until(K.CARD_REMOVED)
    finally:
        watcher.stop()
    assert not watcher.running


def test_no_card_and_sharing_violation_map_to_kinds(pcscd: PrivatePcscd) -> None:
    from smartcard import scard as sc

    port = pcscd.add_vpcd()
    pcscd.start()
    hr, ctx = sc.SCardEstablishContext(sc.SCARD_SCOPE_USER)
    assert hr == sc.SCARD_S_SUCCESS
    card = VirtualCard(port, SocialSecurityApp())
    try:
        with pytest.raises(ReaderError) as exc:
            read_card(ctx, READER)  # nothing on the reader yet
        assert exc.value.kind == "no_card"
        card.insert()
        state = sc.SCARD_STATE_UNAWARE
        for _ in range(50):  # wait (on state changes, 200 ms at most each) until pcscd has seen the card
            hr, states = sc.SCardGetStatusChange(ctx, 200, [(READER, state)])
            if hr == sc.SCARD_S_SUCCESS:
                state = states[0][1] & ~sc.SCARD_STATE_CHANGED
            if state & sc.SCARD_STATE_PRESENT:
                break
        assert state & sc.SCARD_STATE_PRESENT
        hr, handle, _ = sc.SCardConnect(ctx, READER, sc.SCARD_SHARE_EXCLUSIVE,
                                        sc.SCARD_PROTOCOL_T0 | sc.SCARD_PROTOCOL_T1)
        assert hr == sc.SCARD_S_SUCCESS
        with pytest.raises(ReaderError) as exc:
            read_card(ctx, READER)
        assert exc.value.kind == "reader_busy"
        sc.SCardDisconnect(handle, sc.SCARD_LEAVE_CARD)
        assert read_card(ctx, READER).id_number == "440106195403151232"
    finally:
        sc.SCardReleaseContext(ctx)
        card.remove()


def test_pcsc_codes_map_to_plain_kinds() -> None:
    from smartcard import scard as sc

    expected = {sc.SCARD_E_NO_SERVICE: "no_service", sc.SCARD_E_NO_READERS_AVAILABLE: "no_reader",
                sc.SCARD_E_NO_SMARTCARD: "no_card", sc.SCARD_W_REMOVED_CARD: "card_removed",
                sc.SCARD_E_SHARING_VIOLATION: "reader_busy", sc.SCARD_W_UNRESPONSIVE_CARD: "card_unresponsive",
                0x80100001: "pcsc_error"}
    for code, kind in expected.items():
        err = pcsc_error(code, "test")
        assert err.kind == kind and kind in MESSAGES
        assert err.message.zh and err.message.en
