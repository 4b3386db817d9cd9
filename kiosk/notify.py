"""systemd's notify protocol without a dependency: `READY=1`, `WATCHDOG=1`, `STOPPING=1` as one datagram each
to `$NOTIFY_SOCKET` (a path, or an abstract-namespace name written with a leading `@`)."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)
_warned: set[str] = set()


def _address(value: str) -> str | bytes:
    if value.startswith("@"):
        return b"\0" + value[1:].encode()  # abstract namespace: a leading NUL byte instead of "@"
    return value


def notify(state: str, env: Mapping[str, str] | None = None) -> bool:
    """Send `state` (e.g. "READY=1") when `$NOTIFY_SOCKET` is set. True when sent; never raises."""
    target = (env if env is not None else os.environ).get("NOTIFY_SOCKET")
    if not target:
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.sendto(state.encode(), _address(target))
        return True
    except OSError as exc:  # systemd gone or socket not ours: the kiosk goes on regardless
        kind = state.split("=")[0]
        if kind not in _warned:  # once: a watchdog ping every few seconds must not fill the log
            _warned.add(kind)
            log.warning("notify %s failed: %s", kind, type(exc).__name__)
        return False


def watchdog_interval_s(env: Mapping[str, str] | None = None) -> float | None:
    """How often to send WATCHDOG=1: half of `$WATCHDOG_USEC` (systemd's advice), None when no watchdog is set.
    `$WATCHDOG_PID`, when set, names the service's main process: this one, or under `cage -- kiosk run` our
    parent cage, which passed its environment on (the unit's `NotifyAccess=all` lets us ping for it)."""
    e = env if env is not None else os.environ
    usec = e.get("WATCHDOG_USEC")
    pid = e.get("WATCHDOG_PID")
    if not usec or (pid and pid.isdigit() and int(pid) not in (os.getpid(), os.getppid())):
        return None
    try:
        value = int(usec)
    except ValueError:
        return None
    return value / 2e6 if value > 0 else None
