"""Logging: JSON lines to a rotating file and to stderr, with a filter that masks personal data.

Code must not log personal data in the first place; the filter is a second line of defence that masks
anything shaped like an ID number or a mainland mobile number before it reaches a handler.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
from pathlib import Path

from pythonjsonlogger.json import JsonFormatter

_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_PHONE_LIKE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def scrub(text: str) -> str:
    text = _ID_LIKE.sub(lambda m: m.group(1) + "********" + m.group(2)[-4:], text)
    return _PHONE_LIKE.sub(lambda m: m.group(1) + "****" + m.group(2), text)


class ScrubFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(str(record.msg))
        if record.args:
            record.args = tuple(scrub(str(a)) if isinstance(a, str) else a for a in record.args) \
                if isinstance(record.args, tuple) else record.args
        for key, value in list(record.__dict__.items()):
            if isinstance(value, str) and key not in ("msg", "name", "levelname", "pathname", "filename", "module",
                                                      "funcName", "threadName", "processName"):
                record.__dict__[key] = scrub(value)
        return True


_OURS = "kiosk"  # the name our handlers carry, so a second setup replaces them and keeps others


def setup_logging(log_dir: Path | None, *, level: int = logging.INFO, stderr: bool = True,
                  external_rotation: bool = False) -> None:
    """JSON lines to `log_dir/kiosk.log.jsonl` (rotated here at 5 MB × 5, or, with `external_rotation`, by
    logrotate: the file is reopened when logrotate moves it) and to stderr (the journal under systemd)."""
    root = logging.getLogger()
    for h in list(root.handlers):
        if h.get_name() == _OURS:
            root.removeHandler(h)
    fmt = JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s", rename_fields={"asctime": "ts"})
    handlers: list[logging.Handler] = []
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / "kiosk.log.jsonl"
        handlers.append(logging.handlers.WatchedFileHandler(path, encoding="utf-8") if external_rotation else
                        logging.handlers.RotatingFileHandler(path, maxBytes=5_000_000, backupCount=5,
                                                             encoding="utf-8"))
    if stderr:
        handlers.append(logging.StreamHandler(sys.stderr))
    for h in handlers:
        h.setFormatter(fmt)
        h.addFilter(ScrubFilter())
        h.set_name(_OURS)
        root.addHandler(h)
    root.setLevel(level)
