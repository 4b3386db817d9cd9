"""The event bus's start, on a real SQLite file: a page that subscribes while the dispatcher starts gets no
needless `reload` right after its snapshot. The dispatcher says `reload` (for pages that waited in vain) before it
reports ready, so a page waiting for ready subscribes after the word. A fresh-clone CI once saw the word arrive
after the snapshot instead of the first ticket, when the page's wake-up raced the dispatcher; here the dispatcher's
word is slowed down so the race is certain to be lost if the order is wrong."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from sync.hub.db import DbSettings, HubDB
from sync.hub.hall.events import EventBus
from sync.hub.hall.schema import init_hall_schema


def test_a_page_subscribing_as_the_dispatcher_starts_gets_no_reload(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    db = HubDB(f"sqlite:///{tmp_path / 'hub.db'}", DbSettings(pool_size=2, timeout_s=5))
    init_hall_schema(db)
    bus = EventBus(db)
    slow = EventBus._fan_out_all

    def fan_out_slowly(self: EventBus, event: dict[str, Any]) -> None:
        time.sleep(0.5)  # the page, woken by `ready`, has all the time it needs to subscribe first
        slow(self, event)

    monkeypatch.setattr(EventBus, "_fan_out_all", fan_out_slowly)

    async def page() -> list[dict[str, Any]]:
        sub = await bus.subscribe({"queue"}, wait_s=5.0)
        await asyncio.sleep(1.5)  # well after the dispatcher's word
        got = []
        while not sub.queue.empty():
            got.append(sub.queue.get_nowait())
        bus.unsubscribe(sub)
        return got

    try:
        got = asyncio.run(page())
    finally:
        bus.close()
        db.close()
    assert [e["topic"] for e in got] == []
