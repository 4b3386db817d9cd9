"""Running the hub app under uvicorn on a socket we bind ourselves (so port 0 tells us the real port)."""

from __future__ import annotations

import asyncio
import logging
import socket

import uvicorn

from kiosk.locale import phrase
from sync.hub.app import Limits, create_app
from sync.hub.crypto import HubConfigError, Sealer, default_key_file
from sync.hub.db import DbSettings, HubDB
from sync.hub.service import Hub


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restarted hub gets its port back at once
    # No Nagle delay: asyncio only sets TCP_NODELAY itself on sockets created with proto=IPPROTO_TCP, and
    # without it every small answer waited ~40 ms for the client's delayed ACK. Accepted sockets inherit it.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def open_hub(db_url: str, data_key_file: str | None = None, settings: DbSettings | None = None) -> Hub:
    """Open (creating or upgrading) the hub's database with its data key file. `settings` default to those of
    admin work (`DbSettings.for_admin`); a serving hub passes its own (`DbSettings.from_env`).

    The key file is `data_key_file`, else `$KIOSK_HUB_DATA_KEY_FILE`, else `<sqlite file>.keys`; PostgreSQL
    needs one of the first two (`HubConfigError` otherwise). A missing key file is created (0600).
    """
    key_file = default_key_file(db_url, data_key_file)
    db = HubDB(db_url, settings or DbSettings.for_admin())
    if not key_file.exists() and db.holds_sealed_data():
        db.close()  # a new key would make every stored value unreadable: refuse instead
        raise HubConfigError("data_key_file_missing",
                             phrase("sync.hub.server.data_key_file_missing", key_file=key_file))
    sealer = Sealer(key_file)
    db.init_schema(sealer)
    return Hub(db, sealer=sealer)


def make_server(hub: Hub, *, log_level: str = "warning", tls_cert: str | None = None,
                tls_key: str | None = None, limits: Limits | None = None) -> uvicorn.Server:
    # log_config=None: uvicorn's lines go through the root handler set by `configure_logging` (timestamps).
    config = uvicorn.Config(create_app(hub, limits=limits), log_level=log_level, access_log=False, lifespan="off",
                            timeout_keep_alive=30, ssl_certfile=tls_cert, ssl_keyfile=tls_key, log_config=None)
    return uvicorn.Server(config)


def run_blocking(server: uvicorn.Server, sock: socket.socket) -> None:
    asyncio.run(server.serve(sockets=[sock]))


def configure_logging(level: str = "warning") -> None:
    """One line per event on stderr, each with its time: `2026-12-01 21:40:03,512 WARNING sync.hub.db: …`."""
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")


logging.getLogger("uvicorn.error").propagate = True
