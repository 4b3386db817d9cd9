"""The window's link to the Qt-free journey: runs the journey's effects (store work on the worker thread,
printing, asking the hub about a help request, waking the sync worker) and feeds each answer back as a
`Result`."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from kiosk.disk import is_storage_full, storage_full
from kiosk.journey import Result
from kiosk.journey.states import Effect
from kiosk.journey.work import WORKER_KINDS, WorkContext, run
from kiosk.locale import phrase
from kiosk.messages import KioskError

if TYPE_CHECKING:
    from ui.host import Host

log = logging.getLogger(__name__)

_UNEXPECTED = phrase("ui.journey._unexpected")
_NO_HUB = phrase("ui.journey._no_hub")


class EffectRunner:
    """Runs what the journey asks for and sends the answers back to the window (`win.send(Result(...))`)."""

    def __init__(self, win: Host, ctx: WorkContext) -> None:
        self.win = win
        self.ctx = ctx

    def run(self, effects: list[Effect]) -> None:
        win = self.win
        for e in effects:
            if e.kind in WORKER_KINDS:
                self._on_worker(e)
            elif e.kind == "print_receipt":
                from ui.printing import print_doc, receipt_doc

                doc = receipt_doc(win, e.data["receipts"], e.data["name"], e.data["id_text"])
                name = e.data["receipts"][0].receipt_no if e.data["receipts"] else "receipt"
                print_doc(win, doc, name, self._answer(e))
            elif e.kind == "print_ticket":
                from ui.printing import print_ticket

                print_ticket(win, e.data["ticket"], self._answer(e))
            elif e.kind == "wake_sync":
                if win.deps.wake_sync is not None:
                    win.deps.wake_sync()
            elif e.kind == "poll_help":
                assert isinstance(win, QObject)  # the window: a poll still waiting dies with it
                QTimer.singleShot(int(e.data.get("delay", 0) * 1000), win, functools.partial(self._poll_help, e))

    def _answer(self, e: Effect) -> Callable[[bool], None]:
        """Sends a device's ok/failed for effect `e` back to the journey."""
        return lambda ok: self.win.send(Result(e.kind, e.token, ok))

    def _on_worker(self, e: Effect) -> None:
        win, ctx = self.win, self.ctx

        def done(value: Any) -> None:
            win.send(Result(e.kind, e.token, value))

        def failed(exc: BaseException) -> None:
            if is_storage_full(exc):
                exc = storage_full(exc)
            if isinstance(exc, KioskError):
                win.send(Result(e.kind, e.token, error=exc.message, error_kind=exc.kind))
            else:
                log.error("%s failed: %s", e.kind, type(exc).__name__)
                win.send(Result(e.kind, e.token, error=_UNEXPECTED, error_kind="unexpected"))

        win.deps.runner.submit(lambda store: run(e, store, ctx), done, failed)

    def _poll_help(self, e: Effect) -> None:
        """Has a volunteer taken the help request? Asked on the worker (network); no hub = offline."""
        win = self.win
        if e.token != win.journey.token:
            return  # that visit is over
        ask = win.deps.help_status
        if ask is None:
            win.send(Result(e.kind, e.token, error=_NO_HUB, error_kind="offline"))
            return
        rid = e.data["request_id"]

        def got(status: Any) -> None:
            if status is None:
                win.send(Result(e.kind, e.token, error=_NO_HUB, error_kind="offline"))
            else:
                win.send(Result(e.kind, e.token, {"state": status.state, "claimed_by": status.claimed_by}))

        win.deps.runner.submit(lambda _store: ask(rid), got,
                               lambda _exc: win.send(Result(e.kind, e.token, error=_NO_HUB, error_kind="offline")))
