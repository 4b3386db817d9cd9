"""Sync fixtures: a private PostgreSQL server, hub storages (SQLite and PostgreSQL), hub processes, kiosks."""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kiosk.config import KioskConfig, SyncConfig
from kiosk.store import open_store
from kiosk.store.db import Store
from kiosk.store.outbox import enqueue
from sync.client import write_token
from sync.hub.server import open_hub
from sync.hub.service import Hub

PG_BIN = Path("/usr/lib/postgresql/15/bin")
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(cond: object, timeout: float, what: str) -> None:
    """Wait until `cond()` is true; conditions here are states of other processes, so we poll them."""
    deadline = time.monotonic() + timeout
    ev = threading.Event()
    while time.monotonic() < deadline:
        if cond():  # type: ignore[operator]
            return
        ev.wait(0.05)
    raise AssertionError(f"timed out waiting for {what}")


# --- PostgreSQL -------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A private PostgreSQL 15 cluster in a temp dir on a free port, run as the postgres user when root.

    `KIOSK_TEST_POSTGRES_URL` (a server URL without database, e.g. postgresql://postgres@127.0.0.1:5432) uses
    an existing server instead; each test still gets its own fresh database on it.
    """
    existing = os.environ.get("KIOSK_TEST_POSTGRES_URL")
    if existing:
        yield existing.rstrip("/")
        return
    # Directly under /tmp: $TMPDIR may sit inside a directory the postgres user cannot enter.
    base = Path(tempfile.mkdtemp(prefix="kiosk-sync-pg-", dir="/tmp" if os.path.isdir("/tmp") else None))
    os.chmod(base, 0o755)  # postgres must reach its data dir inside
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    sock_dir = base / "sock"
    sock_dir.mkdir()
    if as_root:
        shutil.chown(base, "postgres")
        shutil.chown(sock_dir, "postgres")
    data = base / "data"
    port = free_port()
    subprocess.run([*prefix, str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                    "--no-sync"], check=True, capture_output=True)
    opts = f"-p {port} -k {sock_dir} -c listen_addresses=127.0.0.1 -c max_connections=200"
    subprocess.run([*prefix, str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(base / "pg.log"), "-w", "-t", "60",
                    "-o", opts, "start"], check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([*prefix, str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


_db_counter = itertools.count()


def fresh_pg_database(server: str) -> str:
    import psycopg

    name = f"hub_{os.getpid()}_{next(_db_counter)}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


def use_pg_key_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """PostgreSQL hubs need a data key file outside the database: one per test, by environment (so the hub
    processes the test starts use it too)."""
    path = tmp_path / "pg-hub-data.keys"
    monkeypatch.setenv("KIOSK_HUB_DATA_KEY_FILE", str(path))
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def hub_db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh, empty hub database of each storage kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.db'}"
    use_pg_key_file(monkeypatch, tmp_path)
    return fresh_pg_database(request.getfixturevalue("pg_server"))


@pytest.fixture
def hub_admin(hub_db_url: str) -> Iterator[Hub]:
    """Direct access to the hub's storage (what `kiosk-hub` admin commands use)."""
    hub = open_hub(hub_db_url)
    yield hub
    hub.db.close()


# --- hub processes -------------------------------------------------------------------------------------------
class HubProcess:
    """`kiosk-hub serve` as a real process; `restart()` kills it hard and starts it again on the same port."""

    def __init__(self, db_url: str, port: int = 0, extra_args: tuple[str, ...] = (),
                 log_path: Path | None = None) -> None:
        self.db_url = db_url
        self.port = port
        self.extra_args = extra_args
        self.log_path = log_path  # its stderr (the hub's log) is appended there
        self.proc: subprocess.Popen[bytes] | None = None
        self.restarts = 0

    def start(self) -> HubProcess:
        log = open(self.log_path, "ab") if self.log_path is not None else None  # noqa: SIM115 (the child keeps it)
        try:
            self.proc = subprocess.Popen([sys.executable, "-m", "sync.hub.cli", "serve", "--db", self.db_url,
                                          "--host", "127.0.0.1", "--port", str(self.port), *self.extra_args],
                                         stdout=subprocess.PIPE, stderr=log, cwd=ROOT)
        finally:
            if log is not None:
                log.close()
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode()
        assert line.startswith("listening on http://127.0.0.1:"), line
        self.port = int(line.rsplit(":", 1)[1])
        wait_for(self._healthy, 30, "hub health")
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _healthy(self) -> bool:
        try:
            return requests.get(self.url + "/v1/health", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()

    def restart(self) -> None:
        self.kill()
        self.restarts += 1
        self.start()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()


@pytest.fixture
def hub_process(hub_db_url: str, hub_admin: Hub) -> Iterator[HubProcess]:
    hp = HubProcess(hub_db_url).start()
    yield hp
    hp.stop()


# --- kiosks ------------------------------------------------------------------------------------------------
def make_trust_list() -> str:
    """A trust list of one freshly made test DSC (the hub publishes only what an operator gives it)."""
    import datetime as dt
    import json

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from kiosk.codes.trust import trust_list_entry

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "Test DSC")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365)).sign(key, hashes.SHA256()))
    return json.dumps([trust_list_entry(cert.public_bytes(serialization.Encoding.DER), "CN")])


def kiosk_config(data_dir: Path, hub_url: str | None, token_file: Path | None = None,
                 kiosk_id: str = "kiosk-a", **sync: float) -> KioskConfig:
    defaults = {"batch_size": 25, "backoff_base_seconds": 0.01, "backoff_cap_seconds": 0.2,
                "request_timeout_seconds": 1.0}
    defaults.update(sync)
    return KioskConfig(kiosk_id=kiosk_id, hub_url=hub_url, data_dir=data_dir, token_file=token_file,
                       sync=SyncConfig(**defaults))  # type: ignore[arg-type]


def write_config_toml(path: Path, cfg: KioskConfig) -> Path:
    lines = [f'kiosk_id = "{cfg.kiosk_id}"', f'data_dir = "{cfg.data_dir}"']
    if cfg.hub_url:
        lines.append(f'hub_url = "{cfg.hub_url}"')
    if cfg.token_file:
        lines.append(f'token_file = "{cfg.token_file}"')
    lines.append("[sync]")
    for k, v in cfg.sync.model_dump().items():
        lines.append(f"{k} = {v}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ticket_body(kiosk_id: str, i: int, **extra: object) -> dict[str, object]:
    """A ticket body of the shape the hub accepts (kiosk.records.TicketRecord): UUID id, short number."""
    return {"ticket_id": str(uuid.UUID(int=i + 1, version=4)), "kiosk_id": kiosk_id, "number": f"A{i % 10000:04d}",
            "lane": "normal", "created_at": "2026-01-05T02:00:00.000+00:00", **extra}


def fill_outbox(store: Store, n: int, kiosk_id: str = "kiosk-a", per_tx: int = 100) -> list[str]:
    """`n` ticket records with their outbox entries, committed `per_tx` at a time."""
    ids: list[str] = []
    for start in range(0, n, per_tx):
        with store.transaction():
            for i in range(start, min(n, start + per_tx)):
                ids.append(enqueue(store, "ticket", f"rec-{i:06d}", ticket_body(kiosk_id, i, seq=i)))
    return ids


@pytest.fixture
def kiosk_store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "kiosk")
    yield s
    s.close()


@pytest.fixture
def token_file_for(tmp_path: Path):  # type: ignore[no-untyped-def]
    def make(hub: Hub, kiosk_id: str = "kiosk-a") -> Path:
        path = tmp_path / f"{kiosk_id}.token"
        write_token(path, hub.kiosks.add(kiosk_id))
        return path
    return make
