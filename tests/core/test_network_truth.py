"""One truth about the network: the state people see flips only after two checks in a row agree and at most
once every 10 s (`sync.status.SteadyNetwork`); the help screen says "offline" only when that state does, and
the health-check screen never says someone is coming before anyone has claimed the call."""

from __future__ import annotations

import datetime as dt

from kiosk.catalog.loader import load_bundled_catalog
from kiosk.journey import CallHelp, DeviceStatus, Journey, JourneySettings, Result
from kiosk.journey.texts import PROMPTS
from sync.status import SteadyNetwork, SyncStatus

CATALOG = load_bundled_catalog()


def test_a_single_failed_check_never_flips_the_state() -> None:
    n = SteadyNetwork()
    assert n.observe(True, 0.0) is True
    assert n.observe(False, 20.0) is True  # one lost check: still online
    assert n.observe(True, 21.0) is True
    assert n.observe(False, 22.0) is True
    assert n.observe(False, 23.0) is False  # two in a row: offline
    assert n.observe(True, 24.0) is False and n.observe(True, 25.0) is False  # not again within 10 s
    assert n.observe(True, 33.5) is True  # two in a row, 10 s after the last flip


def test_two_statuses_about_one_contact_are_one_check() -> None:
    """A drain publishes during its batches and again at its end: one failed POST is still one lost check."""
    def status(online: bool, contacts: int) -> SyncStatus:
        return SyncStatus(online=online, pending=1, rejected=0, oldest_pending_age_s=None, last_success_at=None,
                          contacts=contacts)

    n = SteadyNetwork()
    assert n.steady(status(True, 1), 0.0).online is True
    assert n.steady(status(False, 2), 20.0).online is True
    assert n.steady(status(False, 2), 20.1).online is True  # the same contact, published again
    assert n.steady(status(False, 3), 22.0).online is False  # the worker's confirming check agrees


def test_at_most_one_flip_in_ten_seconds_under_flapping() -> None:
    n = SteadyNetwork()
    n.observe(True, 0.0)
    shown, flips, t = True, 0, 0.0
    for k in range(300):  # a check every second for 5 minutes, the hub answering every other pair
        t += 1.0
        now = n.observe((k // 2) % 2 == 0, t)
        flips += now != shown
        shown = now
    assert flips <= 300 / 10 + 1


def test_steady_status_keeps_everything_but_online() -> None:
    n = SteadyNetwork()
    up = SyncStatus(online=True, pending=2, rejected=0, oldest_pending_age_s=1.0, last_success_at=None)
    down = SyncStatus(online=False, pending=3, rejected=0, oldest_pending_age_s=2.0, last_success_at=None)
    assert n.steady(up, 0.0) == up
    shown = n.steady(down, 30.0)
    assert shown.online is True and shown.pending == 3


def _help(j: Journey) -> None:
    eff = j.handle(CallHelp())
    [req] = [e for e in eff if e.kind == "request_help"]
    eff = j.handle(Result("request_help", req.token, "h1"))
    [poll] = [e for e in eff if e.kind == "poll_help"]
    j.handle(Result("poll_help", poll.token, None))  # this request's status could not be looked up


def test_help_screen_reads_the_same_network_state_as_the_strip() -> None:
    j = Journey(CATALOG, JourneySettings(), clock=lambda: dt.datetime(2026, 11, 27, 2, tzinfo=dt.UTC))
    j.handle(DeviceStatus("network", True))
    _help(j)
    assert "联系不上" not in j.view().prompt.zh and "正在为您呼叫志愿者" in j.view().prompt.zh
    j.handle(DeviceStatus("network", False))
    assert "联系不上" in j.view().prompt.zh


def test_the_health_check_screen_promises_nobody_is_coming() -> None:
    words = PROMPTS["health_waiting"]
    assert "马上就来" not in words.zh and "is coming" not in words.en
    assert "已为您呼叫" in words.zh
