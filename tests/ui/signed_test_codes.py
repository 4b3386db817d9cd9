"""Codes for UI tests signed with keys made here (never stored anywhere else): a health code (DCC) from a
test issuer and proxy grants (`KC1:`) from a test hub key, with both keys trusted in a kiosk's store."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.codes import trust_store
from kiosk.codes.kiosk_codes import id_digest, new_salt, sign_kiosk_code
from kiosk.codes.trust import dgcg_kid, hub_key_entry, key_id, trust_list_entry
from kiosk.store import open_store
from tests.codes.conftest import make_dcc, make_dsc


class CodeIssuers:
    """A DCC signing certificate and a hub key, trusted by `trust(data_dir)`."""

    def __init__(self) -> None:
        self.dsc_key = ec.generate_private_key(ec.SECP256R1())
        self.dsc_der = make_dsc(self.dsc_key, not_before=dt.datetime.now(dt.UTC) - dt.timedelta(days=30))
        self.hub_key = ec.generate_private_key(ec.SECP256R1())
        self.hub_kid = key_id(self.hub_key.public_key())

    def trust(self, data_dir: Path) -> None:
        now = dt.datetime.now(dt.UTC)
        store = open_store(data_dir)
        try:
            trust_store.save(store, trust_store.TRUST_LIST, json.dumps([trust_list_entry(self.dsc_der, "CN")]).encode())
            trust_store.save(store, trust_store.HUB_KEYS, json.dumps(
                [hub_key_entry(self.hub_key.public_key(), not_after=now + dt.timedelta(days=365))]).encode())
        finally:
            store.close()

    def health_code(self, holder: dict[str, Any] | None = None) -> str:
        """A vaccination DCC; `holder` = {"nam": {...}, "dob": ...} of the person it is for (default: the codes
        tests' holder, who is nobody on the demo cards)."""
        from tests.codes.conftest import HCERT

        now = dt.datetime.now(dt.UTC)
        return make_dcc(self.dsc_key, dgcg_kid(self.dsc_der), iat=now - dt.timedelta(days=1),
                        exp=now + dt.timedelta(days=100), hcert={**HCERT, **(holder or {})})

    def proxy_grant(self, principal_id: str, agent_id: str, scope: list[str], **over: Any) -> str:
        now = dt.datetime.now(dt.UTC)
        salt = new_salt()
        claims: dict[str, Any] = {
            "typ": "proxy_grant", "iss": "hub:test-hall", "iat": now - dt.timedelta(hours=1),
            "exp": now + dt.timedelta(days=30), "cti": "grant-ui-1", "grant_id": "grant-ui-1", "scope": scope,
            "salt": salt, "principal": {"name_masked": "陈**", "id_digest": id_digest(salt, principal_id)},
            "agent": {"name_masked": "林**", "id_digest": id_digest(salt, agent_id)}}
        claims.update(over)
        return sign_kiosk_code(claims, self.hub_key, self.hub_kid)
