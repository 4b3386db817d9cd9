"""PC/SC card reader watcher (pyscard → libpcsclite → pcscd) that survives pcscd restarts and reader unplugs.

pyscard's CardMonitor/ReaderMonitor stop for good when pcscd restarts, so this loop talks to the scard API
directly, the way mature eID middleware does: list readers every turn, wait on `SCardGetStatusChange` with
the `\\\\?PnP?\\Notification` pseudo-reader (bounded wait, so stop() is quick), and re-establish the context
after any unexpected return code (SCARD_E_NO_SERVICE, INVALID_HANDLE, COMM_ERROR... while pcscd restarts).
Cards are read on the same thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from smartcard import scard as sc

from drivers.errors import ReaderError, reader_error
from drivers.events import ReaderCallback, ReaderEventKind
from drivers.pcsc_cards import Transmit, read_any
from drivers.reader import CardReader
from kiosk.identity.record import IdentityRecord

log = logging.getLogger(__name__)
T = TypeVar("T")

PNP_NOTIFICATION = "\\\\?PnP?\\Notification"

_KINDS: dict[int, str] = {
    sc.SCARD_E_NO_SERVICE: "no_service",
    sc.SCARD_E_SERVICE_STOPPED: "no_service",
    sc.SCARD_E_NO_READERS_AVAILABLE: "no_reader",
    sc.SCARD_E_UNKNOWN_READER: "no_reader",
    sc.SCARD_E_READER_UNAVAILABLE: "no_reader",
    sc.SCARD_E_NO_SMARTCARD: "no_card",
    sc.SCARD_W_REMOVED_CARD: "card_removed",
    sc.SCARD_W_RESET_CARD: "card_removed",
    sc.SCARD_E_SHARING_VIOLATION: "reader_busy",
    sc.SCARD_W_UNRESPONSIVE_CARD: "card_unresponsive",
    sc.SCARD_W_UNPOWERED_CARD: "card_unresponsive",
    sc.SCARD_E_PROTO_MISMATCH: "card_unresponsive",
    sc.SCARD_E_NOT_TRANSACTED: "card_unresponsive",
    sc.SCARD_E_TIMEOUT: "timeout",
}


def pcsc_error(hresult: int, where: str) -> ReaderError:
    """A ReaderError for a PC/SC return code; the detail names the call and the code for technicians."""
    return reader_error(_KINDS.get(hresult, "pcsc_error"), detail=f"{where}: 0x{hresult & 0xFFFFFFFF:08X}")


class _ContextLostError(Exception):
    pass


def list_readers(context: Any) -> list[str]:
    hresult, readers = sc.SCardListReaders(context, [])
    if hresult == sc.SCARD_E_NO_READERS_AVAILABLE:
        return []
    if hresult != sc.SCARD_S_SUCCESS:
        # Any other failure (pcscd gone, handle invalid, or odd codes libpcsclite returns while the daemon
        # restarts) means: drop this context and establish a new one.
        raise _ContextLostError(f"SCardListReaders 0x{hresult & 0xFFFFFFFF:08X}")
    return list(readers)


def read_card(context: Any, reader: str) -> IdentityRecord:
    """Connect to the card in `reader`, identify and read it, disconnect (leaving the card as it was)."""
    return with_card(context, reader, read_any)


def with_card(context: Any, reader: str, use: Callable[[Transmit], T]) -> T:
    """Connect to the card in `reader`, run `use(transmit)` inside one PC/SC transaction, disconnect."""
    hresult, card, protocol = sc.SCardConnect(context, reader, sc.SCARD_SHARE_SHARED,
                                              sc.SCARD_PROTOCOL_T0 | sc.SCARD_PROTOCOL_T1)
    if hresult != sc.SCARD_S_SUCCESS:
        raise pcsc_error(hresult, "SCardConnect")

    def transmit(command: bytes) -> tuple[bytes, int]:
        hr, response = sc.SCardTransmit(card, protocol, list(command))
        if hr != sc.SCARD_S_SUCCESS:
            raise pcsc_error(hr, "SCardTransmit")
        if len(response) < 2:
            raise reader_error("card_unresponsive", detail="short response")
        return bytes(response[:-2]), (response[-2] << 8) | response[-1]

    try:
        # A transaction keeps other PC/SC clients from slipping APDUs between ours mid-read.
        hresult = sc.SCardBeginTransaction(card)
        if hresult != sc.SCARD_S_SUCCESS:
            raise pcsc_error(hresult, "SCardBeginTransaction")
        try:
            return use(transmit)
        finally:
            sc.SCardEndTransaction(card, sc.SCARD_LEAVE_CARD)
    finally:
        sc.SCardDisconnect(card, sc.SCARD_LEAVE_CARD)


def on_card(reader_filter: str | None, use: Callable[[Transmit], T]) -> T:
    """Run `use(transmit)` on the card in the first reader matching `reader_filter` (a one-off context)."""
    hresult, context = sc.SCardEstablishContext(sc.SCARD_SCOPE_USER)
    if hresult != sc.SCARD_S_SUCCESS:
        raise pcsc_error(hresult, "SCardEstablishContext")
    try:
        readers = [r for r in list_readers(context) if not reader_filter or reader_filter in r]
        if not readers:
            raise reader_error("no_reader", detail=reader_filter or "")
        return with_card(context, readers[0], use)
    finally:
        sc.SCardReleaseContext(context)


class PcscReader(CardReader):
    """Watches every PC/SC reader (or those whose name contains `reader_filter`) and reads each placed card once."""

    def __init__(self, callback: ReaderCallback, reader_filter: str | None = None, *, wait_ms: int = 500,
                 retry_seconds: float = 1.0) -> None:
        super().__init__(callback)
        self.name = "pcsc"
        self.reader_filter = reader_filter
        self.wait_ms = wait_ms
        self.retry_seconds = retry_seconds
        self._context: Any = None
        self._last_error: str | None = None

    def _wake(self) -> None:
        context = self._context
        if context is not None:
            sc.SCardCancel(context)  # ends a pending SCardGetStatusChange at once

    def _report(self, error: ReaderError, reader: str = "") -> None:
        if error.kind != self._last_error:  # once per streak, not every turn of the loop
            self._last_error = error.kind
            self._emit_error(error, reader)

    def _run(self) -> None:
        while not self._stop.is_set():
            hresult, context = sc.SCardEstablishContext(sc.SCARD_SCOPE_USER)
            if hresult != sc.SCARD_S_SUCCESS:
                self._report(pcsc_error(hresult, "SCardEstablishContext"))
                self._stop.wait(self.retry_seconds)
                continue
            self._context = context
            known: dict[str, int] = {}
            lost: _ContextLostError | None = None
            try:
                self._watch(context, known)
            except _ContextLostError as exc:
                lost = exc
            except ReaderError as exc:  # never let the watcher die: report, then start over with a new context
                self._report(exc)
            finally:
                self._context = None
                sc.SCardReleaseContext(context)
                for name, state in known.items():
                    if state & sc.SCARD_STATE_PRESENT:
                        self._emit(ReaderEventKind.CARD_REMOVED, reader=name)
                    self._emit(ReaderEventKind.READER_DISCONNECTED, reader=name)
            if lost is not None:  # if pcscd is really gone, establishing the next context reports no_service
                log.info("pcsc context lost (%s); establishing a new one", lost)
            self._stop.wait(self.retry_seconds)

    def _wanted(self, name: str) -> bool:
        return self.reader_filter is None or self.reader_filter.lower() in name.lower()

    def _watch(self, context: Any, known: dict[str, int]) -> None:
        """Wait for changes until stopped; `known` maps each reader to its last state (kept for cleanup)."""
        pnp_state = sc.SCARD_STATE_UNAWARE
        while not self._stop.is_set():
            readers = [r for r in list_readers(context) if self._wanted(r)]
            for gone in [r for r in known if r not in readers]:
                if known.pop(gone) & sc.SCARD_STATE_PRESENT:
                    self._emit(ReaderEventKind.CARD_REMOVED, reader=gone)
                self._emit(ReaderEventKind.READER_DISCONNECTED, reader=gone)
            for new in [r for r in readers if r not in known]:
                known[new] = sc.SCARD_STATE_UNAWARE
                self._last_error = None
                self._emit(ReaderEventKind.READER_CONNECTED, reader=new)
            if not readers:
                self._report(reader_error("no_reader", detail=self.reader_filter or "none listed"))
            query = [(PNP_NOTIFICATION, pnp_state)] + [(r, known[r]) for r in readers]
            hresult, states = sc.SCardGetStatusChange(context, self.wait_ms, query)
            if hresult in (sc.SCARD_E_TIMEOUT, sc.SCARD_E_CANCELLED, sc.SCARD_E_UNKNOWN_READER,
                           sc.SCARD_E_READER_UNAVAILABLE):
                continue  # nothing changed, stop requested, or a reader vanished: list again
            if hresult != sc.SCARD_S_SUCCESS:
                raise _ContextLostError(f"SCardGetStatusChange 0x{hresult & 0xFFFFFFFF:08X}")
            for name, event_state, _atr in states:
                if name == PNP_NOTIFICATION:
                    pnp_state = event_state & ~sc.SCARD_STATE_CHANGED
                elif name in known:
                    self._on_state(context, name, known, event_state)

    def _on_state(self, context: Any, name: str, known: dict[str, int], event_state: int) -> None:
        before = known[name]
        known[name] = event_state & ~sc.SCARD_STATE_CHANGED
        if event_state & (sc.SCARD_STATE_UNAVAILABLE | sc.SCARD_STATE_IGNORE):
            return
        was_in = bool(before & sc.SCARD_STATE_PRESENT)
        now_in = bool(event_state & sc.SCARD_STATE_PRESENT)
        # pcsc-lite counts card events in the upper 16 bits: a different count with a card both times means
        # the card was swapped between two waits.
        swapped = was_in and now_in and (before >> 16) != (event_state >> 16) and before >> 16 != 0
        if was_in and (not now_in or swapped):
            self._emit(ReaderEventKind.CARD_REMOVED, reader=name)
        if now_in and (not was_in or swapped):
            self._emit(ReaderEventKind.CARD_PRESENT, reader=name)
            if event_state & sc.SCARD_STATE_MUTE:
                self._report(reader_error("card_unresponsive", detail="mute"), name)
                return
            try:
                record = read_card(context, name)
            except ReaderError as exc:
                if exc.kind in ("card_unresponsive", "read_failed") and self._gone(context, name, known[name]):
                    exc = reader_error("card_removed", detail=exc.detail)
                self._last_error = None  # each failed placement is reported
                self._report(exc, name)
                return
            self._last_error = None
            self._emit(ReaderEventKind.IDENTITY, reader=name, record=record)

    def _gone(self, context: Any, name: str, state: int) -> bool:
        """After a failed read: did the card leave? (pcscd notices within its polling period, so wait ≤1 s.)"""
        hresult, states = sc.SCardGetStatusChange(context, 1000, [(name, state)])
        return hresult == sc.SCARD_S_SUCCESS and not states[0][1] & sc.SCARD_STATE_PRESENT
