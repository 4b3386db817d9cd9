"""Draws the journey from its table (`machine.TABLE`) as Mermaid text: `python -m kiosk.journey.diagram`."""

from __future__ import annotations

from kiosk.journey.machine import GLOBAL, TABLE
from kiosk.journey.states import State


def edges() -> list[tuple[str, str, str]]:
    """(from, event, to) for every transition the table allows; global events drawn once from `*`."""
    out: list[tuple[str, str, str]] = []
    for state, rules in TABLE.items():
        for event, rule in rules.items():
            for target in rule.targets:
                out.append((state.value, event, target.value))
    for event, rule in GLOBAL.items():
        for target in rule.targets:
            out.append(("*", event, target.value))
    return out


def mermaid() -> str:
    lines = ["stateDiagram-v2", f"    [*] --> {State.HOME.value}"]
    seen: set[tuple[str, str, str]] = set()
    for a, ev, b in edges():
        if (a, ev, b) in seen:
            continue
        seen.add((a, ev, b))
        src = "any_state" if a == "*" else a
        lines.append(f"    {src} --> {b}: {ev}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(mermaid(), end="")
