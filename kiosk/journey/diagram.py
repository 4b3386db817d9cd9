"""Draws the journey from its merged map (`flows.NAV`) as Mermaid text: `python -m kiosk.journey.diagram`."""

from __future__ import annotations

from kiosk.journey.flows import NAV
from kiosk.journey.states import State


def edges() -> list[tuple[str, str, str]]:
    """(from, event, to) for every transition the map declares; the rows every state has drawn once from `*`."""
    out: list[tuple[str, str, str]] = []
    for state in State:
        for key, entry in NAV.table.get(state, {}).items():
            for target in entry.targets:
                if target is not state:
                    out.append((state.value, key, target.value))
    for key, entry in NAV.everywhere.items():
        for target in entry.targets:
            out.append(("*", key, target.value))
    return out


def returns() -> list[tuple[str, str]]:
    """(from, event) for the entries that may also return along the visit's history (Back)."""
    out = [(state.value, key) for state in State for key, entry in NAV.table.get(state, {}).items() if entry.returns]
    return out + [("*", key) for key, entry in NAV.everywhere.items() if entry.returns]


def mermaid() -> str:
    lines = ["stateDiagram-v2", f"    [*] --> {State.HOME.value}"]
    seen: set[tuple[str, str, str]] = set()
    for a, ev, b in edges():
        if (a, ev, b) in seen:
            continue
        seen.add((a, ev, b))
        src = "any_state" if a == "*" else a
        lines.append(f"    {src} --> {b}: {ev}")
    for a, ev in returns():
        src = "any_state" if a == "*" else a
        lines.append(f"    %% {src} {ev}: also back along the visit's history, to a screen it has shown")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(mermaid(), end="")
