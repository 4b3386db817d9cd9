"""A private PostgreSQL 15 cluster a test may restart, stop, start and freeze (SIGSTOP) — the shared session
server (`pg_server`) must never be touched that way, as other tests use it at the same time."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import psycopg

from tests.sync.conftest import PG_BIN, free_port


class PgCluster:
    def __init__(self, max_connections: int = 100) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="kiosk-outage-pg-", dir="/tmp"))
        os.chmod(self.base, 0o755)
        self.as_root = os.geteuid() == 0
        self.prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        self.sock = self.base / "sock"
        self.sock.mkdir()
        if self.as_root:
            shutil.chown(self.base, "postgres")
            shutil.chown(self.sock, "postgres")
        self.data = self.base / "data"
        self.port = free_port()
        self.opts = (f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 "
                     f"-c max_connections={max_connections}")
        subprocess.run([*self.prefix, str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                        "-E", "UTF8", "--no-sync"], check=True, capture_output=True)
        self.start()

    @property
    def server(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}"

    def _ctl(self, *args: str) -> None:
        subprocess.run([*self.prefix, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.base / "pg.log"),
                        "-w", "-t", "60", *args], check=True, capture_output=True)

    def start(self) -> None:
        self._ctl("-o", self.opts, "start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")

    def restart(self) -> None:
        self._ctl("-m", "fast", "-o", self.opts, "restart")

    def pids(self) -> list[int]:
        """The postmaster and every process it started (backends, checkpointer, walwriter…)."""
        main = int((self.data / "postmaster.pid").read_text().split()[0])
        out = subprocess.run(["pgrep", "-P", str(main)], capture_output=True, text=True).stdout.split()
        return [main, *map(int, out)]

    def freeze(self) -> None:
        for pid in self.pids():
            os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)

    def database(self, name: str = "hub") -> str:
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"{self.server}/{name}"

    def connections(self, database: str = "hub") -> dict[str, int]:
        """Client connections to `database` by application_name (hub processes name themselves `kiosk-hub/<pid>`)."""
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as conn:
            rows = conn.execute("SELECT application_name, count(*) FROM pg_stat_activity WHERE datname=%s "
                                "AND backend_type='client backend' GROUP BY 1", (database,)).fetchall()
        return {str(name): int(n) for name, n in rows}

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.thaw()
        subprocess.run([*self.prefix, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                       capture_output=True)
        shutil.rmtree(self.base, ignore_errors=True)
