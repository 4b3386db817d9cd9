"""The health probe's look at the database: off the event loop, on threads of its own, one look at a time.

Its own threads, so a probe is answered even while every request thread waits on a frozen database; one look
shared by all probes arriving meanwhile, so a storm of probes costs one statement.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading

from sync.hub.db import HubDB

_executor = concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix="hub-health")
_inflight: dict[int, concurrent.futures.Future[bool]] = {}
_lock = threading.Lock()


def _look(db: HubDB) -> concurrent.futures.Future[bool]:
    with _lock:
        fut = _inflight.get(id(db))
        if fut is None or fut.done():
            fut = _inflight[id(db)] = _executor.submit(db.ping)
        return fut


async def database_health(db: HubDB) -> bool:
    """True when the database answered a statement within the timeout (plus a margin for the probe itself)."""
    try:
        look = asyncio.shield(asyncio.wrap_future(_look(db)))  # a probe giving up leaves the look to the others
        return await asyncio.wait_for(look, db.settings.timeout_s + 1.0)
    except TimeoutError:
        return False
