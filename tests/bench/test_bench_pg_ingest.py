"""Kiosk ingest on PostgreSQL with 1, 2 and 4 hub processes (each with a bounded pool): requests per second, p50
and p95, the connections PostgreSQL saw, and where the CPU went (hub processes vs the database's), to say when
the database, not the hub, is the limit.

Load: `CLIENTS` kiosk-like clients (a process of their own, persistent HTTP connections) post one ticket each per
request to `/v1/records` (bearer token, Content-Digest, Idempotency-Key: the kiosk's wire), spread over the hub
processes. Every key is new, so every request is a real INSERT with its receipt. The 1-process run is the
baseline of the same run; figures are printed with the ratios. `pytest tests/bench/test_bench_pg_ingest.py
--benchmark-enable -s` runs 15 s per setting; as a plain test (the default) 3 s.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import statistics
import subprocess
import time
import uuid
from pathlib import Path

import psycopg
import pytest

from sync.hub.server import open_hub
from sync.wire import body_digest, content_digest
from tests.sync.conftest import HubProcess, fresh_pg_database, pg_server  # noqa: F401

pytestmark = pytest.mark.postgres
CLIENTS = 16
POOL = 8


def _client(ports: list[int], token: str, until: float, out: multiprocessing.Queue, seed: int) -> None:
    """One client: posts records back to back on a kept-alive connection, noting each latency."""
    conn = http.client.HTTPConnection("127.0.0.1", ports[seed % len(ports)], timeout=30)
    lat: list[float] = []
    errors = 0
    while time.monotonic() < until:
        body = {"ticket_id": str(uuid.uuid4()), "kiosk_id": "kiosk-a", "number": "A0001", "lane": "normal",
                "created_at": "2026-01-05T02:00:00.000+00:00"}  # a ticket as kiosks send it (kiosk.records)
        payload = json.dumps({"kind": "ticket", "record_id": str(uuid.uuid4()), "body": body,
                              "sha256": body_digest(body)}).encode()
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                   "Content-Digest": content_digest(payload), "Idempotency-Key": str(uuid.uuid4())}
        t = time.monotonic()
        conn.request("POST", "/v1/tickets", body=payload, headers=headers)
        r = conn.getresponse()
        r.read()
        lat.append(time.monotonic() - t)
        errors += r.status not in (200, 201)
    out.put((lat, errors))


def _threads(n: int, ports: list[int], token: str, until: float, out: multiprocessing.Queue, base: int) -> None:
    import threading

    ts = [threading.Thread(target=_client, args=(ports, token, until, out, base + i)) for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def _cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime
        except (OSError, IndexError, ValueError):
            continue
    return total


def _postgres_pids(server: str) -> list[int]:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        data_dir = conn.execute("SHOW data_directory").fetchone()[0]
    main = int(Path(data_dir, "postmaster.pid").read_text().split()[0])
    kids = subprocess.run(["pgrep", "-P", str(main)], capture_output=True, text=True).stdout.split()
    return [main, *map(int, kids)]


def test_ingest_scales_over_hub_processes_on_one_postgres(pg_server: str, tmp_path: Path,  # noqa: F811
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         request: pytest.FixtureRequest) -> None:
    duration = 15.0 if request.config.getoption("benchmark_enable", False) else 3.0
    monkeypatch.setenv("KIOSK_HUB_DATA_KEY_FILE", str(tmp_path / "hub.keys"))
    url = fresh_pg_database(pg_server)
    admin = open_hub(url)
    token = admin.kiosks.add("kiosk-a")
    admin.db.close()
    name = url.rsplit("/", 1)[1]
    rows: list[dict[str, float]] = []
    for n in (1, 2, 4):
        hubs = [HubProcess(url, extra_args=("--db-pool-size", str(POOL), "--rate-per-second", "100000",
                                            "--rate-burst", "100000")).start() for _ in range(n)]
        try:
            ports = [h.port for h in hubs]
            hub_pids = [h.proc.pid for h in hubs if h.proc is not None]
            pg_pids = _postgres_pids(pg_server)
            out: multiprocessing.Queue = multiprocessing.Queue()
            until = time.monotonic() + 1.0 + duration
            ctx = multiprocessing.get_context("fork")
            # Two client processes, so the load generator is not one GIL.
            procs = [ctx.Process(target=_threads, args=(CLIENTS // 2, ports, token, until, out, i * CLIENTS))
                     for i in range(2)]
            hub0, pg0, t0 = _cpu_ticks(hub_pids), _cpu_ticks(pg_pids), time.monotonic()
            for p in procs:
                p.start()
            time.sleep(duration / 2 + 1.0)
            with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as conn:
                conns = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname=%s", (name,)).fetchone()[0]
            results = [out.get(timeout=duration + 60) for _ in range(CLIENTS)]
            for p in procs:
                p.join(30)
            wall = time.monotonic() - t0
            hub_cpu = (_cpu_ticks(hub_pids) - hub0) / os.sysconf("SC_CLK_TCK")
            pg_cpu = (_cpu_ticks(_postgres_pids(pg_server)) - pg0) / os.sysconf("SC_CLK_TCK")
        finally:
            for h in hubs:
                h.stop()
        lat = sorted(x for r in results for x in r[0])
        errors = sum(r[1] for r in results)
        assert errors == 0 and lat
        row = {"procs": n, "rps": len(lat) / duration, "p50_ms": 1000 * statistics.median(lat),
               "p95_ms": 1000 * lat[int(0.95 * (len(lat) - 1))], "conns": conns,
               "hub_cpu_s": hub_cpu / wall, "pg_cpu_s": pg_cpu / wall}
        rows.append(row)
    base = rows[0]["rps"]
    print(f"\n[pg ingest] {CLIENTS} clients, pool {POOL} per process, {duration:g} s per setting, "
          f"{os.cpu_count()} CPUs")
    print("[pg ingest] procs  req/s  ratio  p50 ms  p95 ms  PG conns  hub CPU (cores)  PG CPU (cores)  "
          "hub CPU ms/req  PG CPU ms/req")
    for r in rows:
        print(f"[pg ingest] {r['procs']:>5}  {r['rps']:>5.0f}  {r['rps'] / base:>5.2f}  {r['p50_ms']:>6.1f}  "
              f"{r['p95_ms']:>6.1f}  {r['conns']:>8.0f}  {r['hub_cpu_s']:>15.2f}  {r['pg_cpu_s']:>14.2f}  "
              f"{1000 * r['hub_cpu_s'] / r['rps']:>14.2f}  {1000 * r['pg_cpu_s'] / r['rps']:>13.2f}")
    # Where the database becomes the limit: one PG core serves 1/(PG CPU per request) requests a second; one hub
    # process on a core of its own serves 1/(hub CPU per request). Measured costs, not a guess at the hardware.
    hub_ms = statistics.median(1000 * r["hub_cpu_s"] / r["rps"] for r in rows)
    pg_ms = statistics.median(1000 * r["pg_cpu_s"] / r["rps"] for r in rows)
    print(f"[pg ingest] per request: hub {hub_ms:.2f} ms CPU, PostgreSQL {pg_ms:.2f} ms CPU -> one PG core is "
          f"saturated by about {hub_ms / pg_ms:.1f} hub processes on cores of their own ({1000 / pg_ms:.0f} req/s)")
    for r in rows:
        assert r["conns"] <= r["procs"] * (POOL + 1) + 1  # bounded by the pools (+1: our own count query)
