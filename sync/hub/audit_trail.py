"""The hub's own audit trail (`hub_audit`): who did what and when, never personal data."""

from __future__ import annotations

import json
from typing import Any

from sync.hub.db import HubDB, utcnow_iso


class AuditTrail:
    def __init__(self, db: HubDB) -> None:
        self.db = db

    def write(self, actor: str, action: str, detail: dict[str, Any]) -> None:
        """A row in `hub_audit` (who, when, what); never personal data in `detail`."""
        with self.db.transaction():
            self.db.execute("INSERT INTO hub_audit(at, actor, action, detail) VALUES (?,?,?,?)",
                            (utcnow_iso(), actor, action, json.dumps(detail, ensure_ascii=False, sort_keys=True)))

    def recent(self, limit: int = 100) -> list[dict[str, Any]]:
        rows = self.db.query("SELECT at, actor, action, detail FROM hub_audit ORDER BY seq DESC LIMIT ?", (limit,))
        return [{"at": r[0], "actor": r[1], "action": r[2], "detail": json.loads(r[3])} for r in rows]
