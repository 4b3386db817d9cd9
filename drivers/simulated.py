"""Simulated card reader for the demo and UI tests: "inserts" records from a JSON file when asked.

Interface (the same start/stop + callback as the SAM and PC/SC readers, see `drivers.reader.CardReader`)::

    reader = SimulatedReader(callback, path=None)   # path=None → the bundled drivers/data/demo_cards.json
    reader.start()                  # worker thread starts; emits READER_CONNECTED
    reader.cards                    # list[DemoCard]: .label (kiosk.messages.Message, no personal data), .record
    reader.insert(0)                # emits CARD_PRESENT, then IDENTITY with a fresh copy of card 0's record
                                    #   (a card already in the reader is removed first: CARD_REMOVED)
    reader.remove()                 # emits CARD_REMOVED (no-op when no card is in)
    reader.fail("read_failed")      # emits ERROR with the same kind/message a real reader would give
    reader.unplug(); reader.plug()  # READER_DISCONNECTED / READER_CONNECTED
    reader.stop()                   # joins the worker thread

`insert`/`remove`/`fail` may be called from any thread (e.g. the GUI thread): they only enqueue a command;
the events are delivered on the reader's worker thread, exactly like real hardware. Every IDENTITY event
carries a new `IdentityRecord`, so the session may `wipe()` it without spoiling the next insert.

The file format is `{"cards": [{"label": {"zh": ..., "en": ...}, "record": {<read-card --json fields>}}]}`.
"""

from __future__ import annotations

import json
import queue
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from drivers.errors import reader_error
from drivers.events import ReaderCallback, ReaderEventKind
from drivers.reader import CardReader
from kiosk.identity.record import IdentityRecord
from kiosk.locale import phrase
from kiosk.messages import KioskError, Message


@dataclass(frozen=True)
class DemoCard:
    label: Message
    record: IdentityRecord


def default_cards_path() -> Path:
    return Path(str(resources.files("drivers") / "data" / "demo_cards.json"))


def load_cards(path: Path | None = None) -> list[DemoCard]:
    """Read and check a demo card file; raises KioskError(demo_cards_invalid) naming the bad entry."""
    path = path or default_cards_path()
    try:
        data: Any = json.loads(Path(path).read_text(encoding="utf-8"))
        entries = data["cards"]
        if not isinstance(entries, list):
            raise TypeError("cards must be a list")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise _invalid(path, f"file: {type(exc).__name__}") from None
    cards: list[DemoCard] = []
    for i, entry in enumerate(entries):
        try:
            label = Message(str(entry["label"]["zh"]), str(entry["label"]["en"]))
            record = IdentityRecord.from_json_dict(entry["record"])
        except (KeyError, TypeError, ValueError) as exc:
            raise _invalid(path, f"card {i}: {type(exc).__name__}") from None
        cards.append(DemoCard(label, record))
    return cards


def _invalid(path: Path, detail: str) -> KioskError:
    return KioskError("demo_cards_invalid", phrase("drivers.simulated.demo_cards_invalid", path=path),
                      detail=detail)


class SimulatedReader(CardReader):
    """A reader whose cards are inserted and removed by calls (demo buttons, tests) instead of hands."""

    name = "simulated"

    def __init__(self, callback: ReaderCallback, path: Path | None = None) -> None:
        super().__init__(callback)
        self.cards = load_cards(path)
        self._commands: queue.Queue[tuple[str, Any]] = queue.Queue()

    def insert(self, index: int) -> None:
        """Place card `index` of `self.cards` on the reader."""
        if not 0 <= index < len(self.cards):
            raise IndexError(f"no demo card {index} (have {len(self.cards)})")
        self._commands.put(("insert", index))

    def remove(self) -> None:
        self._commands.put(("remove", None))

    def fail(self, kind: str = "read_failed") -> None:
        """Simulate a failed read with one of the error kinds of `drivers.errors`."""
        self._commands.put(("fail", kind))

    def unplug(self) -> None:
        self._commands.put(("unplug", None))

    def plug(self) -> None:
        self._commands.put(("plug", None))

    def _wake(self) -> None:
        self._commands.put(("stop", None))

    def _run(self) -> None:
        connected, card_in = True, False
        self._emit(ReaderEventKind.READER_CONNECTED)
        while not self._stop.is_set():
            command, arg = self._commands.get()
            if command == "stop":
                if self._stop.is_set():
                    break
                continue  # left over from an earlier stop(); this run goes on
            if command in ("insert", "fail") and not connected:
                self._emit_error(reader_error("no_reader"))
                continue
            if command in ("remove", "insert", "unplug") and card_in:
                card_in = False
                self._emit(ReaderEventKind.CARD_REMOVED)
            if command == "insert":
                card_in = True
                self._emit(ReaderEventKind.CARD_PRESENT)
                source = self.cards[arg].record
                self._emit(ReaderEventKind.IDENTITY, record=IdentityRecord.from_json_dict(source.to_json_dict()))
            elif command == "fail":
                self._emit_error(reader_error(arg))
            elif command == "unplug" and connected:
                connected = False
                self._emit(ReaderEventKind.READER_DISCONNECTED)
            elif command == "plug" and not connected:
                connected = True
                self._emit(ReaderEventKind.READER_CONNECTED)
