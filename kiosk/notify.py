"""systemd's notify protocol without a dependency: `READY=1`, `WATCHDOG=1`, `STOPPING=1` as one datagram each
to `$NOTIFY_SOCKET` (a path, or an abstract-namespace name written with a leading `@`)."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)


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
        log.warning("notify %s failed: %s", state.split("=")[0], type(exc).__name__)
        return False


def watchdog_interval_s(env: Mapping[str, str] | None = None) -> float | None:
    """How often to send WATCHDOG=1: half of `$WATCHDOG_USEC` (systemd's advice), None when no watchdog is set.
    `$WATCHDOG_PID`, when set, must be this process (with `NotifyAccess=all` under cage it is usually unset)."""
    e = env if env is not None else os.environ
    usec = e.get("WATCHDOG_USEC")
    pid = e.get("WATCHDOG_PID")
    if not usec or (pid and pid.isdigit() and int(pid) != os.getpid()):
        return None
    try:
        value = int(usec)
    except ValueError:
        return None
    return value / 2e6 if value > 0 else None
