"""Runs a journey's worker effects synchronously on a real store, as the window does on its worker thread."""

from __future__ import annotations

from typing import Any

from kiosk.journey import Journey, Result
from kiosk.journey.states import Effect
from kiosk.journey.work import WORKER_KINDS, WorkContext, run
from kiosk.messages import KioskError


def drive(j: Journey, store: Any, effects: list[Effect], ctx: WorkContext) -> list[Effect]:
    """Run every worker effect (and those it leads to) as the window does; front-end effects are returned."""
    front: list[Effect] = []
    queue = list(effects)
    while queue:
        e = queue.pop(0)
        if e.kind not in WORKER_KINDS:
            front.append(e)
            continue
        try:
            value = run(e, store, ctx)
            queue += j.handle(Result(e.kind, e.token, value))
        except KioskError as exc:
            queue += j.handle(Result(e.kind, e.token, error=exc.message, error_kind=exc.kind))
    return front
