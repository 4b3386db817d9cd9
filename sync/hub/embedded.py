"""A real hub (uvicorn + SQLite) in a background thread, for the kiosk demo and tests on one machine."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from sync.hub.db import DbSettings
from sync.hub.server import bind, make_server, open_hub, run_blocking
from sync.hub.service import Hub


class EmbeddedHub:
    """A running hub: `url`, `token_for(kiosk_id)`, `stop()`. Started by `start_embedded_hub`."""

    def __init__(self, hub: Hub, host: str, port: int) -> None:
        self.hub = hub
        self._sock = bind(host, port)
        self.port = int(self._sock.getsockname()[1])
        self.url = f"http://{host}:{self.port}"
        self._server = make_server(hub)
        self._thread = threading.Thread(target=run_blocking, args=(self._server, self._sock),
                                        name="embedded-hub", daemon=True)
        self._tokens: dict[str, str] = {}
        self._stopped = False

    def start(self, timeout: float = 10.0) -> None:
        self._thread.start()
        deadline_ok = _wait_until(lambda: self._server.started or not self._thread.is_alive(), timeout)
        if not (deadline_ok and self._server.started):
            raise RuntimeError("embedded hub did not start")

    def token_for(self, kiosk_id: str) -> str:
        """A bearer token for `kiosk_id`, registering the kiosk on first use."""
        if kiosk_id not in self._tokens:
            self._tokens[kiosk_id] = self.hub.kiosks.add(kiosk_id)
        return self._tokens[kiosk_id]

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and close the database; calling it again does nothing."""
        if self._stopped:
            return
        self._stopped = True
        self._server.should_exit = True
        self._thread.join(timeout)
        self._sock.close()
        self.hub.db.close()

    def __enter__(self) -> EmbeddedHub:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _wait_until(cond: Callable[[], object], timeout: float) -> bool:
    import time

    event = threading.Event()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        event.wait(0.02)  # uvicorn offers no start event; poll its flag
    return bool(cond())


def publish_demo_material(hub: Hub) -> None:
    """DEMO ONLY: publish the demo trust list bundled with the software, which the demo's codes are signed
    for. A hub never serves it by itself (`kiosk-hub serve` publishes nothing an operator did not)."""
    from importlib import resources

    body = resources.files("kiosk.codes").joinpath("data/trust_list.json").read_text(encoding="utf-8")
    hub.datasets.publish("trust-list", body)


def start_embedded_hub(db_path: Path, host: str = "127.0.0.1", port: int = 0, *, demo: bool = False) -> EmbeddedHub:
    """Start a hub storing into SQLite at `db_path` (data key file beside it); returns once it accepts
    connections. `demo=True` (the `kiosk demo` composition only) publishes the demo trust material first."""
    hub = EmbeddedHub(open_hub(str(db_path), settings=DbSettings.from_env()), host, port)
    if demo:
        publish_demo_material(hub.hub)
    hub.start()
    return hub
