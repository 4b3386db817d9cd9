"""Loading the catalog: the bundled copy, or a newer one from the hub; a broken one is refused, the last good kept."""

from __future__ import annotations

import json
import logging
from importlib import resources

from pydantic import ValidationError

from kiosk.catalog.model import Catalog
from kiosk.locale import phrase
from kiosk.messages import KioskError
from kiosk.store.db import Store

log = logging.getLogger(__name__)
CACHE_NAME = "catalog"


def parse_catalog(data: bytes | str) -> Catalog:
    """Validate catalog JSON; raises KioskError(catalog_invalid) naming where and why."""
    try:
        raw = json.loads(data)
        return Catalog.model_validate(raw)
    except json.JSONDecodeError as exc:
        reason = f"not JSON (line {exc.lineno}: {exc.msg})"
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        reason = f"{where}: {first['msg']}" if where else first["msg"]
    raise KioskError("catalog_invalid", phrase("catalog.loader.catalog_invalid", reason=reason),
                     detail=reason)


def load_bundled_catalog() -> Catalog:
    return parse_catalog(resources.files("kiosk.catalog").joinpath("data/catalog.json").read_bytes())


class CatalogRepository:
    """The catalog in force: the last good copy accepted from the hub, else the bundled one."""

    def __init__(self, store: Store | None = None) -> None:
        self._store = store
        self._current: Catalog | None = None

    def current(self) -> Catalog:
        if self._current is None:
            self._current = self._load_cached() or load_bundled_catalog()
        return self._current

    def _load_cached(self) -> Catalog | None:
        if self._store is None:
            return None
        row = self._store.cache_get(CACHE_NAME)
        if row is None:
            return None
        try:
            return parse_catalog(row["body"])
        except KioskError as exc:
            log.warning("cached catalog unusable; using bundled copy", extra={"reason": exc.detail})
            return None

    def accept(self, body: bytes, etag: str | None = None) -> Catalog:
        """Validate a new catalog and make it current; on failure raise and keep the current one."""
        catalog = parse_catalog(body)
        if self._store is not None:
            self._store.cache_put(CACHE_NAME, body, etag)
        self._current = catalog
        return catalog
