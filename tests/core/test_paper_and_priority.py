"""Paper power of attorney confirmed by staff (badge + PIN + reason), personal-only items, typed ID numbers;
green channel suggestion and staff confirmation. Every refusal is plain and creates nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk import audit
from kiosk.authorizations import (
    PAPER_REASONS,
    check_proxy_allowed,
    confirm_paper,
    find_registered,
    paper_reason,
    principal_from_typed_id,
)
from kiosk.catalog import load_bundled_catalog
from kiosk.green_channel import PRIORITY_REASONS, confirm_priority, suggest_priority
from kiosk.identity import CardType, IdentityRecord
from kiosk.messages import KioskError
from kiosk.roster import MAX_PIN_FAILURES
from kiosk.services import submit_items
from kiosk.session import Helper, HelperRole, Mode, Session
from kiosk.store.db import Store
from tests.core.helpers.people import STAFF_PIN, VOLUNTEER_PIN, FakeClock, cached_roster

PRINCIPAL = "11010519491231002X"
AGENT = "440106199001010014"
CATALOG = load_bundled_catalog()


def _people() -> tuple[IdentityRecord, IdentityRecord]:
    return (IdentityRecord(CardType.RESIDENT, name="王老太", id_number=PRINCIPAL, birth_date=dt.date(1949, 12, 31)),
            IdentityRecord(CardType.RESIDENT, name="王小明", id_number=AGENT, birth_date=dt.date(1990, 1, 1)))


def _count(store: Store, table: str) -> int:
    return int(store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def _confirm(store: Store, **kw: object):  # type: ignore[no-untyped-def]
    principal, agent = _people()
    args = {"member_id": "S-007", "pin": STAFF_PIN, "reason": "hospital", "principal": principal, "agent": agent,
            "item_codes": ["elderly_allowance"], "catalog": CATALOG, "kiosk_id": "k1", "session_id": "s1"}
    args.update(kw)
    return confirm_paper(store, cached_roster(store), **args)  # type: ignore[arg-type]


def test_staff_confirm_paper_authorization_recorded_sealed_audited(store: Store) -> None:
    auth = _confirm(store)
    assert auth.source == "paper" and auth.scope == ["elderly_allowance"]
    assert auth.valid_from == auth.valid_until
    row = dict(store.conn.execute("SELECT * FROM authorizations").fetchone())
    assert row["confirmed_by"] == "S-007" and row["source"] == "paper"
    assert PRINCIPAL not in str(row) and "王老太" not in str(row) and "hospital" not in str(row)
    assert paper_reason(store, auth.id) == "hospital"
    last = store.conn.execute("SELECT actor, action, detail FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    assert (last["actor"], last["action"]) == ("staff:S-007", "paper_authorization") and auth.id in last["detail"]
    assert STAFF_PIN not in str([tuple(r) for r in store.conn.execute("SELECT * FROM audit_log")])
    # A paper authorization is for this visit: it is not found later as a registered one.
    assert find_registered(store, PRINCIPAL, AGENT, ["elderly_allowance"], auth.valid_from) is None

    # The proxy submission carries it, with the source and the helper.
    principal, agent = _people()
    s = Session()
    s.set_mode(Mode.ASSISTED, Helper("S-007", HelperRole.STAFF))
    s.identify(agent)
    s.start_proxy(principal, auth.id)
    s.select_items(["elderly_allowance"])
    submit_items(store, s, CATALOG, "k1")
    uses = [store.unseal("outbox", r[0], r[1]) for r in
            store.conn.execute("SELECT id, body_enc FROM outbox WHERE kind='authorization_use'")]
    assert uses and uses[0]["source"] == "paper" and uses[0]["helper_id"] == "S-007"


@pytest.mark.parametrize(("change", "kind"), [
    ({"member_id": "V-101", "pin": VOLUNTEER_PIN}, "staff_required"),
    ({"pin": "0000"}, "pin_wrong"),
    ({"pin": ""}, "pin_wrong"),
    ({"member_id": "X-9"}, "badge_unknown"),
    ({"reason": "because"}, "reason_unknown"),
    ({"item_codes": ["id_card_renew"]}, "personal_only"),
    ({"item_codes": ["elderly_allowance", "marriage_record_proof"]}, "personal_only"),
    ({"item_codes": ["pension_qualification"]}, "personal_only"),  # no agent allowed at all
    ({"item_codes": []}, "nothing_selected"),
    ({"agent": IdentityRecord(CardType.RESIDENT, id_number=PRINCIPAL)}, "same_person"),
])
def test_refusals_are_plain_and_create_nothing(store: Store, change: dict, kind: str) -> None:
    with pytest.raises(KioskError) as exc:
        _confirm(store, **change)
    assert exc.value.kind == kind and exc.value.message.zh and exc.value.message.en
    assert _count(store, "authorizations") == 0
    assert _count(store, "outbox") == 0


def test_personal_only_message_names_the_item() -> None:
    with pytest.raises(KioskError) as exc:
        check_proxy_allowed(CATALOG, ["id_card_renew"])
    assert CATALOG.item("id_card_renew").name.zh in exc.value.message.zh
    assert "themselves" in exc.value.message.en
    check_proxy_allowed(CATALOG, ["elderly_allowance"])  # allowed: no exception
    assert all(not i.agent_allowed for i in CATALOG.items if i.personal_only)


def test_staff_pin_lockout_applies_to_paper_confirmation(store: Store) -> None:
    clock = FakeClock()
    for _ in range(MAX_PIN_FAILURES):
        with pytest.raises(KioskError):
            _confirm(store, pin="1111", clock=clock)
    with pytest.raises(KioskError) as exc:
        _confirm(store, clock=clock)
    assert exc.value.kind == "pin_locked"
    assert _count(store, "authorizations") == 0


def test_principal_by_typed_id_number() -> None:
    p = principal_from_typed_id("11010519491231002x")
    assert (p.id_number, p.birth_date, p.card_type) == (PRINCIPAL, dt.date(1949, 12, 31), CardType.RESIDENT)
    for bad in ("110105194912310021", "1101051949123100", "abc", "11010519491231002Y"):
        with pytest.raises(KioskError) as exc:
            principal_from_typed_id(bad)
        assert exc.value.kind == "invalid_id_number" and exc.value.message.zh


def test_reason_lists_are_bilingual() -> None:
    for reasons in (PAPER_REASONS, PRIORITY_REASONS):
        assert 3 <= len(reasons) <= 6
        assert all(m.zh and m.en for m in reasons.values())
    assert set(PRIORITY_REASONS) == {"elderly", "disability", "veteran", "pregnancy", "other"}


def test_green_channel_suggested_by_age_and_confirmed_by_staff(store: Store) -> None:
    clock = FakeClock(dt.datetime(2026, 11, 28, 2, tzinfo=dt.UTC))
    old = Session(clock=clock)
    old.identify(IdentityRecord(CardType.RESIDENT, id_number=PRINCIPAL, birth_date=dt.date(1949, 12, 31)))
    assert suggest_priority(old) == "elderly"
    young = Session(clock=clock)
    young.identify(IdentityRecord(CardType.RESIDENT, id_number=AGENT, birth_date=dt.date(1990, 1, 1)))
    assert suggest_priority(young) is None
    # 60th birthday is the day the suggestion starts.
    turning = Session(clock=clock)
    turning.identify(IdentityRecord(CardType.RESIDENT, birth_date=dt.date(1966, 11, 28)))
    assert suggest_priority(turning) == "elderly"

    with pytest.raises(KioskError) as exc:
        confirm_priority(store, young, Helper("V-101", HelperRole.VOLUNTEER), "disability")
    assert exc.value.kind == "staff_required" and young.mode is Mode.SELF_SERVICE
    with pytest.raises(KioskError) as exc:
        confirm_priority(store, young, Helper("S-007", HelperRole.STAFF), "vip")
    assert exc.value.kind == "reason_unknown" and young.mode is Mode.SELF_SERVICE
    assert _count(store, "priority_confirmations") == 0

    cid = confirm_priority(store, young, Helper("S-007", HelperRole.STAFF), "disability")
    assert young.mode is Mode.PRIORITY and young.helper and young.helper.helper_id == "S-007"
    row = store.conn.execute("SELECT * FROM priority_confirmations WHERE id=?", (cid,)).fetchone()
    assert row["confirmed_by"] == "S-007" and b"disability" not in row["reason_enc"]
    assert store.unseal("priority_confirmations", cid, row["reason_enc"]) == {"reason": "disability"}
    sess = store.conn.execute("SELECT mode, helper_id FROM sessions WHERE id=?", (young.id,)).fetchone()
    assert tuple(sess) == ("priority", "S-007")
    actions = [r[0] for r in store.conn.execute("SELECT action FROM audit_log ORDER BY seq")]
    assert actions == ["priority_confirmed", "mode_change"]
    assert "disability" not in str([tuple(r) for r in store.conn.execute("SELECT * FROM audit_log")])
    assert audit.verify(store) == []


@pytest.mark.parametrize("item", ["id_card_renew", "pension_qualification"])
def test_proxy_submission_of_an_in_person_item_is_refused_and_writes_nothing(store: Store, item: str) -> None:
    """Whatever authorization the journey holds (registered, grant code, paper), the core refuses at submit."""
    principal, agent = _people()
    s = Session()
    s.identify(agent)
    s.start_proxy(principal, "any-authorization")
    s.select_items([item])
    with pytest.raises(KioskError) as exc:
        submit_items(store, s, CATALOG, "k1", {"phone": "13800138000"})
    assert exc.value.kind == "agent_not_allowed" and CATALOG.item(item).name.zh in exc.value.message.zh
    for table in ("transactions", "outbox", "audit_log"):
        assert _count(store, table) == 0
