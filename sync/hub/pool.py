"""A bounded pool of database connections per hub process, and a watchdog for statements a frozen server never ends.

Why not `psycopg_pool`: its connections are made by background workers that back off for up to minutes after
a database restart (so a hub stays down well after the database is back), and its checkout check waits on a
frozen server with no client-side deadline. This pool makes connections on the requesting thread, within the
timeout, so a request learns at once that the database is down and the first request after it is back succeeds.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from sync.hub.availability import DatabaseUnavailableError

C = TypeVar("C")


class Pool(Generic[C]):
    """At most `size` connections, each either checked out (its owner is that thread) or idle in the pool.

    `get()` waits at most `wait_s` for one, checks an idle one before handing it out (`check`, which raises when
    the connection is dead, e.g. after a database restart; a fresh one is then made) and makes a new one when
    none is idle and fewer than `size` exist. `put()` takes it back, closing it instead when `reusable` says
    no. Connections idle longer than `idle_s` are closed, so a quiet hub holds few.
    """

    def __init__(self, connect: Callable[[], C], check: Callable[[C], None], close: Callable[[C], None], *,
                 size: int, wait_s: float, idle_s: float = 60.0) -> None:
        if size < 1:
            raise ValueError("pool size must be at least 1")
        self._connect, self._check, self._close = connect, check, close
        self.size, self.wait_s, self.idle_s = size, wait_s, idle_s
        self._idle: list[tuple[C, float]] = []  # (connection, returned at); the last returned is used first
        self._open = 0  # idle + checked out + being made
        self._cond = threading.Condition()
        self._closed = False

    def get(self) -> C:
        deadline = time.monotonic() + self.wait_s
        with self._cond:
            while True:
                if self._closed:
                    raise DatabaseUnavailableError("the hub is shutting down")
                if self._idle:
                    conn, _ = self._idle.pop()
                    fresh = False
                    break
                if self._open < self.size:
                    self._open += 1
                    fresh = True
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    raise DatabaseUnavailableError(f"no free database connection within {self.wait_s:g} s "
                                              f"(pool of {self.size})")
                self._cond.wait(left)
        if not fresh:
            started = time.monotonic()
            try:
                self._check(conn)
                return conn
            except DatabaseUnavailableError:
                self._close_quietly(conn)  # dead (the database restarted?): replace it, keeping its slot
                if time.monotonic() - started > 1.0:  # it timed out: the server does not answer, a new
                    self._discard()                    # connection would only wait as long again
                    raise
        try:
            return self._connect()
        except BaseException:
            self._discard()
            raise

    def put(self, conn: C, *, reusable: bool) -> None:
        now = time.monotonic()
        stale: list[C] = []
        with self._cond:
            if reusable and not self._closed:
                self._idle.append((conn, now))
                # Oldest first: those idle longer than idle_s go (one is kept so a quiet hub answers at once).
                while len(self._idle) > 1 and now - self._idle[0][1] > self.idle_s:
                    stale.append(self._idle.pop(0)[0])
                    self._open -= 1
                self._cond.notify()
            else:
                stale.append(conn)
                self._open -= 1
                self._cond.notify()
        for c in stale:
            self._close_quietly(c)

    def _discard(self) -> None:
        with self._cond:
            self._open -= 1
            self._cond.notify()

    def _close_quietly(self, conn: C) -> None:
        with contextlib.suppress(Exception):
            self._close(conn)

    def counts(self) -> tuple[int, int]:
        """(open, idle) connections."""
        with self._cond:
            return self._open, len(self._idle)

    def close(self) -> None:
        """Close every idle connection now; those checked out are closed when they come back."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._open -= len(idle)
            self._cond.notify_all()
        for conn, _ in idle:
            self._close_quietly(conn)


class Watchdog:
    """Cuts the socket of a statement still running past its deadline.

    A server that is frozen (SIGSTOP, a hung VM) never sends the `statement_timeout` error it owes, and the
    kernel keeps acknowledging our packets, so neither the server's timeout nor TCP's ends the wait. Shutting
    the socket down wakes the waiting thread with a connection error; the connection is then dropped.
    """

    def __init__(self) -> None:
        self._armed: dict[int, tuple[float, int]] = {}  # token: (deadline, socket fd)
        self._next = 0
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stop = False

    def arm(self, fd: int, seconds: float) -> int:
        with self._cond:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="db-watchdog", daemon=True)
                self._thread.start()
            self._next += 1
            self._armed[self._next] = (time.monotonic() + seconds, fd)
            self._cond.notify()
            return self._next

    def disarm(self, token: int) -> bool:
        """True when the deadline had passed and the socket was cut."""
        # Under the lock: once this returns the fd is never cut, so it may be closed and reused safely.
        with self._cond:
            return self._armed.pop(token, None) is None

    def _run(self) -> None:
        with self._cond:
            while not self._stop:
                now = time.monotonic()
                for token, (deadline, fd) in list(self._armed.items()):
                    if deadline <= now:
                        del self._armed[token]
                        _cut(fd)
                soonest = min((d for d, _ in self._armed.values()), default=now + 60.0)
                self._cond.wait(max(0.01, soonest - now))

    def close(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify()


def _cut(fd: int) -> None:
    with contextlib.suppress(OSError):
        dup = socket.fromfd(fd, socket.AF_INET, socket.SOCK_STREAM)  # a duplicate: closing it leaves fd open
        try:
            dup.shutdown(socket.SHUT_RDWR)
        finally:
            dup.close()

