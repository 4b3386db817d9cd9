"""Imports sqlite-utils without numpy or pandas: it loads them, when installed, only to map their scalar types to
column types, and the store never writes such values. Imported first by `kiosk.store`."""

from __future__ import annotations

import sys


def import_without_numpy() -> None:
    """Saves numpy's load (about a sixth of a kiosk's cold start); numpy imports normally afterwards (OpenCV's,
    after the first paint). Runs at start-up before any thread, which could otherwise see the hidden numpy."""
    if "sqlite_utils" in sys.modules:
        return
    hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # `import numpy` raises ImportError meanwhile
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            del sys.modules[name]


import_without_numpy()
