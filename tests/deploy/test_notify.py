"""systemd notify protocol: the datagrams on the wire (path and abstract sockets), the watchdog interval rule,
and the watchdog timer on the GUI thread: pings flow while the event loop runs and stop while it is blocked."""

from __future__ import annotations

import os
import time
import uuid
from typing import Any

from kiosk.notify import notify, watchdog_interval_s
from tests.deploy.conftest import NotifySocket


def test_notify_writes_the_exact_datagram_to_a_path_socket(notify_socket: Any) -> None:
    path, ns = notify_socket
    assert notify("READY=1", {"NOTIFY_SOCKET": path}) is True
    assert notify("WATCHDOG=1", {"NOTIFY_SOCKET": path}) is True
    ns.wait_for("WATCHDOG=1", 2)
    assert ns.texts() == ["READY=1", "WATCHDOG=1"]


def test_notify_reaches_an_abstract_namespace_socket() -> None:
    name = f"kiosk-test-{uuid.uuid4().hex}"
    ns = NotifySocket(b"\0" + name.encode())
    try:
        assert notify("READY=1", {"NOTIFY_SOCKET": "@" + name})
        ns.wait_for("READY=1", 2)
    finally:
        ns.close()


def test_notify_without_socket_or_with_a_dead_one_is_quiet(tmp_path: Any) -> None:
    assert notify("READY=1", {}) is False
    assert notify("READY=1", {"NOTIFY_SOCKET": str(tmp_path / "nobody-listens")}) is False


def test_watchdog_interval_is_half_of_watchdog_usec_and_only_for_this_pid() -> None:
    assert watchdog_interval_s({"WATCHDOG_USEC": "30000000"}) == 15.0
    assert watchdog_interval_s({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid())}) == 15.0
    assert watchdog_interval_s({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getppid())}) == 15.0  # cage
    other = next(p for p in range(2, 1 << 22) if p not in (os.getpid(), os.getppid()))
    assert watchdog_interval_s({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(other)}) is None
    assert watchdog_interval_s({}) is None
    assert watchdog_interval_s({"WATCHDOG_USEC": "junk"}) is None


def test_watchdog_pings_stop_while_the_gui_thread_is_blocked(qtbot: Any, notify_socket: Any) -> None:
    from PySide6.QtWidgets import QWidget

    from ui.app import Watchdog, qt_app

    path, ns = notify_socket
    qt_app()
    owner = QWidget()
    qtbot.addWidget(owner)
    dog = Watchdog(0.05, ping=lambda: notify("WATCHDOG=1", {"NOTIFY_SOCKET": path}), parent=owner)
    dog.start()
    qtbot.waitUntil(lambda: len(ns.messages) >= 5, timeout=3000)
    time.sleep(0.1)  # let in-flight datagrams land
    blocked_from = time.monotonic()
    time.sleep(1.0)  # the GUI thread is blocked: no timer can fire
    blocked_to = time.monotonic()
    qtbot.waitUntil(lambda: any(t > blocked_to for t, _ in ns.messages), timeout=3000)
    during = [t for t, _ in ns.messages if blocked_from + 0.02 < t < blocked_to]
    assert during == [], f"{len(during)} pings while the event loop was blocked"
    after = [t for t, _ in ns.messages if t > blocked_to]
    assert after and after[0] - blocked_to < 0.5  # they resume as soon as the loop runs again
    dog.timer.stop()
    assert set(ns.texts()) == {"WATCHDOG=1"}
