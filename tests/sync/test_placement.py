"""Ticket slots from the hub, against real hub processes: `kiosk-hub kiosk add NAME --hall HALL` gives the next
free slot (or `--slot N`, with `--location`), a full hall is refused plainly; the kiosk takes its slot on its first
pull and keeps it offline, a config slot still wins; two kiosks issuing the same (day, number) are flagged on the
fleet and in `kiosk doctor`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kiosk.config import KioskConfig, SyncConfig, TicketsConfig
from kiosk.store import open_store
from kiosk.tickets import TicketNumbering, take_ticket
from sync.client import write_token
from sync.hub.hall.service import Hall
from sync.hub.service import Hub
from sync.hub_checks import hub_checks
from sync.worker import SyncWorker
from tests.sync.conftest import ROOT, HubProcess

FAST = SyncConfig(batch_size=25, backoff_base_seconds=0.01, backoff_cap_seconds=0.2, request_timeout_seconds=2.0)


def hub_cli(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sync.hub.cli", *args, "--db", db_url], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def add(db_url: str, name: str, *args: str) -> tuple[str, str]:
    out = hub_cli(db_url, "kiosk", "add", name, *args)
    assert out.returncode == 0, out.stderr
    token, placed = out.stdout.splitlines()
    return token, placed


def kiosk(tmp_path: Path, name: str, hub: HubProcess, token: str, **tickets: int) -> KioskConfig:
    write_token(tmp_path / f"{name}.token", token)
    return KioskConfig(kiosk_id=name, hall_id="gz-tianhe", hub_url=hub.url, data_dir=tmp_path / name,
                       token_file=tmp_path / f"{name}.token", sync=FAST,
                       tickets=TicketsConfig(**tickets) if tickets else TicketsConfig())


def test_kiosk_add_assigns_slots_and_refuses_a_full_hall(hub_process: HubProcess, hub_admin: Hub) -> None:
    url = hub_process.db_url
    token, placed = add(url, "k0", "--hall", "gz-tianhe")
    assert token.startswith(("kh_", "kiosk_")) or len(token) > 20
    assert placed == "slot 0 of 10 in hall gz-tianhe"
    assert add(url, "k1", "--hall", "gz-tianhe", "--location", "3楼东侧")[1] == \
        "slot 1 of 10 in hall gz-tianhe — 3楼东侧"
    assert add(url, "k5", "--hall", "gz-tianhe", "--slot", "5")[1] == "slot 5 of 10 in hall gz-tianhe"
    taken = hub_cli(url, "kiosk", "add", "k-late", "--hall", "gz-tianhe", "--slot", "5")
    assert taken.returncode == 1 and taken.stdout == ""
    assert "slot 5 of hall gz-tianhe is taken by kiosk k5" in taken.stderr and "free: 2, 3, 4, 6" in taken.stderr
    assert add(url, "k1", "--hall", "gz-tianhe")[1] == "slot 1 of 10 in hall gz-tianhe — 3楼东侧"  # new token, same
    assert add(url, "other-hall", "--hall", "gz-yuexiu")[1] == "slot 0 of 10 in hall gz-yuexiu"  # halls apart
    for n in (2, 3, 4, 6, 7, 8, 9):
        assert add(url, f"k{n}", "--hall", "gz-tianhe")[1] == f"slot {n} of 10 in hall gz-tianhe"
    full = hub_cli(url, "kiosk", "add", "k10", "--hall", "gz-tianhe")
    assert full.returncode == 1 and full.stdout == ""
    assert "hall gz-tianhe has no free ticket slot: its 10 slots are taken by k0, k1" in full.stderr
    assert "revoke a kiosk that is gone" in full.stderr
    assert hub_admin.db.one("SELECT name FROM kiosks WHERE name='k10'") is None  # no token was issued
    assert hub_cli(url, "kiosk", "revoke", "k3").returncode == 0  # a revoked kiosk's slot is free again
    assert add(url, "k10", "--hall", "gz-tianhe")[1] == "slot 3 of 10 in hall gz-tianhe"
    alone = hub_cli(url, "kiosk", "add", "k11", "--slot", "2")
    assert alone.returncode == 2 and "need --hall" in alone.stderr


def test_the_kiosk_takes_its_slot_on_first_pull_and_keeps_it_offline(hub_process: HubProcess, tmp_path: Path) -> None:
    url = hub_process.db_url
    add(url, "k0", "--hall", "gz-tianhe")
    token, placed = add(url, "k1", "--hall", "gz-tianhe", "--location", "3楼东侧")
    assert placed.startswith("slot 1 of 10")
    cfg = kiosk(tmp_path, "k1", hub_process, token)
    store = open_store(cfg.data_dir)
    worker = SyncWorker(cfg.data_dir, cfg, token)
    try:
        assert take_ticket(store, kiosk_id="k1", numbering=TicketNumbering.for_kiosk(cfg, store)).number == "A0001"
        results = {r.name: r.outcome for r in worker.pull()}
        assert results["placement"] == "updated"
        assert take_ticket(store, kiosk_id="k1", numbering=TicketNumbering.for_kiosk(cfg, store)).number == "A1002"
        assert {r.name: r.outcome for r in worker.pull()}["placement"] == "unchanged"
        hub_process.stop()  # offline: the slot the hub gave holds
        assert take_ticket(store, kiosk_id="k1", numbering=TicketNumbering.for_kiosk(cfg, store)).number == "A1003"
        assert {r.name: r.outcome for r in worker.pull()}["placement"] == "failed"
        assert take_ticket(store, kiosk_id="k1", numbering=TicketNumbering.for_kiosk(cfg, store)).number == "A1004"
        pinned = kiosk(tmp_path, "k1", hub_process, token, slot=7)  # a config value still wins
        assert take_ticket(store, kiosk_id="k1", numbering=TicketNumbering.for_kiosk(pinned, store)).number == \
            "A7005"
    finally:
        worker.close()
        store.close()


def test_two_kiosks_with_the_same_numbers_are_flagged(hub_process: HubProcess, hub_admin: Hub,
                                                      tmp_path: Path) -> None:
    url = hub_process.db_url
    cfgs = []
    for name in ("k-east", "k-west", "k-own"):
        token, _placed = add(url, name, "--hall", "gz-tianhe")
        # k-east and k-west both have a copied `[tickets] slot = 3`; k-own takes the hub's slot.
        cfgs.append(kiosk(tmp_path, name, hub_process, token, **({} if name == "k-own" else {"slot": 3})))
    for cfg in cfgs:
        store = open_store(cfg.data_dir)
        worker = SyncWorker(cfg.data_dir, cfg, cfg.token_file.read_text().strip())  # type: ignore[union-attr]
        try:
            worker.pull()
            for _ in range(2):
                take_ticket(store, kiosk_id=cfg.kiosk_id, numbering=TicketNumbering.for_kiosk(cfg, store))
            assert worker.drain_until_empty(30)
        finally:
            worker.close()
            store.close()
    fleet = {k["kiosk_id"]: k for k in Hall(hub_admin).fleet()}
    assert [(c["number"], c["kiosks"]) for c in fleet["k-east"]["clashes"]] == [
        ("A3001", ["k-east", "k-west"]), ("A3002", ["k-east", "k-west"])]
    assert fleet["k-west"]["clashes"] == fleet["k-east"]["clashes"] and fleet["k-own"]["clashes"] == []
    assert (fleet["k-own"]["hall"], fleet["k-own"]["slot"]) == ("gz-tianhe", 2)
    east, own = (next(r for r in hub_checks(c) if r.name == "ticket_numbers") for c in (cfgs[0], cfgs[2]))
    assert not east.ok and east.level == "error"
    assert "2 queue number(s) of this kiosk were also issued by k-west (e.g. A3001 on" in east.message
    assert own.ok
