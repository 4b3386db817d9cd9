"""The hub's data keys: AES-256-GCM sealing of personal data bound to its row, keyed lookup hashes, key file.

The key file (the kiosk's `Keyring` format, mode 0600) lives outside the database: beside a SQLite file
(`<db>.keys`), or where `--data-key-file` / `$KIOSK_HUB_DATA_KEY_FILE` says for PostgreSQL.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk.locale import phrase
from kiosk.messages import KioskError
from kiosk.store.keyring import Keyring

KEY_FILE_ENV = "KIOSK_HUB_DATA_KEY_FILE"
RELOAD_CHECK_S = 0.25  # how often a running hub looks whether the key file was replaced (rotate-data waits 2x)
_MAGIC = b"K1"  # the kiosk's envelope: K1 | kid(4) | nonce(12) | ciphertext+tag


class HubConfigError(KioskError):
    """The hub cannot start as configured (a plain zh/en reason for the operator)."""


def default_key_file(db_url: str, explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data key file for a database URL: the explicit path, the environment, or beside a SQLite file."""
    if explicit:
        return Path(explicit)
    if os.environ.get(KEY_FILE_ENV):
        return Path(os.environ[KEY_FILE_ENV])
    if db_url.startswith(("postgresql://", "postgres://")):
        raise HubConfigError("data_key_file_required",
                             phrase("sync.hub.crypto.data_key_file_required"))
    path = db_url.removeprefix("sqlite:///") if db_url.startswith("sqlite:///") else db_url
    return Path(path + ".keys")


def _create_exclusive(path: Path) -> Keyring:
    """Create a new key file unless another process just did (then use theirs): never two rings for one hub."""
    ring = Keyring.generate()
    ring.path = path.with_name(f".{path.name}.{os.getpid()}.new")
    ring.save()  # 0600, fsynced
    try:
        os.link(ring.path, path)  # atomic and fails if the file exists
    except FileExistsError:
        return Keyring.load(path)
    finally:
        ring.path.unlink(missing_ok=True)
    ring.path = path
    return ring


class Sealer:
    """Seals values as base64 text (`K1|kid|nonce|ct+tag`), bound by AAD to `table|column|row id`.

    The key file is re-read when it changes on disk, so a running hub follows `kiosk-hub keys rotate-data`.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self.ring = Keyring.load(self.path) if self.path.exists() else _create_exclusive(self.path)
        if os.stat(self.path).st_mode & 0o077:
            raise HubConfigError("data_key_file_insecure",
                                 phrase("sync.hub.crypto.data_key_file_insecure", path=self.path))
        self._stamp = self._file_stamp()
        self._checked_at = time.monotonic()
        self._ciphers: dict[str, AESGCM] = {}

    def _file_stamp(self) -> tuple[int, int, int]:
        st = os.stat(self.path)
        return st.st_mtime_ns, st.st_ino, st.st_size

    def refresh(self, force: bool = False) -> None:
        """Reload the key file if another process (rotate-data) replaced it; looked at every RELOAD_CHECK_S."""
        now = time.monotonic()
        if not force and now - self._checked_at < RELOAD_CHECK_S:
            return
        self._checked_at = now
        try:
            stamp = self._file_stamp()
        except OSError:
            return
        if stamp != self._stamp:
            with self._lock:
                self.ring = Keyring.load(self.path)
                self._stamp = stamp
                self._ciphers = {}

    def _cipher(self, kid: str) -> AESGCM:
        cipher = self._ciphers.get(kid)
        if cipher is None:
            cipher = self._ciphers[kid] = AESGCM(self.ring.keys[kid])
        return cipher

    @staticmethod
    def _aad(table: str, column: str, row_id: str) -> bytes:
        return f"hub|{table}|{column}|{row_id}".encode()

    def seal(self, table: str, column: str, row_id: str, plaintext: bytes) -> str:
        """The kiosk keyring's envelope, with the AES-GCM object of the active key kept between calls."""
        self.refresh()
        kid = self.ring.active
        nonce = os.urandom(12)
        blob = _MAGIC + bytes.fromhex(kid) + nonce + self._cipher(kid).encrypt(nonce, plaintext,
                                                                              self._aad(table, column, row_id))
        return base64.b64encode(blob).decode("ascii")

    def unseal(self, table: str, column: str, row_id: str, sealed: str) -> bytes:
        blob = base64.b64decode(sealed)
        aad = self._aad(table, column, row_id)
        if self.ring.key_id_of(blob) not in self.ring.keys:
            self.refresh(force=True)
        return self.ring.decrypt(blob, aad)

    def seal_json(self, table: str, column: str, row_id: str, value: Any) -> str:
        """`seal` over the value's JSON (UTF-8, not ASCII-escaped)."""
        return self.seal(table, column, row_id, json.dumps(value, ensure_ascii=False).encode("utf-8"))

    def unseal_json(self, table: str, column: str, row_id: str, sealed: str) -> Any:
        return json.loads(self.unseal(table, column, row_id, sealed))

    def key_id_of(self, sealed: str) -> str:
        return self.ring.key_id_of(base64.b64decode(sealed))

    def body_mac(self, data: bytes) -> str:
        """Keyed hash (HMAC-SHA256) of a sealed body's bytes: "same body again?" without an unkeyed fingerprint."""
        return hmac.new(self.ring.hmac_key, data, hashlib.sha256).hexdigest()

    def lookup_hash(self, value: str) -> str:
        """Keyed hash (HMAC-SHA256, exact value) for the equality lookups the hub needs, never the value itself."""
        return hmac.new(self.ring.hmac_key, value.encode("utf-8"), hashlib.sha256).hexdigest()

    def save(self) -> None:
        self.ring.path = self.path
        self.ring.save()
        self._stamp = self._file_stamp()
        self._ciphers = {}
