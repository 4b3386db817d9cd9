"""Flat over days: visits driven through the running kiosk (`kiosk run`'s composition, offscreen) by device
events only — a card placed, the visit identified, the card lifted, back home — with resident memory, widgets,
threads and open file descriptors compared between the end of the warm-up and the end of the run.
Budget (issue 11): RSS grows ≤ 5 % after warm-up over 2,000 visits; no widget, thread or fd leaks.

Figures: `pytest tests/bench/test_bench_soak_run.py --benchmark-enable -s` (2,000 visits; 300 otherwise)."""

from __future__ import annotations

import gc
import os
import resource
import threading
import time
from pathlib import Path
from typing import Any

RSS_GROWTH_MAX = 0.05


def _rss_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize()


def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_visits_leave_memory_widgets_threads_and_fds_flat(qtbot: Any, tmp_path: Path, request: Any) -> None:
    from PySide6.QtWidgets import QApplication

    from drivers.simulated import load_cards
    from kiosk.config import KioskConfig
    from kiosk.identity.record import CardType
    from kiosk.journey.events import Home
    from ui.app import start_kiosk

    full = request.config.getoption("benchmark_enable", False)
    visits, warmup = (2000, 300) if full else (300, 100)
    cards = [i for i, c in enumerate(load_cards()) if c.record.card_type is CardType.RESIDENT]
    cfg = KioskConfig(kiosk_id="k-soak", data_dir=tmp_path / "data", card_reader={"driver": "simulated"},
                      scanner={"driver": "none"}, printer={"pdf_dir": tmp_path / "receipts"}, ui={"voice": False})
    running = start_kiosk(cfg, size="1920x1080", windowed=True, printer_every_s=3600)
    win, reader = running.window, running.devices.reader
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)

    def visit(n: int) -> None:
        reader.insert(cards[n % len(cards)])
        qtbot.waitUntil(lambda: win.session is not None and win.current != "home", timeout=5000)
        reader.remove()
        win.send(Home())
        qtbot.waitUntil(lambda: win.current == "home" and win.session is None, timeout=5000)

    def sample() -> tuple[int, int, int, int]:
        gc.collect()
        QApplication.processEvents()
        return _rss_bytes(), len(QApplication.allWidgets()), threading.active_count(), _fds()

    try:
        for n in range(warmup):
            visit(n)
        base = sample()
        t0 = time.perf_counter()
        for n in range(warmup, visits):
            visit(n)
        elapsed = time.perf_counter() - t0
        end = sample()
    finally:
        win.close()
        running.stop()
    growth = (end[0] - base[0]) / base[0]
    print(f"\nsoak: {visits} visits ({warmup} warm-up), {1000 * elapsed / (visits - warmup):.1f} ms per visit; "
          f"RSS {base[0] / 2**20:.1f} -> {end[0] / 2**20:.1f} MiB ({100 * growth:+.2f} %); widgets {base[1]} -> "
          f"{end[1]}; threads {base[2]} -> {end[2]}; fds {base[3]} -> {end[3]}")
    assert growth <= RSS_GROWTH_MAX, f"RSS grew {100 * growth:.1f} % after warm-up"
    assert end[1] <= base[1], f"widgets {base[1]} -> {end[1]}"
    assert end[2] <= base[2], f"threads {base[2]} -> {end[2]}"
    assert end[3] <= base[3], f"file descriptors {base[3]} -> {end[3]}"
