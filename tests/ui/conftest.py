"""Fixtures for the UI tests: a kiosk window on a fresh data dir with receipts as PDFs, the real simulated
card reader, and Qt warnings turned into failures (like Vorta's qt_default_raising)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The offscreen platform plugin says this once per top-level window; it is not a fault of ours.
_IGNORED_QT_MESSAGES = [r"This plugin does not support propagateSizeHints\(\)"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(*_IGNORED_QT_MESSAGES))


@pytest.fixture
def ui_config(tmp_path: Path) -> Any:
    from kiosk.config import KioskConfig

    # The windows get the simulated card reader (the `reader` fixture), which reads demo badges as well.
    return KioskConfig(kiosk_id="k01", data_dir=tmp_path / "data", card_reader={"driver": "simulated"},
                       printer={"pdf_dir": tmp_path / "receipts"},
                       sync={"backoff_base_seconds": 0.05, "backoff_cap_seconds": 0.2,
                             "request_timeout_seconds": 2.0})


@pytest.fixture
def make_window(qtbot: Any, ui_config: Any) -> Iterator[Callable[..., Any]]:
    """`make_window(width=, height=, config=, **window_kwargs)` → a shown KioskWindow on its own data dir."""
    from ui.app import build_deps, qt_app
    from ui.window import KioskWindow

    made: list[Any] = []

    def make(width: int = 1920, height: int = 1080, config: Any = None, **kwargs: Any) -> Any:
        qt_app()
        deps = build_deps(config or ui_config)
        win = KioskWindow(deps, width=width, height=height, **kwargs)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        made.append(win)
        return win

    yield make
    from PySide6.QtCore import QCoreApplication, QEvent

    for win in made:
        win.close()
        win.deps.runner.shutdown()
        if win.deps.paper is not None:  # the printing worker, made on the first receipt or ticket
            win.deps.paper.shutdown()
        win.deleteLater()
    # Delete now: windows left alive would be restyled by every later test's theme and slow it down.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def reader(make_window: Any) -> Iterator[Callable[[Any], Any]]:
    """`reader(window)` → the real simulated card reader, started and delivering to that window."""
    from drivers.simulated import SimulatedReader

    started: list[Any] = []

    def attach(win: Any) -> Any:
        r = SimulatedReader(win.deps.bridge.on_reader)
        r.start()
        win.deps.reader = r
        started.append(r)
        return r

    yield attach
    for r in started:
        r.stop()
