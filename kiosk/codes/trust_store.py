"""Trust material in the kiosk store (`hub_cache` rows "trust_list" and "hub_keys" with their fetch time), as the
sync worker fetched it from the hub (or seeded from the operator's `codes.trust_list_file`). The copies bundled in
`kiosk/codes/data/` are DEMO material: only `install_demo_trust`, which only `kiosk demo` calls, stores them.
"""

from __future__ import annotations

import datetime as dt
import logging
from importlib import resources
from pathlib import Path

from kiosk.codes.trust import TrustKey, TrustMaterial, TrustSet, parse_hub_keys, parse_trust_list
from kiosk.config import KioskConfig
from kiosk.messages import KioskError
from kiosk.store.db import Store

log = logging.getLogger(__name__)

TRUST_LIST = "trust_list"
HUB_KEYS = "hub_keys"
_PARSERS = {TRUST_LIST: parse_trust_list, HUB_KEYS: parse_hub_keys}


def bundled(name: str) -> bytes:
    """DEMO material: the demo copy shipped with the software (`trust_list.json`, `hub_keys.json`), which trusts the
    demo codes and nothing real. Never trusted unless `install_demo_trust` stored it."""
    return resources.files("kiosk.codes").joinpath("data", f"{name}.json").read_bytes()


def install_demo_trust(store: Store, *, now: dt.datetime | None = None) -> list[str]:
    """DEMO ONLY (`kiosk demo` calls this at start, on its throw-away data folder): store the demo trust list and
    demo hub keys where the store holds no copy yet, so the demo codes verify. Returns the names stored."""
    at = now or dt.datetime.now(dt.UTC)
    stored = []
    for name in (TRUST_LIST, HUB_KEYS):
        if store.cache_get(name) is None:
            save(store, name, bundled(name), fetched_at=at)
            stored.append(name)
    if stored:
        log.warning("demo trust material installed", extra={"trust_names": stored})
    return stored


def save(store: Store, name: str, body: bytes, *, fetched_at: dt.datetime | None = None,
         etag: str | None = None) -> int:
    """Validate and store fresh trust material (the sync worker calls this). Returns the number of keys.

    Raises KioskError(trust_material_invalid) and keeps the old copy when `body` does not parse.
    """
    keys = _PARSERS[name](body)
    at = (fetched_at or dt.datetime.now(dt.UTC)).isoformat(timespec="microseconds")
    store.cache_put(name, body, etag=etag, fetched_at=at)
    return len(keys)


def _load_one(store: Store, name: str, override: Path | None, max_age: dt.timedelta, now: dt.datetime) -> TrustSet:
    row = store.cache_get(name)
    if row is None and override is not None:
        # First start with an operator-provided trust list file: its age counts from now (installation).
        save(store, name, override.read_bytes(), fetched_at=now)
        row = store.cache_get(name)
    if row is None:
        # Nothing fetched yet: trust nothing (never the bundled demo copy); codes say "no trust list".
        return TrustSet((), fetched_at=None, max_age=max_age, stored=False)
    try:
        keys: tuple[TrustKey, ...] = _PARSERS[name](bytes(row["body"]))
        fetched_at: dt.datetime | None = dt.datetime.fromisoformat(row["fetched_at"])
        if fetched_at is not None and fetched_at.tzinfo is None:
            fetched_at = fetched_at.replace(tzinfo=dt.UTC)
    except (KioskError, ValueError) as exc:
        # A damaged cached copy: trust nothing from it, and say "stale" until the next good fetch.
        log.error("stored trust material unreadable", extra={"trust_name": name, "error": type(exc).__name__})
        keys, fetched_at = (), None
    return TrustSet(keys, fetched_at=fetched_at, max_age=max_age)


def load_trust_material(store: Store, cfg: KioskConfig, now: dt.datetime | None = None) -> TrustMaterial:
    """Trust material from the store, with the configured maximum age for `trust_list_stale`."""
    now = now or dt.datetime.now(dt.UTC)
    max_age = dt.timedelta(hours=cfg.codes.trust_list_max_age_hours)
    return TrustMaterial(dsc=_load_one(store, TRUST_LIST, cfg.codes.trust_list_file, max_age, now),
                         hub=_load_one(store, HUB_KEYS, None, max_age, now))


def age(store: Store, name: str, now: dt.datetime | None = None) -> dt.timedelta | None:
    """How old the stored copy is (None = never stored); for the doctor and the status screen."""
    row = store.cache_get(name)
    if row is None:
        return None
    fetched = dt.datetime.fromisoformat(row["fetched_at"])
    if fetched.tzinfo is None:
        fetched = fetched.replace(tzinfo=dt.UTC)
    return (now or dt.datetime.now(dt.UTC)) - fetched
