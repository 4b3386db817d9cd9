"""The hub's signing keys for kiosk-signed codes (`KC1:`): made, rotated, published until their codes expire."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from sync.hub.crypto import Sealer
from sync.hub.db import HubDB, utcnow_iso


class SigningKeys:
    """The `signing_keys` table: EC P-256 keys, the private half sealed at rest."""

    def __init__(self, db: HubDB, keys: Sealer, code_validity_days: int = 30) -> None:
        self.db, self.keys, self.code_validity_days = db, keys, code_validity_days

    def create(self) -> str:
        from cryptography.hazmat.primitives import serialization

        private = ec.generate_private_key(ec.SECP256R1())
        public_der = private.public_key().public_bytes(serialization.Encoding.DER,
                                                       serialization.PublicFormat.SubjectPublicKeyInfo)
        kid = hashlib.sha256(public_der).hexdigest()[:16]  # first 8 bytes, as DCC key ids are formed
        private_pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()).decode("ascii")
        public_pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                       serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")
        sealed = self.keys.seal("signing_keys", "private_enc", kid, private_pem.encode("ascii"))
        with self.db.transaction():
            self.db.execute("INSERT INTO signing_keys(kid, alg, private_enc, public_pem, created_at) "
                            "VALUES (?,?,?,?,?)", (kid, "ES256", sealed, public_pem, utcnow_iso()))
        return kid

    def rotate(self) -> str:
        """New active key; the old ones stay published until every code they signed has expired (the latest
        expiry the hub signed with them, and at least `code_validity_days` for codes it cannot know about)."""
        now = dt.datetime.now(dt.UTC)
        floor = (now + dt.timedelta(days=self.code_validity_days)).isoformat(timespec="seconds")
        with self.db.transaction():
            for kid, last_exp in self.db.query("SELECT kid, last_code_exp FROM signing_keys WHERE retired_at IS NULL"):
                until = max(floor, last_exp) if last_exp else floor
                self.db.execute("UPDATE signing_keys SET retired_at=?, publish_until=? WHERE kid=?",
                                (now.isoformat(timespec="milliseconds"), until, kid))
        return self.create()

    def active(self) -> tuple[str, str] | None:
        """(kid, private PEM) of the key new codes are signed with."""
        row = self.db.one("SELECT kid, private_enc FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC")
        if row is None:
            return None
        return str(row[0]), self.keys.unseal("signing_keys", "private_enc", str(row[0]), row[1]).decode("ascii")

    def public(self) -> list[dict[str, Any]]:
        """The hub-keys JSON kiosks pull (the codes package's format): active key(s), and retired keys until
        the codes they signed have expired (`not_after`)."""
        from kiosk.codes.trust import hub_key_entry

        now = utcnow_iso()
        rows = self.db.query("SELECT kid, alg, public_pem, publish_until FROM signing_keys "
                             "WHERE retired_at IS NULL OR publish_until > ? ORDER BY created_at", (now,))
        return [hub_key_entry(_ec_public(r[2]), kid=bytes.fromhex(r[0]), alg=r[1],
                              not_after=dt.datetime.fromisoformat(r[3]) if r[3] else None) for r in rows]

    def sign(self, claims: dict[str, Any]) -> str:
        """A kiosk-signed code (`KC1:`) over `claims`, with the active key (created on first use)."""
        from kiosk.codes.kiosk_codes import sign_kiosk_code

        active = self.active()
        if active is None:
            self.create()
            active = self.active()
        assert active is not None
        kid, pem = active
        code = sign_kiosk_code(claims, _ec_private(pem), bytes.fromhex(kid))
        exp = claims["exp"]
        exp_dt = exp if isinstance(exp, dt.datetime) else dt.datetime.fromtimestamp(float(exp), dt.UTC)
        exp_iso = exp_dt.astimezone(dt.UTC).isoformat(timespec="seconds")
        with self.db.transaction():  # remembered so the key stays published until this code has expired
            self.db.execute("UPDATE signing_keys SET last_code_exp=? WHERE kid=? AND "
                            "(last_code_exp IS NULL OR last_code_exp < ?)", (exp_iso, kid, exp_iso))
        return code


def _ec_public(pem: str) -> ec.EllipticCurvePublicKey:
    """A hub signing key's public half: always EC P-256 (`create`); anything else in the table is refused."""
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    key = load_pem_public_key(pem.encode("ascii"))
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise ValueError(f"hub signing key is {type(key).__name__}, not EC")
    return key


def _ec_private(pem: str) -> ec.EllipticCurvePrivateKey:
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    key = load_pem_private_key(pem.encode("ascii"), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"hub signing key is {type(key).__name__}, not EC")
    return key
