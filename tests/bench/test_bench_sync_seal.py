"""What sealing personal data costs the hub's ingest: records/s through `Hub.ingest` with AES-256-GCM sealing, as a
ratio to the same ingest whose "sealer" only base64-encodes (the baseline, measured in the same process).

Full size: `pytest tests/bench/test_bench_sync_seal.py --benchmark-enable -s` (target ratio ≥ 0.8).
"""

from __future__ import annotations

import base64
import statistics
import time
import uuid
from pathlib import Path
from typing import Any

from sync.hub.crypto import Sealer
from sync.hub.server import open_hub
from sync.hub.service import Hub
from sync.wire import body_digest

BATCH = 100


class Base64Only(Sealer):
    """Baseline only: the storage path without encryption (never used by the hub itself)."""

    def seal(self, table: str, column: str, row_id: str, plaintext: bytes) -> str:
        return base64.b64encode(plaintext).decode("ascii")


def _records(n: int) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        # A transaction as kiosks send it (the hub refuses bodies that are not one, before sealing anything).
        body = {"kiosk_id": "kiosk-a", "created_at": "2026-12-01T10:00:00+08:00", "transaction_id": str(uuid.uuid4()),
                "receipt_no": f"kiosk-a-20261201-{i:04d}", "item_code": "social_security_query", "seq": i,
                "person": {"name": "测试姓名", "id_number": "44010619800101003X", "phone": "13912345678",
                           "address": "广州市天河区测试大道123号"}}
        out.append({"key": str(uuid.uuid4()), "kind": "transaction", "record_id": f"r-{i}", "body": body,
                    "sha256": body_digest(body)})
    return out


def _ingest(tmp_path: Path, name: str, n: int, baseline: bool) -> float:
    hub = open_hub(str(tmp_path / f"{name}.db"))
    if baseline:  # the same hub with base64 in place of sealing (its services take the sealer when made)
        hub = Hub(hub.db, sealer=Base64Only(hub.keys.path))
    records = _records(n)
    t = time.perf_counter()
    for start in range(0, n, BATCH):
        results = hub.records.ingest("kiosk-a", records[start:start + BATCH])
        assert all(r.status == "created" for r in results)
    elapsed = time.perf_counter() - t
    hub.db.close()
    return elapsed


def test_bench_sync_seal_ingest(benchmark: Any, tmp_path: Path) -> None:
    enabled = not benchmark.disabled
    n, rounds = (5_000, 5) if enabled else (300, 1)
    sealed_s, plain_s = [], []
    for r in range(rounds):  # interleaved, fresh database each time
        plain_s.append(_ingest(tmp_path, f"plain{r}", n, baseline=True))
        sealed_s.append(_ingest(tmp_path, f"sealed{r}", n, baseline=False))
    benchmark.pedantic(lambda: _ingest(tmp_path, "bench", n, baseline=False), rounds=1, iterations=1)
    sealed_rate = n / statistics.median(sealed_s)
    plain_rate = n / statistics.median(plain_s)
    ratio = sealed_rate / plain_rate
    benchmark.extra_info.update({"records": n, "batch": BATCH, "rounds": rounds, "sealed_per_s": round(sealed_rate),
                                 "base64_only_per_s": round(plain_rate), "ratio": round(ratio, 3)})
    print(f"\nhub ingest sealed {sealed_rate:.0f} rec/s, base64-only baseline {plain_rate:.0f} rec/s, "
          f"ratio {ratio:.2f}")
    if enabled:
        assert ratio >= 0.8
