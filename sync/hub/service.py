"""The hub's business rules over one database, independent of HTTP: one service object per concern.

`Hub` only composes them: `kiosks` (tokens), `records` (idempotent ingest, receipts), `audit` (the hub's
trail), `fleet` (heartbeats), `datasets`, `authorizations`, `signing` (keys of kiosk-signed codes), `codes`
(the online registry), `data_keys` (re-sealing). Personal data is sealed at rest (`sync.hub.crypto.Sealer`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sync.hub.audit_trail import AuditTrail
from sync.hub.authorizations import Authorizations
from sync.hub.crypto import Sealer, default_key_file
from sync.hub.data_keys import DataKeys
from sync.hub.datasets import DATASETS, Datasets, etag_of
from sync.hub.db import HubDB
from sync.hub.fleet import Fleet
from sync.hub.ingest import KINDS, ItemResult, Records, acceptance_number
from sync.hub.registry import CodeRegistry, code_digest
from sync.hub.signing import SigningKeys
from sync.hub.tokens import KioskTokens, token_hash

__all__ = ["DATASETS", "KINDS", "Hub", "ItemResult", "acceptance_number", "code_digest", "etag_of", "token_hash"]


@dataclass
class Hub:
    """The hub's state and rules over one `HubDB`."""

    db: HubDB
    sealer: Sealer | None = None  # None: the key file beside a SQLite database (created on first use)
    code_validity_days: int = 30
    kiosks: KioskTokens = field(init=False)
    records: Records = field(init=False)
    audit: AuditTrail = field(init=False)
    fleet: Fleet = field(init=False)
    signing: SigningKeys = field(init=False)
    datasets: Datasets = field(init=False)
    authorizations: Authorizations = field(init=False)
    codes: CodeRegistry = field(init=False)
    data_keys: DataKeys = field(init=False)

    def __post_init__(self) -> None:
        if self.sealer is None:
            self.sealer = Sealer(default_key_file(self.db.url))
        keys = self.sealer
        self.kiosks = KioskTokens(self.db)
        self.records = Records(self.db, keys)
        self.audit = AuditTrail(self.db)
        self.fleet = Fleet(self.db)
        self.signing = SigningKeys(self.db, keys, self.code_validity_days)
        self.datasets = Datasets(self.db, self.signing)
        self.authorizations = Authorizations(self.db, keys)
        self.codes = CodeRegistry(self.db, keys)
        self.data_keys = DataKeys(self.db, keys)

    @property
    def keys(self) -> Sealer:
        assert self.sealer is not None
        return self.sealer
