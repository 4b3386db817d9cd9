"""Kiosk bearer tokens: issued once, stored only as a hash, revocable; a token names its kiosk."""

from __future__ import annotations

import hashlib
import secrets

from sync.hub.db import HubDB, utcnow_iso

TOKEN_PREFIX = "khub_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class KioskTokens:
    """The `kiosks` table: one row per kiosk name with the hash of its current token."""

    def __init__(self, db: HubDB) -> None:
        self.db = db

    def add(self, name: str) -> str:
        """Register (or re-issue) a kiosk and return its new bearer token; only the hash is stored."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO kiosks(name, token_hash, created_at, revoked_at) VALUES (?,?,?,NULL) "
                "ON CONFLICT(name) DO UPDATE SET token_hash=excluded.token_hash, created_at=excluded.created_at, "
                "revoked_at=NULL", (name, token_hash(token), utcnow_iso()))
        return token

    def revoke(self, name: str) -> bool:
        with self.db.transaction():
            row = self.db.one("SELECT name FROM kiosks WHERE name=?", (name,))
            if row is None:
                return False
            self.db.execute("UPDATE kiosks SET revoked_at=? WHERE name=?", (utcnow_iso(), name))
        return True

    def named_by(self, token: str) -> str | None:
        """The kiosk a token belongs to; None for an unknown or revoked token."""
        row = self.db.one("SELECT name FROM kiosks WHERE token_hash=? AND revoked_at IS NULL", (token_hash(token),))
        return str(row[0]) if row else None
