"""GUI-thread cost of entering a screen (Identify → categories after a card read), with the kiosk's reused
tiles against a baseline that builds the tiles afresh each time (what the first version did), measured
interleaved in this process. The entry must stay well under the 50 ms stall budget of the thread test.

Full size: `pytest tests/bench/test_bench_ui_screen_entry.py --benchmark-enable` (target: reuse ≤ 0.6× baseline).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import pytest

from kiosk.config import KioskConfig


@pytest.fixture
def window(qapp: Any, tmp_path: Any) -> Any:
    from ui.tour import settle, tour_window

    cfg = KioskConfig(data_dir=tmp_path / "data")
    with tour_window(cfg, (1920, 1080), "zh_CN", 1.0) as win:
        settle()
        win.prewarm()
        yield win


def _entry(win: Any, fresh_tiles: bool) -> Callable[[], float]:
    from PySide6.QtCore import QCoreApplication, QEvent

    from kiosk.journey import Back
    from ui.tour import demo_records, insert, settle

    grid = win.screens["categories"].grid
    adult = demo_records()[1]

    def run() -> float:
        win.send(Back())  # categories → identify
        settle()
        if fresh_tiles:  # baseline: forget the tiles, as if each entry built new buttons
            for b in grid._pool:
                b.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            grid._pool.clear()
            grid._buttons.clear()
            grid._built_for = None
        t = time.perf_counter()
        insert(win, adult)  # the card read: identify → categories
        settle()
        return time.perf_counter() - t

    return run


def test_bench_ui_screen_entry_reuse_vs_fresh_tiles(benchmark: Any, window: Any) -> None:
    rounds = 30 if not benchmark.disabled else 3
    win = window
    from ui.tour import demo_records, insert, tap_choice

    tap_choice(win, "business")
    insert(win, demo_records()[1])
    assert win.current == "categories"
    reuse, fresh = _entry(win, False), _entry(win, True)
    t_reuse: list[float] = []
    t_fresh: list[float] = []
    for _ in range(rounds):  # interleaved, so machine load affects both alike
        t_reuse.append(reuse())
        t_fresh.append(fresh())
    benchmark.pedantic(reuse, rounds=rounds if not benchmark.disabled else 1, iterations=1)
    m_reuse, m_fresh = statistics.median(t_reuse), statistics.median(t_fresh)
    benchmark.extra_info.update({"median_reuse_ms": round(m_reuse * 1000, 2),
                                 "median_fresh_ms": round(m_fresh * 1000, 2),
                                 "ratio_reuse_to_fresh": round(m_reuse / m_fresh, 3)})
    print(f"\nscreen entry: reuse {m_reuse * 1000:.1f} ms, fresh tiles {m_fresh * 1000:.1f} ms, "
          f"ratio {m_reuse / m_fresh:.2f}")
    # The stall budget is 50 ms: held by the benchmark run; a plain run on a shared 2-core machine keeps the
    # 3× margin the suite gives every speed bound (issue 15).
    assert m_reuse < (0.050 if not benchmark.disabled else 0.150), m_reuse
