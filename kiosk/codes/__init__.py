"""Code verification (Qt-free): classify a scanned payload, verify it offline (EU DCC `HC1:`, kiosk-signed
`KC1:`) or through the hub (online-only codes), and return a `Verdict` with a plain zh/en message.

Names are loaded lazily so that `kiosk --help` (which imports `kiosk.codes.cli`) stays quick.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "CodeFormat": "kiosk.codes.verdict", "Subject": "kiosk.codes.verdict", "Verdict": "kiosk.codes.verdict",
    "VerdictKind": "kiosk.codes.verdict", "OnlineUnavailable": "kiosk.codes.verify",
    "OnlineVerifier": "kiosk.codes.verify", "verify_payload": "kiosk.codes.verify",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'kiosk.codes' has no attribute {name!r}")
