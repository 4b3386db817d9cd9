"""A submission made while the hub is down: the strip says so calmly, the receipt is local, and the sync
worker delivers it once the hub is back (real embedded hub on the same port, real SyncWorker)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from journey_taps import card_index, tap_choice, tap_next

from kiosk.store import open_store


def test_offline_submission_is_delivered_when_the_hub_comes_up(qtbot: Any, make_window: Any, reader: Any,
                                                               ui_config: Any, tmp_path: Path) -> None:
    from sync.hub.embedded import start_embedded_hub
    from sync.worker import SyncWorker

    # Register the kiosk with a hub, note its port, and take the hub down before the citizen arrives.
    db = tmp_path / "hub.db"
    hub = start_embedded_hub(db)
    port, token = hub.port, hub.token_for(ui_config.kiosk_id)
    hub.stop()
    cfg = ui_config.model_copy(update={"hub_url": f"http://127.0.0.1:{port}"})
    win = make_window(config=cfg)
    worker = SyncWorker(cfg.data_dir, cfg, token, on_status=win.deps.bridge.on_sync_status)
    win.deps.wake_sync = worker.wake
    worker.start()
    hub = None
    try:
        r = reader(win)
        tap_choice(qtbot, win, "print")
        r.insert(card_index("Resident ID card (aged 72)"))
        qtbot.waitUntil(lambda: win.current == "items", timeout=5000)
        tap_choice(qtbot, win, "pension_payment_record")
        tap_next(qtbot, win)
        tap_next(qtbot, win)
        tap_choice(qtbot, win, "0")
        tap_next(qtbot, win)
        tap_next(qtbot, win)  # Submit while offline
        qtbot.waitUntil(lambda: win.current == "done", timeout=10000)
        receipt_no = win.screens["done"].receipts[0].receipt_no
        assert receipt_no.startswith("k01-")
        qtbot.waitUntil(lambda: win.strip.status is not None and not win.strip.status.online
                        and win.strip.status.pending >= 1, timeout=20000)
        assert win.strip.net_label.text().startswith("网络暂时中断，业务照常办理，恢复后自动提交")
        assert "待上传" in win.strip.net_label.text() and win.strip.net_label.isVisible()
        assert win.strip.state_label.text() == "网络离线"
        assert win.strip.property("offline") is True

        hub = start_embedded_hub(db, port=port)
        worker.wake()
        # Online needs two good checks in a row (SteadyNetwork): the wake probes at once and the worker checks
        # again `confirm_after_s` (2 s) later. Before, the second check was the 30 s idle one, and a loaded
        # fresh-clone CI timed out here; the bound is a margin for a shared 2-core machine, not a speed goal.
        qtbot.waitUntil(lambda: win.strip.status is not None and win.strip.status.online
                        and win.strip.status.pending == 0, timeout=90000)
        assert win.strip.state_label.text() == "网络正常" and not win.strip.net_label.isVisible()
        records = hub.hub.records.listing(cfg.kiosk_id, "transaction")
        assert len(records) == 1
    finally:
        worker.stop()
        if hub is not None:
            hub.stop()
    store = open_store(cfg.data_dir)
    try:
        states = [row[0] for row in store.conn.execute("SELECT state FROM outbox WHERE kind='transaction'")]
    finally:
        store.close()
    assert states == ["delivered"]
