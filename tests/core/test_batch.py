"""Batch handling: several people for one item, each their own transaction and receipt; refusals reported while
the others are kept; rights, personal-only items and input mistakes refused plainly."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk import audit
from kiosk.batch import Batch
from kiosk.catalog import load_bundled_catalog
from kiosk.identity import CardType, IdentityRecord
from kiosk.identity.idnumber import check_char
from kiosk.messages import KioskError
from kiosk.session import Helper, HelperRole
from kiosk.store.db import Store

CATALOG = load_bundled_catalog()
VOLUNTEER = Helper("V-101", HelperRole.VOLUNTEER, "小周")
STAFF = Helper("S-007", HelperRole.STAFF, "李工")


def _id(body17: str) -> str:
    return body17 + check_char(body17)


def _card(body17: str, name: str, **kw: object) -> IdentityRecord:
    return IdentityRecord(CardType.RESIDENT, name=name, id_number=_id(body17), birth_date=dt.date(
        int(body17[6:10]), int(body17[10:12]), int(body17[12:14])), **kw)  # type: ignore[arg-type]


def _payloads(store: Store) -> list[dict]:
    return [store.unseal("transactions", r[0], r[1])
            for r in store.conn.execute("SELECT id, payload_enc FROM transactions ORDER BY created_at")]


def test_batch_for_a_care_home(store: Store) -> None:
    batch = Batch(store, CATALOG, VOLUNTEER, "pension_qualification", "k1", {"phone": "02083330000"})
    a = batch.add_card(_card("44010619400101002", "陈大爷"))
    b = batch.add_typed_id(_id("44010619380505004").lower())
    dup = batch.add_card(_card("44010619400101002", "陈大爷"))
    expired = batch.add_card(_card("44010619410303001", "黄伯", valid_until=dt.date(2020, 1, 1)))
    c = batch.add_card(_card("44010619420202003", "林婆婆"))
    summary = batch.finish()

    assert [e.ok for e in (a, b, dup, expired, c)] == [True, True, False, False, True]
    assert (dup.error_kind, expired.error_kind) == ("duplicate", "card_expired")
    assert dup.error and dup.error.zh and dup.error.en
    assert a.masked_id == "440106********" + a.masked_id[-4:] and a.masked_name != "陈大爷"
    assert [e.receipt.item_code for e in summary.done if e.receipt] == ["pension_qualification"] * 3
    assert len({e.receipt.receipt_no for e in summary.done if e.receipt}) == 3  # each its own receipt
    assert len(summary.refused) == 2 and summary.message.zh == "已办理3人，未能办理2人"

    rows = store.conn.execute("SELECT helper_id, batch_id, mode FROM transactions").fetchall()
    assert {tuple(r) for r in rows} == {("V-101", batch.id, "assisted")} and len(rows) == 3
    payloads = _payloads(store)
    assert [p["form"]["phone"] for p in payloads] == ["02083330000"] * 3
    assert {p["helper_id"] for p in payloads} == {"V-101"}
    assert payloads[1]["applicant"]["id_number"] == _id("44010619380505004")
    assert store.conn.execute("SELECT COUNT(*) FROM outbox WHERE kind='transaction'").fetchone()[0] == 3
    actions = [(r[0], r[1]) for r in store.conn.execute("SELECT actor, action FROM audit_log ORDER BY seq")]
    assert actions[0] == ("volunteer:V-101", "batch_start") and actions[-1] == ("volunteer:V-101", "batch_done")
    assert audit.verify(store) == []
    with pytest.raises(KioskError) as exc:
        batch.add_card(_card("44010619420202011", "新人"))
    assert exc.value.kind == "batch_finished"


def test_same_person_same_item_twice_a_day_is_refused_across_batches(store: Store) -> None:
    first = Batch(store, CATALOG, STAFF, "pension_qualification", "k1", {"phone": "02083330000"})
    assert first.add_card(_card("44010619400101002", "陈大爷")).ok
    first.finish()
    second = Batch(store, CATALOG, STAFF, "pension_qualification", "k1", {"phone": "02083330000"})
    again = second.add_card(_card("44010619400101002", "陈大爷"))
    assert (again.ok, again.error_kind) == (False, "already_done_today")
    assert second.add_card(_card("44010619420202003", "林婆婆")).ok


def test_input_mistakes_are_raised_and_record_nothing(store: Store) -> None:
    batch = Batch(store, CATALOG, VOLUNTEER, "pension_qualification", "k1")
    with pytest.raises(KioskError) as exc:
        batch.add_card(_card("44010619400101002", "陈大爷"))  # no phone for anyone yet
    assert exc.value.kind == "form_incomplete" and "电话" in exc.value.message.zh
    with pytest.raises(KioskError) as exc:
        batch.add_typed_id("440106194001010021")  # wrong check character
    assert exc.value.kind == "invalid_id_number"
    assert batch.add_card(_card("44010619400101002", "陈大爷"), {"phone": "13800138000"}).ok
    assert store.conn.execute("SELECT COUNT(*) FROM transactions").fetchone()[0] == 1
    assert batch.entries and all(e.ok for e in batch.entries)


def test_who_may_batch_and_what(store: Store) -> None:
    with pytest.raises(KioskError) as exc:
        Batch(store, CATALOG, None, "pension_qualification", "k1")  # type: ignore[arg-type]
    assert exc.value.kind == "not_signed_in"
    with pytest.raises(KioskError) as exc:
        Batch(store, CATALOG, STAFF, "id_card_renew", "k1")
    assert exc.value.kind == "personal_only" and "居民身份证换领" in exc.value.message.zh
    with pytest.raises(KioskError) as exc:
        Batch(store, CATALOG, STAFF, "no_such_item", "k1")
    assert exc.value.kind == "item_unknown"
    assert store.conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == 0
