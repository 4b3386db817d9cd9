"""Proxy authorizations (代办 / 代查代领): may this agent act for this principal, for this item, today?

Two sources: authorizations registered at the hall (pulled from the hub into the `authorizations` table,
keyed by lookup hashes of both ID numbers), and signed grant codes (`KC1:` proxy grants verified by
`kiosk.codes`) that the agent shows on a phone or paper.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from kiosk import audit
from kiosk.clock import local_today
from kiosk.codes.kiosk_codes import id_digest
from kiosk.messages import KioskError, Message
from kiosk.store.db import Store


@dataclass(frozen=True)
class Authorization:
    id: str
    scope: list[str]  # item codes, or ["*"] for every item that allows an agent
    valid_from: dt.date
    valid_until: dt.date
    source: str  # registered | grant_code

    def covers(self, item_code: str, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_until and ("*" in self.scope or item_code in self.scope)


def upsert_registered(store: Store, rows: list[dict[str, Any]]) -> int:
    """Store authorizations pulled from the hub. Each row: id, principal_id_number, agent_id_number, scope,
    valid_from, valid_until, revoked. Only hashes of the ID numbers are kept; names stay sealed."""
    with store.transaction() as c:
        for r in rows:
            c.execute(
                "INSERT INTO authorizations(id, principal_hmac, agent_hmac, scope, valid_from, valid_until, source, "
                "revoked, data_enc) VALUES (?,?,?,?,?,?, 'registered', ?, ?) ON CONFLICT(id) DO UPDATE SET "
                "scope=excluded.scope, valid_from=excluded.valid_from, valid_until=excluded.valid_until, "
                "revoked=excluded.revoked, data_enc=excluded.data_enc",
                (r["id"], store.lookup_hash(r["principal_id_number"]), store.lookup_hash(r["agent_id_number"]),
                 json.dumps(r.get("scope", ["*"])), r["valid_from"], r["valid_until"], int(bool(r.get("revoked"))),
                 store.seal("authorizations", r["id"], {k: v for k, v in r.items() if k.endswith("name")})),
            )
    return len(rows)


def find_registered(store: Store, principal_id_number: str, agent_id_number: str, item_codes: list[str],
                    day: dt.date) -> Authorization | None:
    """A registered, unrevoked authorization covering every chosen item on `day`, if there is one."""
    rows = store.conn.execute(
        "SELECT * FROM authorizations WHERE principal_hmac=? AND agent_hmac=? AND revoked=0",
        (store.lookup_hash(principal_id_number), store.lookup_hash(agent_id_number)),
    ).fetchall()
    for row in rows:
        auth = Authorization(row["id"], json.loads(row["scope"]), dt.date.fromisoformat(row["valid_from"]),
                             dt.date.fromisoformat(row["valid_until"]), row["source"])
        if all(auth.covers(code, day) for code in item_codes):
            return auth
    return None


def from_grant_claims(claims: dict[str, Any], principal_id_number: str, agent_id_number: str,
                      item_codes: list[str], valid_until: dt.date, day: dt.date | None = None) -> Authorization:
    """Check a verified `proxy_grant` code (see kiosk/codes/CLAIMS.md) against the two ID cards read at the kiosk.

    The code's own validity (nbf/exp, signature) was checked by `kiosk.codes.verify_payload`; this checks that
    the people match (salted digests, no ID number in the code) and that the grant covers the chosen items.
    """
    if claims.get("typ") != "proxy_grant":
        raise KioskError("authorization_mismatch",
                         Message("这不是代办授权码", "This is not a proxy authorization code"))
    salt = str(claims.get("salt", ""))
    try:
        principal_ok = claims["principal"]["id_digest"] == id_digest(salt, principal_id_number)
        agent_ok = claims["agent"]["id_digest"] == id_digest(salt, agent_id_number)
    except (KeyError, TypeError, ValueError):
        principal_ok = agent_ok = False
    if not (principal_ok and agent_ok):
        raise KioskError("authorization_mismatch",
                         Message("授权码与本人或代办人证件不符",
                                 "The authorization code does not match these ID cards"))
    today = day or local_today()  # the hall's date (China time), not the machine's time zone
    auth = Authorization(str(claims.get("grant_id", "")), list(claims.get("scope", ["*"])), today, valid_until,
                         "grant_code")
    if not all(auth.covers(code, today) for code in item_codes):
        raise KioskError("authorization_scope",
                         Message("授权范围不包括所选事项", "The authorization does not cover the chosen services"))
    return auth


def record_use(store: Store, auth: Authorization, actor: str, session_id: str) -> None:
    """Audit the use of an authorization (who acted, under which grant); no personal data in the entry."""
    audit.append(store, actor, "proxy_authorization", {"authorization": auth.id, "source": auth.source,
                                                        "session": session_id})
