"""Data keys for personal data at rest: AES-256-GCM for values, HMAC-SHA256 for lookup columns.

The key file (JSON, mode 0600) is created on first run beside the database. Rotation adds a new AES key
and makes it active; old keys stay until every value has been re-encrypted (see `kiosk keys rotate`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.locale import phrase
from kiosk.messages import KioskError

_MAGIC = b"K1"
_KID_LEN = 4
_NONCE_LEN = 12


def _new_key() -> bytes:
    """A fresh 256-bit AES-GCM key. cryptography is imported on first use, not at import: a kiosk opens its store
    before the first paint and needs the cipher only when a visitor's data is written or read."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM.generate_key(bit_length=256)


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


@dataclass
class Keyring:
    """AES-GCM data keys by key id, the active key id, and the HMAC key for lookup hashes."""

    keys: dict[str, bytes]
    active: str
    hmac_key: bytes
    path: Path | None = field(default=None, compare=False)

    @classmethod
    def generate(cls) -> Keyring:
        kid = secrets.token_hex(_KID_LEN)
        return cls(keys={kid: _new_key()}, active=kid, hmac_key=secrets.token_bytes(32))

    @classmethod
    def load_or_create(cls, path: Path) -> Keyring:
        if path.exists():
            return cls.load(path)
        ring = cls.generate()
        ring.path = path
        ring.save()
        return ring

    @classmethod
    def load(cls, path: Path) -> Keyring:
        try:
            raw = json.loads(path.read_text(encoding="ascii"))
            keys = {kid: base64.b64decode(k) for kid, k in raw["keys"].items()}
            ring = cls(keys=keys, active=raw["active"], hmac_key=base64.b64decode(raw["hmac_key"]), path=path)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise KioskError("key_file_invalid", phrase("store.keyring.key_file_unreadable", path=path),
                             detail=type(exc).__name__) from None
        if ring.active not in ring.keys:
            raise KioskError("key_file_invalid", phrase("store.keyring.key_file_incomplete", path=path))
        return ring

    def save(self) -> None:
        """Write atomically with mode 0600 (created 0600, never widened)."""
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        data = json.dumps({"active": self.active, "keys": {k: _b64(v) for k, v in self.keys.items()},
                           "hmac_key": _b64(self.hmac_key)})
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)

    # --- values -------------------------------------------------------------------------------
    def encrypt(self, plaintext: bytes, aad: bytes) -> bytes:
        """`K1 | kid(4) | nonce(12) | ciphertext+tag`; `aad` binds the value to its table, column and row."""
        nonce = os.urandom(_NONCE_LEN)
        kid = bytes.fromhex(self.active)
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        return _MAGIC + kid + nonce + AESGCM(self.keys[self.active]).encrypt(nonce, plaintext, aad)

    def decrypt(self, blob: bytes, aad: bytes) -> bytes:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if len(blob) < 2 + _KID_LEN + _NONCE_LEN + 16 or blob[:2] != _MAGIC:
            raise KioskError("data_damaged", phrase("store.keyring.data_damaged"), detail="bad envelope")
        kid = blob[2:2 + _KID_LEN].hex()
        key = self.keys.get(kid)
        if key is None:
            raise KioskError("data_key_missing", phrase("store.keyring.data_key_missing"),
                             detail=f"kid {kid}")
        nonce = blob[2 + _KID_LEN:2 + _KID_LEN + _NONCE_LEN]
        try:
            return AESGCM(key).decrypt(nonce, blob[2 + _KID_LEN + _NONCE_LEN:], aad)
        except InvalidTag:
            raise KioskError("data_damaged", phrase("store.keyring.data_damaged"), detail="tag") from None

    def key_id_of(self, blob: bytes) -> str:
        return blob[2:2 + _KID_LEN].hex()

    def lookup_hash(self, value: str) -> str:
        """Keyed hash for equality lookups (e.g. by ID number) without storing the value."""
        return hmac.new(self.hmac_key, value.strip().upper().encode("utf-8"), hashlib.sha256).hexdigest()

    def rotate(self) -> str:
        """Add a new active AES key; returns its id. Call `Store.reencrypt_all` then `drop_inactive`."""
        kid = secrets.token_hex(_KID_LEN)
        while kid in self.keys:
            kid = secrets.token_hex(_KID_LEN)
        self.keys[kid] = _new_key()
        self.active = kid
        return kid

    def drop_inactive(self) -> None:
        self.keys = {self.active: self.keys[self.active]}
