"""The local registry behind online code verification: codes by keyed hash, their issuer, status and holder."""

from __future__ import annotations

import hashlib
from typing import Any

from sync.hub.crypto import Sealer
from sync.hub.db import HubDB


def code_digest(code: str) -> str:
    # Codes are stored hashed: an online code is a bearer credential of a citizen.
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


class CodeRegistry:
    def __init__(self, db: HubDB, keys: Sealer) -> None:
        self.db, self.keys = db, keys

    def register(self, code: str, issuer: str, status: str = "valid", expires_at: str | None = None,
                 info: dict[str, Any] | None = None, holder: dict[str, str] | None = None) -> None:
        """`holder`: whose code it is, as its issuer says ({name, date_of_birth, id_number | id_digest + salt});
        sealed with `info` and answered to kiosks as `sync/hub/code_holder.py` says."""
        digest = self.keys.lookup_hash(code.strip())
        data = {**(info or {}), **({"holder": holder} if holder is not None else {})}
        sealed = self.keys.seal_json("code_registry", "info_enc", digest, data)
        with self.db.transaction():
            self.db.execute("DELETE FROM code_registry WHERE code_hash=?", (code_digest(code),))  # legacy copy
            self.db.execute("INSERT INTO code_registry(code_hash, issuer, status, expires_at, info_enc) "
                            "VALUES (?,?,?,?,?) ON CONFLICT(code_hash) DO UPDATE SET issuer=excluded.issuer, "
                            "status=excluded.status, expires_at=excluded.expires_at, info_enc=excluded.info_enc",
                            (digest, issuer, status, expires_at, sealed))

    def lookup(self, code: str) -> dict[str, Any] | None:
        # Keyed hash; rows registered before sealing carry the plain SHA-256 and are still found.
        digests = (self.keys.lookup_hash(code.strip()), code_digest(code))
        row = self.db.one("SELECT code_hash, issuer, status, expires_at, info_enc FROM code_registry "
                          "WHERE code_hash IN (?,?) ORDER BY code_hash=? DESC", (*digests, digests[0]))
        if row is None:
            return None
        return {"issuer": row[1], "status": row[2], "expires_at": row[3],
                "info": self.keys.unseal_json("code_registry", "info_enc", row[0], row[4])}
