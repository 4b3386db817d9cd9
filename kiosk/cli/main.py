"""Entry point of the `kiosk` command. Core commands live in this package; commands of the other packages
(drivers, sync, codes, ui) register themselves through `PLUGIN_MODULES`, imported lazily by name so the core
package never imports them statically (the composition root is here, the dependency arrows stay one way).
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sqlite3
import sys
from collections.abc import Callable, Sequence

from kiosk import __version__
from kiosk.config import KioskConfig, load_config
from kiosk.disk import is_storage_full, storage_full
from kiosk.messages import KioskError

# Each module defines `register(subparsers) -> None`; its handlers import heavy things (Qt, OpenCV) lazily.
PLUGIN_MODULES = [
    "kiosk.cli.core_cmds",
    "kiosk.cli.ticket_cmds",
    "kiosk.codes.cli",
    "drivers.cli",
    "sync.cli",
    "sync.hub_checks",
    "ui.cli",
]

Handler = Callable[[argparse.Namespace, "Context"], int]


class Context:
    """What every command gets: the parsed options and, on demand, the validated config."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._config: KioskConfig | None = None

    @property
    def config(self) -> KioskConfig:
        if self._config is None:
            self._config = load_config(self.args.config)
        return self._config


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Service-hall self-service kiosk")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    parser.add_argument("--config", help="config file (default: $KIOSK_CONFIG or the platform config dir)")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in PLUGIN_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue  # that part is not installed in this build
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, stream=sys.stderr)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        try:
            return handler(args, Context(args))
        except (sqlite3.OperationalError, OSError) as exc:
            if is_storage_full(exc):  # a write outside a store transaction met the full disk: say so plainly
                raise storage_full(exc) from exc
            raise
    except KioskError as exc:
        if getattr(args, "json", False):
            print(json.dumps(exc.as_dict(), ensure_ascii=False))
        else:
            print(f"{exc.message.zh}\n{exc.message.en}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
