"""Registered proxy authorizations on the hub (sealed), handed to kiosks as deltas after a cursor."""

from __future__ import annotations

from typing import Any

from sync.hub.crypto import Sealer
from sync.hub.db import HubDB, utcnow_iso


class Authorizations:
    def __init__(self, db: HubDB, keys: Sealer) -> None:
        self.db, self.keys = db, keys

    def put(self, auth: dict[str, Any]) -> int:
        aid = str(auth["id"])
        body = self.keys.seal_json("authorizations", "body_enc", aid, auth)  # ID numbers and names: sealed
        with self.db.transaction():
            # Delete + insert gives the changed row a new, higher cursor, so deltas pick it up.
            self.db.execute("DELETE FROM authorizations WHERE id=?", (aid,))
            row = self.db.one("INSERT INTO authorizations(id, body_enc, updated_at) VALUES (?,?,?) RETURNING seq",
                              (aid, body, utcnow_iso()))
        assert row is not None
        return int(row[0])

    def since(self, cursor: int, limit: int = 500) -> tuple[list[dict[str, Any]], int]:
        """The authorizations changed after `cursor`, and the cursor to ask with next."""
        rows = self.db.query("SELECT seq, id, body_enc FROM authorizations WHERE seq > ? ORDER BY seq LIMIT ?",
                             (cursor, limit))
        items = [self.keys.unseal_json("authorizations", "body_enc", r[1], r[2]) for r in rows]
        return items, (int(rows[-1][0]) if rows else cursor)
