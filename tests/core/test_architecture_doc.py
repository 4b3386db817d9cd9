"""ARCHITECTURE.md carries the visit's drawing as the code draws it (`python -m kiosk.journey.diagram`)."""

from __future__ import annotations

from pathlib import Path

from kiosk.journey.diagram import mermaid

ROOT = Path(__file__).resolve().parents[2]


def test_architecture_carries_the_current_journey_drawing() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    assert mermaid() in text, "ARCHITECTURE.md's drawing is stale: paste `python -m kiosk.journey.diagram` into it"
