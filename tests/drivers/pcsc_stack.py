"""A private pcscd with vsmartcard-vpcd readers for the tests, never touching the system pcscd.

pcscd 1.9.9 always listens on /run/pcscd/pcscd.comm (it ignores PCSCLITE_CSOCK_NAME; only libpcsclite
reads it), so the daemon runs in its own mount namespace (`unshare --mount`, root as in CI) with a test
folder bind-mounted over /run/pcscd: its socket appears in that folder, and the clients are pointed at it
through PCSCLITE_CSOCK_NAME. Each vpcd reader slot is configured with DEVICENAME /dev/null:0xPORT.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")


def free_port_pair() -> int:
    """A port P with P and P+1 both free on 127.0.0.1 and 0.0.0.0 (vpcd opens two slots per reader line)."""
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("0.0.0.0", 0))
            port = s.getsockname()[1]
        if port >= 65535:
            continue
        try:
            with socket.socket() as a, socket.socket() as b:
                a.bind(("0.0.0.0", port))
                b.bind(("0.0.0.0", port + 1))
        except OSError:
            continue
        return port
    raise RuntimeError("no free port pair")


class PrivatePcscd:
    def __init__(self, run_dir: Path, conf_dir: Path) -> None:
        self.run_dir = run_dir  # bind-mounted over /run/pcscd inside the daemon's namespace
        self.conf_dir = conf_dir
        self.socket_path = run_dir / "pcscd.comm"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = run_dir.parent / "pcscd.log"
        run_dir.mkdir(parents=True, exist_ok=True)
        conf_dir.mkdir(parents=True, exist_ok=True)

    def add_vpcd(self, name: str = "vpcd") -> int:
        """Configure one vpcd reader line; returns the TCP port of its first slot ("Virtual PCD 00 00")."""
        port = free_port_pair()
        (self.conf_dir / name).write_text(
            f'FRIENDLYNAME "Virtual PCD"\nDEVICENAME /dev/null:0x{port:04X}\nLIBPATH {VPCD_DRIVER}\n'
            f"CHANNELID 0x{port:04X}\n")
        return port

    def start(self, timeout: float = 15.0) -> None:
        assert self.proc is None
        for stale in ("pcscd.comm", "pcscd.pid"):
            (self.run_dir / stale).unlink(missing_ok=True)
        script = ('mkdir -p /run/pcscd && mount --bind "$0" /run/pcscd && '
                  'exec "$2" --foreground --auto-exit --config "$1"')
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [shutil.which("unshare") or "unshare", "--mount", "--propagation", "private", "sh", "-c", script,
             str(self.run_dir), str(self.conf_dir), shutil.which("pcscd") or "/usr/sbin/pcscd"],
            stdout=log, stderr=log, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"pcscd exited: {self.log_path.read_text(errors='replace')[-2000:]}")
            if self.socket_path.exists() and self._answers():
                return
            time.sleep(0.05)  # polling for the daemon to come up, not a timing assertion
        raise RuntimeError("pcscd did not come up")

    def _answers(self) -> bool:
        with socket.socket(socket.AF_UNIX) as s:
            try:
                s.connect(str(self.socket_path))
            except OSError:
                return False
        return True

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
