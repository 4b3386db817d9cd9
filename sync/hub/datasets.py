"""Data sets the hub publishes to kiosks (catalog, trust list, hub keys, roster, settings), each with its ETag."""

from __future__ import annotations

import hashlib
import json
from importlib import resources

from sync.hub.db import HubDB, utcnow_iso
from sync.hub.signing import SigningKeys

DATASETS = ("catalog", "trust-list", "hub-keys", "roster", "settings")


def etag_of(body: str | bytes) -> str:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


class Datasets:
    """The `datasets` table; `hub-keys` is built from the signing keys on demand."""

    def __init__(self, db: HubDB, signing: SigningKeys) -> None:
        self.db, self.signing = db, signing

    def publish(self, name: str, body: str) -> str:
        if name not in DATASETS:
            raise ValueError(f"unknown data set {name!r}")
        etag = etag_of(body)
        with self.db.transaction():
            self.db.execute("INSERT INTO datasets(name, body, etag, updated_at) VALUES (?,?,?,?) ON CONFLICT(name) "
                            "DO UPDATE SET body=excluded.body, etag=excluded.etag, updated_at=excluded.updated_at",
                            (name, body, etag, utcnow_iso()))
        return etag

    def get(self, name: str) -> tuple[str, str] | None:
        """(body, etag) of a published data set; hub keys are built from the key table on demand."""
        if name == "hub-keys":
            keys = self.signing.public()
            if not keys:  # no key made yet: say "not published" so kiosks keep their bundled keys
                return None
            body = json.dumps(keys, ensure_ascii=False, sort_keys=True)
            return body, etag_of(body)
        row = self.db.one("SELECT body, etag FROM datasets WHERE name=?", (name,))
        if row is not None:
            return str(row[0]), str(row[1])
        default = _default_dataset(name)
        return (default, etag_of(default)) if default is not None else None


def _default_dataset(name: str) -> str | None:
    if name == "catalog":
        return resources.files("kiosk.catalog").joinpath("data/catalog.json").read_text(encoding="utf-8")
    if name == "roster":
        return json.dumps({"version": 1, "members": []})
    if name == "settings":
        return json.dumps({"version": 1, "settings": {}})
    return None
