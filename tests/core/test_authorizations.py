"""Proxy authorizations: registered ones found by hashed ID numbers, scope and dates honoured, uses audited."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk import audit
from kiosk.authorizations import find_registered, from_grant_claims, record_use, upsert_registered
from kiosk.messages import KioskError

PRINCIPAL = "11010519491231002X"
AGENT = "440106199001010014"
DAY = dt.date(2026, 11, 27)


def _row(**kw: object) -> dict:
    row = {"id": "auth-1", "principal_id_number": PRINCIPAL, "agent_id_number": AGENT,
           "scope": ["pension_payment_record", "medical_insurance_proof"],
           "valid_from": "2026-01-01", "valid_until": "2026-12-31", "principal_name": "王老太"}
    row.update(kw)
    return row


def test_registered_authorization_found_and_scoped(store) -> None:
    upsert_registered(store, [_row()])
    assert find_registered(store, PRINCIPAL, AGENT, ["pension_payment_record"], DAY) is not None
    assert find_registered(store, PRINCIPAL, AGENT, ["pension_payment_record", "ss_card_loss"], DAY) is None
    assert find_registered(store, AGENT, PRINCIPAL, ["pension_payment_record"], DAY) is None
    assert find_registered(store, PRINCIPAL, AGENT, ["pension_payment_record"], dt.date(2027, 1, 1)) is None
    raw = store.conn.execute("SELECT * FROM authorizations").fetchone()
    assert PRINCIPAL not in str(dict(raw)) and "王老太" not in str(dict(raw))


def test_revocation_from_hub_applies(store) -> None:
    upsert_registered(store, [_row()])
    upsert_registered(store, [_row(revoked=True)])
    assert find_registered(store, PRINCIPAL, AGENT, ["pension_payment_record"], DAY) is None


def test_grant_claims_must_match_both_people_and_scope() -> None:
    from kiosk.codes.kiosk_codes import id_digest, new_salt

    salt = new_salt()
    claims = {"typ": "proxy_grant", "grant_id": "g-9", "salt": salt, "scope": ["pension_payment_record"],
              "principal": {"name_masked": "王**", "id_digest": id_digest(salt, PRINCIPAL)},
              "agent": {"name_masked": "王**", "id_digest": id_digest(salt, AGENT)}}
    until = dt.date(2026, 12, 31)
    auth = from_grant_claims(claims, PRINCIPAL, AGENT, ["pension_payment_record"], until)
    assert auth.id == "g-9" and auth.source == "grant_code"
    with pytest.raises(KioskError) as exc:
        from_grant_claims(claims, PRINCIPAL, "440106199001010022", ["pension_payment_record"], until)
    assert exc.value.kind == "authorization_mismatch"
    with pytest.raises(KioskError) as exc:
        from_grant_claims(claims, AGENT, PRINCIPAL, ["pension_payment_record"], until)
    assert exc.value.kind == "authorization_mismatch"
    with pytest.raises(KioskError) as exc:
        from_grant_claims(claims, PRINCIPAL, AGENT, ["ss_card_loss"], until)
    assert exc.value.kind == "authorization_scope"
    with pytest.raises(KioskError) as exc:
        from_grant_claims({**claims, "typ": "appointment"}, PRINCIPAL, AGENT, ["pension_payment_record"], until)
    assert exc.value.kind == "authorization_mismatch"


def test_use_is_audited(store) -> None:
    upsert_registered(store, [_row()])
    auth = find_registered(store, PRINCIPAL, AGENT, ["pension_payment_record"], DAY)
    assert auth is not None
    record_use(store, auth, "citizen", "sess-1")
    row = store.conn.execute("SELECT * FROM audit_log").fetchone()
    assert row["action"] == "proxy_authorization" and "auth-1" in row["detail"]
    assert audit.verify(store) == []
