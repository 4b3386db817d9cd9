"""Hub business rules, independent of HTTP: kiosk tokens, idempotent ingest with receipts, data sets, keys.

Ingest is idempotent per key: the same key and body gives the same receipt again (replayed); the same key
with another body is a conflict; a key another request is storing right now is "in progress" (retry soon).
Personal data is sealed at rest (`sync.hub.crypto.Sealer`): record bodies, authorizations, registry info and
the signing private keys; codes are looked up by keyed hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.clock import CHINA_TZ
from kiosk.records import RecordError, validate_body
from sync.hub.crypto import Sealer, default_key_file
from sync.hub.db import HubDB, utcnow_iso
from sync.wire import canonical_json

KINDS = frozenset({"transaction", "ticket", "help_request", "difficult_case", "authorization_use", "audit_digest"})
DATASETS = ("catalog", "trust-list", "hub-keys", "roster", "settings")
TOKEN_PREFIX = "khub_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def etag_of(body: str | bytes) -> str:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


@dataclass(frozen=True)
class ItemResult:
    key: str
    status: str  # created | replayed | conflict | in_progress | invalid
    http_status: int
    receipt: dict[str, Any] | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "status": self.status, "http_status": self.http_status, "receipt": self.receipt,
                "error": self.error}


IngestListener = Callable[[HubDB, str, str, str, dict[str, Any]], None]


@dataclass
class Hub:
    """The hub's state and rules over one `HubDB`."""

    db: HubDB
    sealer: Sealer | None = None  # None: the key file beside a SQLite database (created on first use)
    code_validity_days: int = 30
    _in_flight: set[str] = field(default_factory=set)
    _flight_lock: threading.Lock = field(default_factory=threading.Lock)
    _ingest_listeners: list[IngestListener] = field(default_factory=list)
    _heartbeat_listeners: list[Callable[[str, dict[str, Any], float], None]] = field(default_factory=list)

    def add_heartbeat_listener(self, fn: Callable[[str, dict[str, Any], float], None]) -> None:
        """Call `fn(kiosk_id, body, received epoch seconds)` after each heartbeat is stored."""
        self._heartbeat_listeners.append(fn)

    def add_ingest_listener(self, fn: IngestListener) -> None:
        """Call `fn(db, kiosk_id, kind, key, body)` once for every record this hub NEWLY stores.

        - Called inside the same database transaction as the record's INSERT, on the thread doing the ingest;
          write through the `db` argument (`db.execute`/`db.one`) and your rows commit or roll back with the
          record. An exception from `fn` rolls back the whole batch and the kiosk retries it later.
        - `body` is the plaintext record body as the kiosk sent it (a dict), before the hub seals it at rest;
          do not store personal data from it in plain text.
        - Not called for an idempotent replay (same key and body again), a conflict, an invalid item, or a key
          in progress elsewhere. With two hub processes on one PostgreSQL, only the one that stored it calls.
        """
        self._ingest_listeners.append(fn)

    def __post_init__(self) -> None:
        if self.sealer is None:
            self.sealer = Sealer(default_key_file(self.db.url))

    @property
    def keys(self) -> Sealer:
        assert self.sealer is not None
        return self.sealer

    def _seal_json(self, table: str, column: str, row_id: str, value: Any) -> str:
        return self.keys.seal(table, column, row_id, json.dumps(value, ensure_ascii=False).encode("utf-8"))

    def _unseal_json(self, table: str, column: str, row_id: str, sealed: str) -> Any:
        return json.loads(self.keys.unseal(table, column, row_id, sealed))

    # --- kiosks and tokens --------------------------------------------------------------------------
    def add_kiosk(self, name: str) -> str:
        """Register (or re-issue) a kiosk and return its new bearer token; only the hash is stored."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO kiosks(name, token_hash, created_at, revoked_at) VALUES (?,?,?,NULL) "
                "ON CONFLICT(name) DO UPDATE SET token_hash=excluded.token_hash, created_at=excluded.created_at, "
                "revoked_at=NULL", (name, token_hash(token), utcnow_iso()))
        return token

    def revoke_kiosk(self, name: str) -> bool:
        with self.db.transaction():
            row = self.db.one("SELECT name FROM kiosks WHERE name=?", (name,))
            if row is None:
                return False
            self.db.execute("UPDATE kiosks SET revoked_at=? WHERE name=?", (utcnow_iso(), name))
        return True

    def kiosk_for_token(self, token: str) -> str | None:
        row = self.db.one("SELECT name FROM kiosks WHERE token_hash=? AND revoked_at IS NULL", (token_hash(token),))
        return str(row[0]) if row else None

    # --- ingest ---------------------------------------------------------------------------------------
    def _claim_keys(self, keys: Iterable[str]) -> tuple[set[str], set[str]]:
        """Mark keys as being stored by this request; returns (claimed, busy elsewhere)."""
        claimed: set[str] = set()
        busy: set[str] = set()
        with self._flight_lock:
            for k in keys:
                if k in self._in_flight or k in claimed:
                    busy.add(k)
                else:
                    claimed.add(k)
            self._in_flight |= claimed
        return claimed, busy

    def _release_keys(self, keys: set[str]) -> None:
        with self._flight_lock:
            self._in_flight -= keys

    def ingest(self, kiosk_id: str, items: list[dict[str, Any]]) -> list[ItemResult]:
        """Store each item once. Items: {key, kind, record_id, body, sha256?}. One transaction per call."""
        claimed, _busy = self._claim_keys(str(i.get("key", "")) for i in items)
        taken = set(claimed)
        try:
            results: list[ItemResult] = []
            with self.db.transaction():
                known = self._existing(sorted(claimed))  # one query for the batch, not one per record
                for item in items:
                    key = str(item.get("key", ""))
                    if key not in claimed:
                        results.append(ItemResult(key, "in_progress", 409, error="same key is being stored"))
                        continue
                    claimed.discard(key)  # a key repeated inside the batch waits for the next try
                    results.append(self._ingest_one(kiosk_id, item, known.get(key)))
            return results
        finally:
            self._release_keys(taken)

    _ROW = "SELECT idem_key, kiosk_id, body_hmac, receipt_no, received_at FROM records WHERE idem_key"

    def _existing(self, keys: list[str]) -> dict[str, tuple[Any, ...]]:
        if not keys:
            return {}
        rows = self.db.query(f"{self._ROW} IN ({','.join('?' * len(keys))})", keys)
        return {str(r[0]): tuple(r[1:]) for r in rows}

    def _ingest_one(self, kiosk_id: str, item: dict[str, Any], row: tuple[Any, ...] | None) -> ItemResult:
        key = str(item.get("key", ""))
        kind = item.get("kind")
        body = item.get("body")
        if not (8 <= len(key) <= 64) or kind not in KINDS or not isinstance(body, dict) \
                or not isinstance(item.get("record_id"), str):
            return ItemResult(key, "invalid", 400, error="malformed record (key, kind, record_id, body)")
        try:
            validate_body(str(kind), body)
        except RecordError as exc:  # nothing stored: the kiosk keeps it as rejected, the field named
            return ItemResult(key, "invalid", 422, error=f"{exc.field}: {exc.problem}")
        canon = canonical_json(body)
        digest = hashlib.sha256(canon).hexdigest()
        if item.get("sha256") not in (None, digest):
            return ItemResult(key, "invalid", 400, error="body digest mismatch")
        mac = self.keys.body_mac(canon)  # stored and compared: a keyed hash, never the body's plain digest
        if row is None:
            now = utcnow_iso()
            inserted = self.db.one(
                "INSERT INTO records(idem_key, kiosk_id, kind, record_id, body_hmac, body_enc, received_at) "
                "VALUES (?,?,?,?,?,?,?) ON CONFLICT(idem_key) DO NOTHING RETURNING seq",
                (key, kiosk_id, kind, item["record_id"], mac, self.keys.seal("records", "body_enc", key, canon), now))
            if inserted is not None:
                receipt_no = acceptance_number(int(inserted[0]), now)
                self.db.execute("UPDATE records SET receipt_no=? WHERE seq=?", (receipt_no, int(inserted[0])))
                for listener in self._ingest_listeners:
                    listener(self.db, kiosk_id, str(kind), key, body)
                return ItemResult(key, "created", 201, receipt={"key": key, "receipt_no": receipt_no,
                                                                "received_at": now})
            # Another hub process committed the same key meanwhile (PostgreSQL waits for it): read it back.
            again = self.db.one(f"{self._ROW}=?", (key,))
            assert again is not None
            row = tuple(again[1:])
        owner, stored_mac, receipt_no, received_at = row
        if owner != kiosk_id or stored_mac != mac:
            return ItemResult(key, "conflict", 422, error="key already used with a different body")
        return ItemResult(key, "replayed", 200, receipt={"key": key, "receipt_no": receipt_no,
                                                         "received_at": received_at})

    def record(self, kiosk_id: str, key: str) -> dict[str, Any] | None:
        row = self.db.one("SELECT idem_key, kind, record_id, receipt_no, received_at, body_enc FROM records "
                          "WHERE idem_key=? AND kiosk_id=?", (key, kiosk_id))
        if row is None:
            return None
        body = self.keys.unseal("records", "body_enc", key, row[5])
        return {"key": row[0], "kind": row[1], "record_id": row[2], "receipt_no": row[3], "received_at": row[4],
                "sha256": hashlib.sha256(body).hexdigest()}  # what the kiosk computes over the body it sent

    def list_records(self, kiosk_id: str, kind: str, limit: int = 100) -> list[dict[str, Any]]:
        rows = self.db.query("SELECT idem_key, record_id, receipt_no, received_at, body_enc FROM records "
                             "WHERE kiosk_id=? AND kind=? ORDER BY seq DESC LIMIT ?", (kiosk_id, kind, limit))
        return [{"key": r[0], "record_id": r[1], "receipt_no": r[2], "received_at": r[3],
                 "body": self._unseal_json("records", "body_enc", r[0], r[4])} for r in rows]

    def record_body(self, key: str) -> dict[str, Any] | None:
        """The plaintext body of a stored record (any kiosk's), for the hub's own pages; None if unknown."""
        row = self.db.one("SELECT body_enc FROM records WHERE idem_key=?", (key,))
        return self._unseal_json("records", "body_enc", key, row[0]) if row else None

    def count_records(self) -> int:
        row = self.db.one("SELECT COUNT(*) FROM records")
        return int(row[0]) if row else 0

    def export(self, since: str | None = None) -> Iterable[dict[str, Any]]:
        rows = self.db.query("SELECT idem_key, kiosk_id, kind, record_id, receipt_no, received_at, body_enc "
                             "FROM records WHERE received_at >= ? ORDER BY seq", (since or "",))
        for r in rows:
            body = self.keys.unseal("records", "body_enc", r[0], r[6])
            yield {"key": r[0], "kiosk_id": r[1], "kind": r[2], "record_id": r[3], "receipt_no": r[4],
                   "received_at": r[5], "sha256": hashlib.sha256(body).hexdigest(), "body": json.loads(body)}

    # --- hub-side audit ---------------------------------------------------------------------------------
    def audit(self, actor: str, action: str, detail: dict[str, Any]) -> None:
        """A row in `hub_audit` (who, when, what); never personal data in `detail`."""
        with self.db.transaction():
            self.db.execute("INSERT INTO hub_audit(at, actor, action, detail) VALUES (?,?,?,?)",
                            (utcnow_iso(), actor, action, json.dumps(detail, ensure_ascii=False, sort_keys=True)))

    def audit_log(self, limit: int = 100) -> list[dict[str, Any]]:
        rows = self.db.query("SELECT at, actor, action, detail FROM hub_audit ORDER BY seq DESC LIMIT ?", (limit,))
        return [{"at": r[0], "actor": r[1], "action": r[2], "detail": json.loads(r[3])} for r in rows]

    # --- heartbeats -----------------------------------------------------------------------------------
    def heartbeat(self, kiosk_id: str, body: dict[str, Any]) -> str:
        """Keep the kiosk's last heartbeat (the whole body) with the time it was received; returns that time."""
        now = utcnow_iso()
        with self.db.transaction():
            self.db.execute("INSERT INTO heartbeats(kiosk_id, received_at, body) VALUES (?,?,?) "
                            "ON CONFLICT(kiosk_id) DO UPDATE SET received_at=excluded.received_at, body=excluded.body",
                            (kiosk_id, now, json.dumps(body, ensure_ascii=False)))
        received = dt.datetime.fromisoformat(now).timestamp()
        for fn in self._heartbeat_listeners:
            fn(kiosk_id, body, received)
        return now

    def fleet(self) -> list[dict[str, Any]]:
        """Every registered (not revoked) kiosk with its last heartbeat, by name.

        Each item: `{"kiosk_id": name, "last_seen": ISO-8601 UTC received time or None, "body": the last
        heartbeat body as sent (dict) or None}`. The body from `sync.worker.SyncWorker.heartbeat` carries
        `version`, `uptime_s`, `outbox {pending, oldest_age_s}`, `devices {NAME: {state, message}}`, `doctor`.
        """
        rows = self.db.query("SELECT k.name, h.received_at, h.body FROM kiosks k LEFT JOIN heartbeats h "
                             "ON h.kiosk_id = k.name WHERE k.revoked_at IS NULL ORDER BY k.name")
        return [{"kiosk_id": r[0], "last_seen": r[1], "body": json.loads(r[2]) if r[2] is not None else None}
                for r in rows]

    # --- data sets --------------------------------------------------------------------------------------
    def publish(self, name: str, body: str) -> str:
        if name not in DATASETS:
            raise ValueError(f"unknown data set {name!r}")
        etag = etag_of(body)
        with self.db.transaction():
            self.db.execute("INSERT INTO datasets(name, body, etag, updated_at) VALUES (?,?,?,?) ON CONFLICT(name) "
                            "DO UPDATE SET body=excluded.body, etag=excluded.etag, updated_at=excluded.updated_at",
                            (name, body, etag, utcnow_iso()))
        return etag

    def dataset(self, name: str) -> tuple[str, str] | None:
        """(body, etag) of a published data set; hub keys are built from the key table on demand."""
        if name == "hub-keys":
            keys = self.public_keys()
            if not keys:  # no key made yet: say "not published" so kiosks keep their bundled keys
                return None
            body = json.dumps(keys, ensure_ascii=False, sort_keys=True)
            return body, etag_of(body)
        row = self.db.one("SELECT body, etag FROM datasets WHERE name=?", (name,))
        if row is not None:
            return str(row[0]), str(row[1])
        default = _default_dataset(name)
        return (default, etag_of(default)) if default is not None else None

    # --- authorizations (delta since a cursor) -------------------------------------------------------------
    def put_authorization(self, auth: dict[str, Any]) -> int:
        aid = str(auth["id"])
        body = self._seal_json("authorizations", "body_enc", aid, auth)  # ID numbers and names: sealed
        with self.db.transaction():
            # Delete + insert gives the changed row a new, higher cursor, so deltas pick it up.
            self.db.execute("DELETE FROM authorizations WHERE id=?", (aid,))
            row = self.db.one("INSERT INTO authorizations(id, body_enc, updated_at) VALUES (?,?,?) RETURNING seq",
                              (aid, body, utcnow_iso()))
        assert row is not None
        return int(row[0])

    def authorizations_since(self, cursor: int, limit: int = 500) -> tuple[list[dict[str, Any]], int]:
        rows = self.db.query("SELECT seq, id, body_enc FROM authorizations WHERE seq > ? ORDER BY seq LIMIT ?",
                             (cursor, limit))
        items = [self._unseal_json("authorizations", "body_enc", r[1], r[2]) for r in rows]
        return items, (int(rows[-1][0]) if rows else cursor)

    # --- signing keys of kiosk-signed codes -----------------------------------------------------------------
    def create_key(self) -> str:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

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

    def rotate_key(self) -> str:
        """New active key; the old ones stay published until every code they signed has expired (the latest
        expiry the hub signed with them, and at least `code_validity_days` for codes it cannot know about)."""
        now = dt.datetime.now(dt.UTC)
        floor = (now + dt.timedelta(days=self.code_validity_days)).isoformat(timespec="seconds")
        with self.db.transaction():
            for kid, last_exp in self.db.query("SELECT kid, last_code_exp FROM signing_keys WHERE retired_at IS NULL"):
                until = max(floor, last_exp) if last_exp else floor
                self.db.execute("UPDATE signing_keys SET retired_at=?, publish_until=? WHERE kid=?",
                                (now.isoformat(timespec="milliseconds"), until, kid))
        return self.create_key()

    def active_key(self) -> tuple[str, str] | None:
        """(kid, private PEM) of the key new codes are signed with."""
        row = self.db.one("SELECT kid, private_enc FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC")
        if row is None:
            return None
        return str(row[0]), self.keys.unseal("signing_keys", "private_enc", str(row[0]), row[1]).decode("ascii")

    def public_keys(self) -> list[dict[str, Any]]:
        """The hub-keys JSON kiosks pull (the codes package's format): active key(s), and retired keys until
        the codes they signed have expired (`not_after`)."""
        from kiosk.codes.trust import hub_key_entry

        now = utcnow_iso()
        rows = self.db.query("SELECT kid, alg, public_pem, publish_until FROM signing_keys "
                             "WHERE retired_at IS NULL OR publish_until > ? ORDER BY created_at", (now,))
        return [hub_key_entry(_ec_public(r[2]), kid=bytes.fromhex(r[0]), alg=r[1],
                              not_after=dt.datetime.fromisoformat(r[3]) if r[3] else None) for r in rows]

    def sign_code(self, claims: dict[str, Any]) -> str:
        """A kiosk-signed code (`KC1:`) over `claims`, with the active key (created on first use)."""
        from kiosk.codes.kiosk_codes import sign_kiosk_code

        active = self.active_key()
        if active is None:
            self.create_key()
            active = self.active_key()
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

    # --- the local registry behind online code verification -------------------------------------------------
    def register_code(self, code: str, issuer: str, status: str = "valid", expires_at: str | None = None,
                      info: dict[str, Any] | None = None, holder: dict[str, str] | None = None) -> None:
        """`holder`: whose code it is, as its issuer says ({name, date_of_birth, id_number | id_digest + salt});
        sealed with `info` and answered to kiosks as `sync/hub/code_holder.py` says."""
        digest = self.keys.lookup_hash(code.strip())
        data = {**(info or {}), **({"holder": holder} if holder is not None else {})}
        sealed = self._seal_json("code_registry", "info_enc", digest, data)
        with self.db.transaction():
            self.db.execute("DELETE FROM code_registry WHERE code_hash=?", (code_digest(code),))  # legacy copy
            self.db.execute("INSERT INTO code_registry(code_hash, issuer, status, expires_at, info_enc) "
                            "VALUES (?,?,?,?,?) ON CONFLICT(code_hash) DO UPDATE SET issuer=excluded.issuer, "
                            "status=excluded.status, expires_at=excluded.expires_at, info_enc=excluded.info_enc",
                            (digest, issuer, status, expires_at, sealed))

    def lookup_code(self, code: str) -> dict[str, Any] | None:
        # Keyed hash; rows registered before sealing carry the plain SHA-256 and are still found.
        digests = (self.keys.lookup_hash(code.strip()), code_digest(code))
        row = self.db.one("SELECT code_hash, issuer, status, expires_at, info_enc FROM code_registry "
                          "WHERE code_hash IN (?,?) ORDER BY code_hash=? DESC", (*digests, digests[0]))
        if row is None:
            return None
        return {"issuer": row[1], "status": row[2], "expires_at": row[3],
                "info": self._unseal_json("code_registry", "info_enc", row[0], row[4])}

    # --- data key rotation -------------------------------------------------------------------------------
    SEALED_COLUMNS: tuple[tuple[str, str, str], ...] = (
        ("records", "idem_key", "body_enc"), ("authorizations", "id", "body_enc"),
        ("code_registry", "code_hash", "info_enc"), ("signing_keys", "kid", "private_enc"))

    def reseal_all(self, batch: int = 500) -> int:
        """Re-encrypt every sealed value not under the active key, in batches; returns values rewritten."""
        count = 0
        for table, pk, col in self.SEALED_COLUMNS:
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

    def rotate_data_key(self) -> int:
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


def code_digest(code: str) -> str:
    # Codes are stored hashed: an online code is a bearer credential of a citizen.
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


def acceptance_number(seq: int, received_at: str) -> str:
    """受理编号: `SL` + the hall's date of receipt (China Standard Time) + the hub's sequence, unique per hub."""
    day = dt.datetime.fromisoformat(received_at).astimezone(CHINA_TZ).strftime("%Y%m%d")
    return f"SL{day}{seq:010d}"


def _default_dataset(name: str) -> str | None:
    if name == "catalog":
        return resources.files("kiosk.catalog").joinpath("data/catalog.json").read_text(encoding="utf-8")
    if name == "roster":
        return json.dumps({"version": 1, "members": []})
    if name == "settings":
        return json.dumps({"version": 1, "settings": {}})
    return None


def _ec_public(pem: str) -> ec.EllipticCurvePublicKey:
    """A hub signing key's public half: always EC P-256 (`create_key`); anything else in the table is refused."""
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
