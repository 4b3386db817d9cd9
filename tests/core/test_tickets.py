"""Queue tickets: hall-wide unique numbers per day (kiosk blocks, offline), one ticket per tap, lanes, the CLI,
and two offline kiosks syncing to a real hub process with no duplicate numbers."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest

from kiosk.clock import CHINA_TZ
from kiosk.config import KioskConfig, SyncConfig, TicketsConfig
from kiosk.identity import CardType, IdentityRecord
from kiosk.messages import KioskError
from kiosk.session import Helper, HelperRole, Mode, Session
from kiosk.store import open_store
from kiosk.store.db import Store
from kiosk.tickets import LANE_LETTERS, LANES, TicketNumbering, take_ticket

ROOT = Path(__file__).resolve().parents[2]
# Letters that sound alike when called (the English "e" set, M/N) or look like digits (I/O).
CONFUSABLE = set("BCDEGPTVZIOMQU")


class FixedClock:
    def __init__(self, when: dt.datetime) -> None:
        self.now = when

    def __call__(self) -> dt.datetime:
        return self.now


def _outbox_bodies(store: Store, kind: str) -> list[dict]:
    rows = store.conn.execute("SELECT id, body_enc FROM outbox WHERE kind=? ORDER BY created_at", (kind,)).fetchall()
    return [store.unseal("outbox", r["id"], r["body_enc"]) for r in rows]


def test_numbers_are_short_readable_and_in_the_kiosk_block() -> None:
    assert set(LANE_LETTERS.values()).isdisjoint(CONFUSABLE)
    assert len(set(LANE_LETTERS.values())) == len(LANES)
    n = TicketNumbering(slot=2, slots=10)
    assert n.number("normal", 1) == "A2001"
    assert n.number("priority", 999) == "Y2999"
    assert n.number("difficult", 17) == "N2017"
    with pytest.raises(ValueError):
        n.number("normal", 1000)  # would run into slot 3's block
    wide = TicketNumbering(slot=49, slots=50)
    assert wide.number("normal", 1) == "A9801" and wide.number("normal", wide.capacity) == "A9999"
    # Every number of every slot is 5 characters and no two slots share one.
    for slots in (1, 7, 10, 50):
        seen: set[str] = set()
        for slot in range(slots):
            nb = TicketNumbering(slot, slots)
            block = {nb.number("normal", s) for s in range(1, nb.capacity + 1)}
            assert all(len(x) == 5 for x in block)
            assert not (seen & block)
            seen |= block
    with pytest.raises(ValueError):
        TicketNumbering(slot=10, slots=10)


def test_config_refuses_a_slot_outside_the_hall() -> None:
    with pytest.raises(ValueError):
        TicketsConfig(slot=10, slots=10)
    assert TicketNumbering.from_config(KioskConfig(tickets=TicketsConfig(slot=3, slots=10))).slot == 3


def test_lanes_count_separately_and_restart_each_hall_day(store: Store) -> None:
    # 15:59 UTC is 23:59 in the hall; two minutes later it is the next day there.
    clock = FixedClock(dt.datetime(2026, 11, 27, 15, 59, tzinfo=dt.UTC))
    nb = TicketNumbering(slot=1)
    a = take_ticket(store, kiosk_id="k1", lane="normal", numbering=nb, clock=clock)
    b = take_ticket(store, kiosk_id="k1", lane="normal", numbering=nb, clock=clock)
    p = take_ticket(store, kiosk_id="k1", lane="priority", numbering=nb, clock=clock)
    d = take_ticket(store, kiosk_id="k1", lane="difficult", numbering=nb, clock=clock)
    assert [a.number, b.number, p.number, d.number] == ["A1001", "A1002", "Y1001", "N1001"]
    assert a.day == "2026-11-27"
    clock.now += dt.timedelta(minutes=2)
    c = take_ticket(store, kiosk_id="k1", lane="normal", numbering=nb, clock=clock)
    assert (c.number, c.day) == ("A1001", "2026-11-28")
    assert p.large and not a.large
    # Each ticket is queued for the hub with the agreed body.
    bodies = _outbox_bodies(store, "ticket")
    assert [x["number"] for x in bodies] == ["A1001", "A1002", "Y1001", "N1001", "A1001"]
    assert set(bodies[0]) == {"ticket_id", "number", "lane", "kiosk_id", "created_at", "day", "elderly",
                              "service_code", "helper_id"}


def test_unknown_lane_and_exhausted_block_are_refused_plainly(store: Store) -> None:
    with pytest.raises(KioskError) as e:
        take_ticket(store, kiosk_id="k1", lane="vip")
    assert e.value.kind == "lane_unknown"
    tiny = TicketNumbering(slot=0, slots=100)  # 99 numbers per lane
    for _ in range(tiny.capacity):
        take_ticket(store, kiosk_id="k1", lane="normal", numbering=tiny)
    with pytest.raises(KioskError) as e:
        take_ticket(store, kiosk_id="k1", lane="normal", numbering=tiny)
    assert e.value.kind == "tickets_exhausted" and e.value.message.zh and e.value.message.en
    assert store.conn.execute("SELECT COUNT(*) FROM tickets").fetchone()[0] == tiny.capacity


def test_lane_follows_the_visit_and_helper_is_recorded(store: Store) -> None:
    s = Session()
    s.identify(IdentityRecord(CardType.RESIDENT, id_number="11010519491231002X", birth_date=dt.date(1949, 12, 31)))
    elderly = take_ticket(store, kiosk_id="k1", session=s)
    assert (elderly.lane, elderly.elderly) == ("priority", True)
    staff = Helper("S-7", HelperRole.STAFF, "李四")
    s2 = Session()
    s2.set_mode(Mode.PRIORITY, staff)
    green = take_ticket(store, kiosk_id="k1", session=s2)
    assert (green.lane, green.helper_id) == ("priority", "S-7")
    assert take_ticket(store, kiosk_id="k1", session=Session()).lane == "normal"
    assert store.conn.execute("SELECT helper_id FROM tickets WHERE id=?", (green.ticket_id,)).fetchone()[0] == "S-7"
    actors = [r[0] for r in store.conn.execute("SELECT actor FROM audit_log WHERE action='ticket' ORDER BY seq")]
    assert actors == ["citizen", "staff:S-7", "citizen"]


def test_double_tap_gives_one_ticket(store: Store) -> None:
    first = take_ticket(store, kiosk_id="k1", request_id="tap-1")
    again = take_ticket(store, kiosk_id="k1", request_id="tap-1")
    assert again == first
    assert store.conn.execute("SELECT COUNT(*) FROM tickets").fetchone()[0] == 1
    assert len(_outbox_bodies(store, "ticket")) == 1
    with pytest.raises(KioskError) as e:
        take_ticket(store, kiosk_id="k1", lane="priority", request_id="tap-1")
    assert e.value.kind == "ticket_request_conflict"


def test_request_id_is_unique_in_the_database_itself(store: Store) -> None:
    take_ticket(store, kiosk_id="k1", request_id="tap-9")
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("INSERT INTO tickets(id, number, created_at, request_id) VALUES ('x','A0999','t','tap-9')")
    with pytest.raises(sqlite3.IntegrityError):  # and a number once per hall day
        store.conn.execute("INSERT INTO tickets(id, number, created_at, day) SELECT 'y', number, 't', day "
                           "FROM tickets LIMIT 1")


def test_two_threads_racing_the_same_tap_get_one_ticket(data_dir: Path) -> None:
    open_store(data_dir).close()
    for round_no in range(20):
        barrier = threading.Barrier(2)
        results: list[object] = []

        def tap(rid: str = f"race-{round_no}", barrier: threading.Barrier = barrier,
                results: list[object] = results) -> None:
            s = open_store(data_dir, check=False)  # one connection per thread, as the kiosk does
            try:
                barrier.wait()
                results.append(take_ticket(s, kiosk_id="k1", request_id=rid))
            except Exception as exc:  # collected and asserted below
                results.append(exc)
            finally:
                s.close()

        threads = [threading.Thread(target=tap) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert len(results) == 2 and results[0] == results[1], results
    check = open_store(data_dir)
    assert check.conn.execute("SELECT COUNT(*) FROM tickets").fetchone()[0] == 20
    assert check.conn.execute("SELECT COUNT(*) FROM outbox WHERE kind='ticket'").fetchone()[0] == 20
    check.close()


def _write_config(path: Path, kiosk_id: str, data_dir: Path, slot: int, hub_url: str | None = None,
                  token_file: Path | None = None) -> Path:
    lines = [f'kiosk_id = "{kiosk_id}"', f'data_dir = "{data_dir}"']
    if hub_url:
        lines += [f'hub_url = "{hub_url}"', f'token_file = "{token_file}"']
    lines += ["[tickets]", f"slot = {slot}", "slots = 10", "[printer]", f'pdf_dir = "{data_dir / "paper"}"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _cli(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk.cli.main", "--config", str(config), *args],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)


def test_cli_take_prints_json_queues_and_prints_paper(tmp_path: Path) -> None:
    cfg = _write_config(tmp_path / "k.toml", "kiosk-a", tmp_path / "a", slot=4)
    out = _cli(cfg, "ticket", "take", "--lane", "priority", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"ticket_id", "number", "lane", "kiosk_id", "created_at"} <= set(data)
    assert (data["number"], data["lane"], data["kiosk_id"], data["printed"]) == ("Y4001", "priority", "kiosk-a", True)
    assert len(list((tmp_path / "a" / "paper").glob("ticket-Y4001-*.pdf"))) == 1
    out = _cli(cfg, "ticket", "take", "--no-print", "--json")
    assert json.loads(out.stdout)["number"] == "A4001"
    assert len(list((tmp_path / "a" / "paper").glob("*.pdf"))) == 1
    bad = _cli(cfg, "ticket", "take", "--lane", "vip", "--json")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
    store = open_store(tmp_path / "a")
    assert [b["number"] for b in _outbox_bodies(store, "ticket")] == ["Y4001", "A4001"]
    store.close()


def test_two_offline_kiosks_stay_unique_after_both_sync_to_a_real_hub(tmp_path: Path) -> None:
    from sync.client import write_token
    from sync.hub.server import open_hub
    from sync.worker import SyncWorker
    from tests.sync.conftest import HubProcess

    # Offline: each kiosk issues tickets in every lane, by the CLI and through the API, with no hub at all.
    kiosks = {"kiosk-a": 1, "kiosk-b": 2}
    for kid, slot in kiosks.items():
        cfg = _write_config(tmp_path / f"{kid}.toml", kid, tmp_path / kid, slot)
        for lane in LANES:
            out = _cli(cfg, "ticket", "take", "--lane", lane, "--no-print", "--json")
            assert out.returncode == 0, out.stderr
        s = open_store(tmp_path / kid)
        for i in range(30):
            take_ticket(s, kiosk_id=kid, lane=LANES[i % 3], numbering=TicketNumbering(slot))
        s.close()

    db_url = f"sqlite:///{tmp_path / 'hub.db'}"
    admin = open_hub(db_url)
    hub = HubProcess(db_url).start()
    try:
        for kid in kiosks:
            token = tmp_path / f"{kid}.token"
            write_token(token, admin.kiosks.add(kid))
            cfg = KioskConfig(kiosk_id=kid, hub_url=hub.url, data_dir=tmp_path / kid, token_file=token,
                              sync=SyncConfig(backoff_base_seconds=0.01, backoff_cap_seconds=0.2))
            worker = SyncWorker(cfg.data_dir, cfg, token=token.read_text().strip())
            try:
                assert worker.drain_until_empty(timeout=30)
            finally:
                worker.close()
        records = [r for r in admin.records.export() if r["kind"] == "ticket"]
    finally:
        hub.stop()
        admin.db.close()
    assert len(records) == 2 * 33
    today = dt.datetime.now(CHINA_TZ).date().isoformat()
    per_day = Counter((r["body"]["day"], r["body"]["number"]) for r in records)
    assert {day for day, _ in per_day} == {today}
    assert max(per_day.values()) == 1, [k for k, v in per_day.items() if v > 1]
    assert len({r["body"]["ticket_id"] for r in records}) == 66
    assert {r["kiosk_id"] for r in records} == set(kiosks)
    for r in records:
        assert r["body"]["number"][1] == str(kiosks[r["kiosk_id"]])
