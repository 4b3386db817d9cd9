"""Parts of the kiosk found at run time through entry points declared in `pyproject.toml`, so the core never
names the packages (ui, drivers, sync) that extend it (the way pytest and datasette find their plugins)."""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

# `kiosk` sub-commands: each entry point is a `register(subparsers) -> None` (kiosk/cli/main.py).
COMMANDS = "kiosk.commands"
# `kiosk ticket take` prints through this: `print_ticket(ticket, config) -> None`, raising KioskError.
TICKET_PRINTERS = "kiosk.ticket_printers"


def load(group: str) -> list[Any]:
    """The objects of every installed entry point of `group`, in the order of their names (stable help text).

    An entry point whose package is not installed in this build (a hub-only install, a bundle without Qt) is
    skipped; any other import error is a bug and is raised."""
    found = []
    for ep in sorted(entry_points(group=group), key=lambda e: e.name):
        try:
            found.append(ep.load())
        except ModuleNotFoundError as exc:
            if exc.name and ep.module.startswith(exc.name):
                continue
            raise
    return found
