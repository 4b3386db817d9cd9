"""Proxy authorizations (代办 / 代查代领): may this agent act for this principal, for this item, today?

Three sources: authorizations registered at the hall (pulled from the hub into the `authorizations` table,
keyed by lookup hashes of both ID numbers), signed grant codes (`KC1:` proxy grants verified by `kiosk.codes`)
that the agent shows on a phone or paper, and paper powers of attorney confirmed at the kiosk by staff with
badge + PIN and a reason (valid that day, for the chosen items). Items marked personal-only take no proxy.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiosk import audit
from kiosk.catalog.model import Catalog
from kiosk.clock import Clock, local_today, system_clock
from kiosk.identity.idnumber import parse_id_number
from kiosk.identity.record import CardType, IdentityRecord
from kiosk.locale import phrase
from kiosk.messages import KioskError, Message
from kiosk.rights import Action, require
from kiosk.store.db import Store, utcnow_iso
from kiosk.store.outbox import new_id

if TYPE_CHECKING:
    from kiosk.roster import Roster

# Why the principal cannot come in person, as staff choose it on the screen (short on purpose).
PAPER_REASONS: dict[str, Message] = {
    "illness": phrase("authorizations.paper_reasons.illness"),
    "hospital": phrase("authorizations.paper_reasons.hospital"),
    "care_home": phrase("authorizations.paper_reasons.care_home"),
    "away": phrase("authorizations.paper_reasons.away"),
    "other": phrase("authorizations.paper_reasons.other"),
}


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
        "SELECT * FROM authorizations WHERE principal_hmac=? AND agent_hmac=? AND revoked=0 AND source='registered'",
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
                         phrase("authorizations.authorization_mismatch"))
    from kiosk.codes.kiosk_codes import id_digest  # here: the codes stack (COSE, x509) is not needed at start-up

    salt = str(claims.get("salt", ""))
    try:
        principal_ok = claims["principal"]["id_digest"] == id_digest(salt, principal_id_number)
        agent_ok = claims["agent"]["id_digest"] == id_digest(salt, agent_id_number)
    except (KeyError, TypeError, ValueError):
        principal_ok = agent_ok = False
    if not (principal_ok and agent_ok):
        raise KioskError("authorization_mismatch",
                         phrase("authorizations.authorization_mismatch_cards"))
    today = day or local_today()  # the hall's date (China time), not the machine's time zone
    auth = Authorization(str(claims.get("grant_id", "")), list(claims.get("scope", ["*"])), today, valid_until,
                         "grant_code")
    if not all(auth.covers(code, today) for code in item_codes):
        raise KioskError("authorization_scope",
                         phrase("authorizations.authorization_scope"))
    return auth


def record_use(store: Store, auth: Authorization, actor: str, session_id: str) -> None:
    """Audit the use of an authorization (who acted, under which grant); no personal data in the entry."""
    audit.append(store, actor, "proxy_authorization", {"authorization": auth.id, "source": auth.source,
                                                        "session": session_id})


def check_proxy_allowed(catalog: Catalog, item_codes: list[str]) -> None:
    """Refuse, with the item's name, any item that only the person may do themselves."""
    for code in item_codes:
        item = catalog.item(code)
        if not item.proxy_allowed:
            raise KioskError("personal_only",
                             phrase("authorizations.personal_only", name=item.name), detail=code)


_KINDS = {"resident": CardType.RESIDENT, "hk_macao_taiwan_permit": CardType.HK_MACAO_TAIWAN_PERMIT,
          "foreign_permanent_resident": CardType.FOREIGN_PERMANENT_RESIDENT}


def principal_from_typed_id(number: str, *, today: dt.date | None = None) -> IdentityRecord:
    """The principal identified by an ID number typed on the keypad (check character verified, GB 11643)."""
    cleaned = number.replace(" ", "").upper()
    info = parse_id_number(cleaned, today=today or local_today())
    return IdentityRecord(_KINDS[info.kind], id_number=cleaned, birth_date=info.birth_date)


def confirm_paper(store: Store, roster: Roster, *, member_id: str, pin: str, reason: str,
                  principal: IdentityRecord, agent: IdentityRecord, item_codes: list[str], catalog: Catalog,
                  kiosk_id: str, session_id: str, clock: Clock = system_clock) -> Authorization:
    """Staff confirm a paper power of attorney (badge + PIN, reason from PAPER_REASONS). Valid today, for the
    chosen items only; recorded (names and numbers sealed, hashes for look-up) and audited. Refusals create
    nothing."""
    from kiosk.roster import verify_member_pin

    if reason not in PAPER_REASONS:
        raise KioskError("reason_unknown", phrase("authorizations.reason_unknown"),
                         detail=reason)
    if not item_codes:
        raise KioskError("nothing_selected", phrase("authorizations.nothing_selected"))
    check_proxy_allowed(catalog, item_codes)
    if not principal.id_number or not agent.id_number:
        raise KioskError("not_identified", phrase("authorizations.not_identified"))
    if store.lookup_hash(principal.id_number) == store.lookup_hash(agent.id_number):
        raise KioskError("same_person", phrase("authorizations.same_person"))
    member = roster.member(member_id)
    if member is None:
        raise KioskError("badge_unknown", phrase("authorizations.badge_unknown"))
    require(member.as_helper(), Action.PAPER_AUTHORIZATION)  # a volunteer is refused before any PIN is tried
    verify_member_pin(store, roster, member_id, pin, clock=clock, purpose="paper_authorization_pin")
    today = local_today(clock)
    auth = Authorization(new_id(), list(dict.fromkeys(item_codes)), today, today, "paper")
    sealed = {"reason": reason, "confirmed_by": member.id, "confirmed_at": utcnow_iso(), "kiosk_id": kiosk_id,
              "session_id": session_id, "principal_name": principal.name, "agent_name": agent.name}
    with store.transaction() as c:
        c.execute(
            "INSERT INTO authorizations(id, principal_hmac, agent_hmac, scope, valid_from, valid_until, source, "
            "revoked, data_enc, confirmed_by) VALUES (?,?,?,?,?,?, 'paper', 0, ?, ?)",
            (auth.id, store.lookup_hash(principal.id_number), store.lookup_hash(agent.id_number),
             json.dumps(auth.scope), today.isoformat(), today.isoformat(),
             store.seal("authorizations", auth.id, sealed), member.id))
        audit.append(store, f"{member.role.value}:{member.id}", "paper_authorization",
                     {"authorization": auth.id, "items": auth.scope, "session": session_id})
    return auth


def paper_reason(store: Store, authorization_id: str) -> str | None:
    """The reason recorded with a paper authorization (unsealed on demand; None for other sources)."""
    row = store.conn.execute("SELECT data_enc FROM authorizations WHERE id=? AND source='paper'",
                             (authorization_id,)).fetchone()
    return store.unseal("authorizations", authorization_id, row["data_enc"])["reason"] if row else None
