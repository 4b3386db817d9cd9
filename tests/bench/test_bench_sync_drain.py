"""Draining pending records to a local hub process: records/s, ratio to direct batched POSTs of the same records
to the same hub (same client encoding, no outbox), and peak Python memory during a drain.

Full size (10,000 records): `pytest tests/bench/test_bench_sync_drain.py --benchmark-enable` (target ≥ 0.8).
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.store import open_store
from kiosk.store.outbox import new_id
from sync.client import HubClient
from sync.hub.server import open_hub
from sync.hub.service import Hub
from sync.wire import body_digest
from sync.worker import SyncWorker
from tests.sync.conftest import HubProcess, fill_outbox, kiosk_config, ticket_body

BATCH = 50


@pytest.fixture
def local_hub(tmp_path: Path) -> Iterator[tuple[HubProcess, Hub]]:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    admin = open_hub(url)
    # Throughput of delivery, not of the per-token rate limit (tested in tests/sync/test_limits.py): lifted here.
    hp = HubProcess(url, extra_args=("--rate-per-second", "1000000", "--rate-burst", "1000000")).start()
    yield hp, admin
    hp.stop()
    admin.db.close()


def _direct_posts(client: HubClient, n: int, tag: str) -> float:
    """The baseline: the same records built and posted in batches straight from memory, no outbox."""
    t = time.perf_counter()
    for start in range(0, n, BATCH):
        records = [{"key": new_id(), "kind": "ticket", "record_id": f"{tag}-{i}",
                    "body": (b := ticket_body("kiosk-a", i, seq=i)),
                    "sha256": body_digest(b)} for i in range(start, min(n, start + BATCH))]
        r = client.post_batch("kiosk-a", records)
        assert r.status_code == 200
    return time.perf_counter() - t


def _drain(tmp_path: Path, url: str, token: str, n: int, name: str, trace: bool = False) -> tuple[float, int]:
    store = open_store(tmp_path / name)
    fill_outbox(store, n, per_tx=1000)
    cfg = kiosk_config(store.path.parent, url, batch_size=BATCH, request_timeout_seconds=30)
    worker = SyncWorker(cfg.data_dir, cfg, token=token)
    worker._online = True
    if trace:
        tracemalloc.start()
    t = time.perf_counter()
    result = worker.drain_once()
    elapsed = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    if trace:
        tracemalloc.stop()
    worker._close_thread_resources()
    assert result.delivered == n
    store.close()
    return elapsed, peak


def test_bench_sync_drain_vs_direct_posts(benchmark: Any, local_hub: tuple[HubProcess, Hub], tmp_path: Path) -> None:
    hp, admin = local_hub
    enabled = not benchmark.disabled
    n, rounds = (10_000, 3) if enabled else (500, 1)
    token = admin.kiosks.add("kiosk-a")
    client = HubClient(hp.url, token, timeout=30)
    direct_s, drain_s = [], []
    for r in range(rounds):  # interleaved; every round adds 2·n records to the same hub
        direct_s.append(_direct_posts(client, n, f"direct{r}"))
        drain_s.append(_drain(tmp_path, hp.url, token, n, f"kiosk{r}")[0])
    holder: dict[str, float] = {}

    def measured() -> None:
        holder["s"] = _drain(tmp_path, hp.url, token, n, "kiosk-bench")[0]

    benchmark.pedantic(measured, rounds=1, iterations=1)
    _, peak = _drain(tmp_path, hp.url, token, n, "kiosk-mem", trace=True)
    client.close()
    drain_rate = n / statistics.median(drain_s)
    direct_rate = n / statistics.median(direct_s)
    ratio = drain_rate / direct_rate
    benchmark.extra_info.update({"records": n, "batch": BATCH, "rounds": rounds,
                                 "drain_per_s_median": round(drain_rate),
                                 "direct_posts_per_s_median": round(direct_rate), "ratio": round(ratio, 3),
                                 "peak_traced_mib": round(peak / 2**20, 2)})
    print(f"\ndrain {drain_rate:.0f} rec/s, direct batched POSTs {direct_rate:.0f} rec/s, ratio {ratio:.2f}, "
          f"peak traced memory {peak / 2**20:.1f} MiB")
    assert admin.records.count() == n * (2 * rounds + 2)
    # Memory does not grow with the queue: one batch at a time is held, not the whole outbox.
    assert peak < 64 * 2**20
    if enabled:
        assert ratio >= 0.8
