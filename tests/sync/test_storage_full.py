"""A kiosk whose data folder fills up (a real 16 MB tmpfs): `kiosk ticket take` and `kiosk sync` refuse in
plain words (also in --json), the heartbeat and `kiosk doctor` carry a `disk` fault, nothing queued is lost, and
the same kiosk works again once space is freed, without a restart. The SQLite file is intact afterwards."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.client import write_token
from sync.hub.server import open_hub
from sync.worker import SyncWorker
from tests.sync.conftest import ROOT, HubProcess, kiosk_config, write_config_toml

FULL = {"zh": "存储空间已满，请联系工作人员", "en": "Storage full: please call staff"}


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    if os.geteuid() != 0 or subprocess.run(["which", "mount"], capture_output=True).returncode:
        pytest.skip("mounting a tmpfs needs root")  # the suite runs as root here; a developer's laptop may not
    mnt = tmp_path / "small"
    mnt.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", str(mnt)], check=True)
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def kiosk(toml: Path, *args: str) -> tuple[int, str, str]:
    p = subprocess.run([sys.executable, "-m", "kiosk.cli.main", "--config", str(toml), *args], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def fill(folder: Path) -> Path:
    """Write a file until the disk refuses another byte."""
    filler = folder / "filler.bin"
    with open(filler, "wb", buffering=0) as f:  # unbuffered: nothing left to flush at close
        chunk = b"\0" * 65536
        with contextlib.suppress(OSError):
            while True:
                f.write(chunk)
        with contextlib.suppress(OSError):
            while True:
                f.write(b"\0")
    return filler


def test_full_disk_refuses_plainly_and_recovers(small_disk: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_HUB_DATA_KEY_FILE", str(tmp_path / "hub.keys"))
    hub_url = f"sqlite:///{tmp_path / 'hub.db'}"
    admin = open_hub(hub_url)
    token_file = tmp_path / "kiosk.token"
    write_token(token_file, admin.kiosks.add("kiosk-a"))
    hub = HubProcess(hub_url).start()
    try:
        data = small_disk / "kiosk"
        cfg = kiosk_config(data, hub.url, token_file=token_file)
        toml = write_config_toml(tmp_path / "kiosk.toml", cfg)
        numbers: list[str] = []
        for _ in range(3):  # tickets queued while the hub is not asked: they wait in the outbox
            code, out, err = kiosk(toml, "ticket", "take", "--no-print", "--json")
            assert code == 0, err
            numbers.append(json.loads(out)["number"])

        worker = SyncWorker(data, cfg)  # the running kiosk's sync worker, its store open before the disk fills
        assert worker.heartbeat_body()["faults"] == []
        filler = fill(small_disk)
        refusals = []
        for _ in range(40):  # SQLite reuses free pages and WAL space first: take tickets until the disk says no
            code, out, err = kiosk(toml, "ticket", "take", "--no-print", "--json")
            if code == 0:
                numbers.append(json.loads(out)["number"])
                continue
            refusals.append((code, out, err))
            break
        assert refusals, "the full disk never refused a ticket"
        code, out, err = refusals[0]
        assert code == 1 and json.loads(out) == {"error": "storage_full", "message": FULL}, (out, err)
        assert "Traceback" not in err

        code, out, err = kiosk(toml, "sync", "--once", "--json")
        assert code == 1 and json.loads(out) == {"error": "storage_full", "message": FULL}, (out, err)
        assert "Traceback" not in err

        code, out, _ = kiosk(toml, "doctor", "--json")
        checks = {c["name"]: c for c in json.loads(out)["checks"]}
        assert not checks["disk"]["ok"] and FULL["zh"] in checks["disk"]["message"], checks.get("disk")

        try:
            body = worker.heartbeat_body()
            assert body["faults"] == ["disk"] and body["devices"]["disk"]["state"] == "fault"
            assert worker.heartbeat()  # the hub hears it (the fleet page shows the devices)
        finally:
            worker.close()
        row = admin.db.one("SELECT body FROM heartbeats WHERE kiosk_id='kiosk-a'")
        assert row is not None

        filler.unlink()  # space freed: the same kiosk carries on, no restart of anything
        code, out, err = kiosk(toml, "ticket", "take", "--no-print", "--json")
        assert code == 0, (out, err)
        numbers.append(json.loads(out)["number"])
        code, out, err = kiosk(toml, "sync", "--until-empty", "--timeout", "60", "--json")
        assert code == 0, (out, err)
        got = sorted(str(r[0]) for r in admin.db.query("SELECT record_id FROM records WHERE kind='ticket'"))
        assert len(got) == len(numbers) == len(set(got))  # every ticket taken reached the hub once, none lost
        conn = sqlite3.connect(str(data / "kiosk.db"))
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
        print(f"\n[storage full] {len(numbers)} tickets kept and delivered; refusal: {refusals[0][1].strip()}")
    finally:
        hub.stop()
        admin.db.close()


def test_a_running_kiosk_refuses_while_full_and_carries_on_without_a_restart(small_disk: Path) -> None:
    """One open store, as the kiosk app holds it: the journey's ticket step gets the plain refusal (what the screen
    shows), the outbox keeps what it had, and the same store takes tickets again once space is freed."""
    from kiosk.catalog.loader import load_bundled_catalog
    from kiosk.journey.states import Effect
    from kiosk.journey.work import WorkContext, run
    from kiosk.messages import KioskError
    from kiosk.store import open_store
    from sync import outbox

    def take() -> None:  # the effect the journey emits for a ticket, run as the window's worker runs it
        run(Effect("take_ticket", 1, {"session": None, "lane": "normal", "request_id": None}), store, ctx)

    store = open_store(small_disk / "kiosk")
    try:
        ctx = WorkContext("kiosk-a", load_bundled_catalog())
        for _ in range(2):
            take()
        before = outbox.counts(store).pending
        filler = fill(small_disk)
        refused = None
        for _ in range(200):
            try:
                take()
            except KioskError as exc:
                refused = exc
                break
        assert refused is not None and refused.kind == "storage_full"
        assert (refused.message.zh, refused.message.en) == (FULL["zh"], FULL["en"])
        kept = outbox.counts(store).pending
        assert kept >= before  # nothing queued was lost
        filler.unlink()
        take()
        assert outbox.counts(store).pending == kept + 1
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        store.close()
