"""Rotating the hub's data key: every sealed value re-encrypted under the new key, then the old key dropped."""

from __future__ import annotations

from sync.hub.crypto import Sealer
from sync.hub.db import HubDB

SEALED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("records", "idem_key", "body_enc"), ("authorizations", "id", "body_enc"),
    ("code_registry", "code_hash", "info_enc"), ("signing_keys", "kid", "private_enc"))


class DataKeys:
    def __init__(self, db: HubDB, keys: Sealer) -> None:
        self.db, self.keys = db, keys
        self.columns: tuple[tuple[str, str, str], ...] = SEALED_COLUMNS

    def add_column(self, table: str, pk: str, column: str) -> None:
        """Re-seal this (table, primary key, sealed column) too: for extensions' own sealed tables."""
        if (table, pk, column) not in self.columns:
            self.columns = (*self.columns, (table, pk, column))

    def reseal_all(self, batch: int = 500) -> int:
        """Re-encrypt every sealed value not under the active key, in batches; returns values rewritten."""
        count = 0
        for table, pk, col in self.columns:
            last: str = ""
            while True:
                rows = self.db.query(f"SELECT {pk}, {col} FROM {table} WHERE {pk} > ? ORDER BY {pk} LIMIT ?",
                                     (last, batch))
                if not rows:
                    break
                with self.db.transaction():
                    for row_id, sealed in rows:
                        if self.keys.key_id_of(sealed) == self.keys.ring.active:
                            continue
                        value = self.keys.unseal(table, col, str(row_id), sealed)
                        self.db.execute(f"UPDATE {table} SET {col}=? WHERE {pk}=? AND {col}=?",
                                        (self.keys.seal(table, col, str(row_id), value), row_id, sealed))
                        count += 1
                last = str(rows[-1][0])
        return count

    def rotate(self) -> int:
        """`kiosk-hub keys rotate-data`: a new active data key, every value re-encrypted, the old key dropped.

        Hub processes serving meanwhile re-read the key file when it changes, so they seal with the new key;
        passes repeat until none finds an old-key value (a row committed during a pass), then the old key goes.
        """
        import time

        from sync.hub.crypto import RELOAD_CHECK_S

        self.keys.ring.rotate()
        self.keys.save()
        time.sleep(2 * RELOAD_CHECK_S)  # every serving hub has looked at the key file since
        total = 0
        for _ in range(10):
            n = self.reseal_all()
            total += n
            if n == 0:
                break
        self.keys.ring.drop_inactive()
        self.keys.save()
        self.db.scrub()
        return total
