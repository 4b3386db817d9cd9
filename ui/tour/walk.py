"""One walk of the tour: the window, the demo's people, and what has been recorded so far (a picture and the data
of every state); the state groups drive the window through it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.identity.record import IdentityRecord
from ui.tour.driving import demo_records, lift, settle, wait_for
from ui.tour.record import screen_data


@dataclass
class Tour:
    """One run of the tour: the window, the demo's people, and what has been recorded so far."""

    win: Any
    out_dir: Path
    on_shot: Callable[[str, Any], None] | None = None
    files: list[Path] = field(default_factory=list)
    states: dict[str, Any] = field(default_factory=dict)
    people: list[IdentityRecord] = field(default_factory=demo_records)

    @property
    def elder(self) -> IdentityRecord:
        return self.people[0]

    @property
    def adult(self) -> IdentityRecord:
        return self.people[1]

    @property
    def permit(self) -> IdentityRecord:
        return self.people[2]

    @property
    def staff_badge(self) -> IdentityRecord:
        return next(r for r in self.people if r.uid)

    def shot(self, name: str) -> None:
        """The state shown now: `on_shot` (tests check layouts there), its picture and its data."""
        settle()
        if self.on_shot is not None:
            self.on_shot(name, self.win)
        path = self.out_dir / f"{name}.png"
        self.win.grab().save(str(path))
        self.files.append(path)
        self.states[name] = screen_data(self.win)

    def home(self) -> None:
        from kiosk.journey import Home, State

        j = self.win.journey
        self.win.send(Home())
        settle()
        if j.state is State.TAKE_CARD:  # the last card is still on the reader: lifted, as people do
            lift(self.win)
            wait_for(lambda: j.state is State.HOME, 5)

    def next_tap(self) -> None:
        self.win.next_button.click()
