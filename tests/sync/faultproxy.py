"""A fault-injecting TCP proxy for HTTP/1.1 between the kiosk and the hub (tests only, 127.0.0.1).

One request per client connection; per request it may drop the connection before or after the hub saw the
request, reset mid-response, hold it past the client's timeout, answer 503 with Retry-After itself, or let
the hub store it and answer 500. Hooks let a test act at exact moments (restart the hub, kill the kiosk).
"""

from __future__ import annotations

import contextlib
import random
import socket
import struct
import threading
from collections import Counter
from collections.abc import Callable

FAULTS = ("drop_before", "drop_after", "reset_mid_response", "delay_past_timeout", "http_503_retry_after",
          "http_500_after_hub")

# (request number, phase): "received" from the kiosk, "sent" to the hub (answer not read yet), "forwarded"
# (hub answered), "answered" (the kiosk got the hub's answer).
Hook = Callable[[int, str], None]


def _read_request(f: object) -> bytes | None:
    """Head and body of one request from a buffered socket file, or None if the client closed."""
    head = b""
    while True:
        line = f.readline(65537)  # type: ignore[attr-defined]
        if not line:
            return None
        head += line
        if line in (b"\r\n", b"\n"):
            break
    length = 0
    for h in head.split(b"\r\n")[1:]:
        name, _, value = h.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    body = f.read(length) if length else b""  # type: ignore[attr-defined]
    return head + body


def _with_connection_close(request: bytes) -> bytes:
    head, _, body = request.partition(b"\r\n\r\n")
    lines = [ln for ln in head.split(b"\r\n") if not ln.lower().startswith(b"connection:")]
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body


def _rst_close(sock: socket.socket) -> None:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


class FaultProxy:
    def __init__(self, upstream_port: int, *, fault_rate: float = 0.0, seed: int = 1, delay_s: float = 2.0,
                 faults: tuple[str, ...] = FAULTS) -> None:
        self.upstream_port = upstream_port
        self.fault_rate = fault_rate
        self.faults = faults
        self.delay_s = delay_s
        self.rng = random.Random(seed)
        self.stats: Counter[str] = Counter()
        self.tamper = False  # flip one byte of each request body
        self.hook: Hook | None = None
        self.bodies: dict[int, bytes] = {}  # request bodies by number, when `keep_bodies` is set
        self.keep_bodies = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(128)
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._threads: list[threading.Thread] = []
        self._accept = threading.Thread(target=self._accept_loop, name="fault-proxy", daemon=True)

    def start(self) -> FaultProxy:
        self._accept.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept() (close alone does not)
        self._sock.close()
        self._accept.join(5)
        for t in list(self._threads):
            t.join(5)

    @property
    def total(self) -> int:
        return self.stats["requests"]

    @property
    def faulted(self) -> int:
        """Requests that did not get the hub's answer through untouched (injected faults, hub down)."""
        return self.total - self.stats["pass"] + self.stats["pass_but_hub_down"]

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            t = threading.Thread(target=self._serve, args=(client,), daemon=True)
            self._threads = [x for x in self._threads if x.is_alive()]
            self._threads.append(t)
            t.start()

    def _choose(self) -> tuple[int, str]:
        with self._lock:
            self.stats["requests"] += 1
            n = self.stats["requests"]
            fault = self.rng.choice(self.faults) if self.rng.random() < self.fault_rate else "pass"
            self.stats[fault] += 1
            return n, fault

    def _call_hook(self, n: int, phase: str) -> None:
        if self.hook is not None:
            self.hook(n, phase)

    def _upstream(self, n: int, request: bytes) -> bytes | None:
        """Send the request to the hub and read its whole answer; None if the hub is down or died."""
        try:
            with socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30) as up:
                up.sendall(_with_connection_close(request))
                self._call_hook(n, "sent")
                chunks = []
                while True:
                    data = up.recv(65536)
                    if not data:
                        break
                    chunks.append(data)
        except OSError:
            with self._lock:
                self.stats["upstream_down"] += 1
            return None
        return b"".join(chunks) or None

    def _serve(self, client: socket.socket) -> None:
        try:
            with client, client.makefile("rb") as f:
                request = _read_request(f)
                if request is None:
                    return
                n, fault = self._choose()
                if self.keep_bodies:
                    self.bodies[n] = request.partition(b"\r\n\r\n")[2]
                if self.tamper:
                    head, sep, body = request.partition(b"\r\n\r\n")
                    if body:
                        mid = len(body) // 2
                        body = body[:mid] + bytes([body[mid] ^ 0x01]) + body[mid + 1:]
                    request = head + sep + body
                self._call_hook(n, "received")
                if fault == "drop_before":
                    _rst_close(client)
                    return
                if fault == "http_503_retry_after":
                    client.sendall(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n"
                                   b"Connection: close\r\n\r\n")
                    return
                if fault == "delay_past_timeout" and self._stop.wait(self.delay_s):
                    return
                response = self._upstream(n, request)
                self._call_hook(n, "forwarded")
                if response is None and fault == "pass":
                    with self._lock:
                        self.stats["pass_but_hub_down"] += 1
                if response is None or fault == "drop_after":
                    client.close()
                    return
                if fault == "reset_mid_response":
                    client.sendall(response[: max(1, len(response) // 2)])
                    _rst_close(client)
                    return
                if fault == "http_500_after_hub":
                    client.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n"
                                   b"Connection: close\r\n\r\n")
                    return
                client.sendall(response)
                self._call_hook(n, "answered")
        except OSError:
            pass  # the client gave up (timeout) or was killed: that is what these tests are about
