"""A full disk, in plain words: how a failed write is recognised, the refusal people see, and the `disk` fault.

SQLite reports a full disk as `database or disk is full` (SQLITE_FULL), or on opening as `disk I/O error`
(SQLITE_IOERR_SHMSIZE: the WAL's shared-memory file cannot grow); the transaction is rolled back, so nothing
already queued is lost, and the next write succeeds once space is freed.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

from kiosk.locale import phrase
from kiosk.messages import KioskError

STORAGE_FULL = phrase("disk.storage_full")
# Below this much free space on the data disk the kiosk reports a `disk` fault: SQLite needs room for its journal.
FULL_BYTES = 8 * 1024 * 1024


def is_storage_full(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        name = getattr(exc, "sqlite_errorname", "")
        # SHMSIZE: the shared-memory file of the WAL could not be grown, which on a full disk is how opening fails.
        return "database or disk is full" in text or name in ("SQLITE_FULL", "SQLITE_IOERR_SHMSIZE")
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def storage_full(exc: BaseException | None = None) -> KioskError:
    return KioskError("storage_full", STORAGE_FULL, detail=type(exc).__name__ if exc is not None else None)


def free_bytes(data_dir: Path) -> int:
    d = data_dir
    while not d.exists() and d != d.parent:
        d = d.parent  # the folder is created on first start: measure the disk it will be on
    return shutil.disk_usage(d).free


def disk_fault(data_dir: Path) -> dict[str, object] | None:
    """The `disk` fault a heartbeat carries while the data disk is (nearly) full, else None."""
    free = free_bytes(data_dir)
    if free >= FULL_BYTES:
        return None
    return {"state": "fault", "fault": "storage_full", "free_bytes": free,
            "message": f"{STORAGE_FULL.zh} / {STORAGE_FULL.en}"}
