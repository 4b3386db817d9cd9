"""Service catalog: the bundled data is rich enough and valid; a broken catalog is refused, last good kept."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from kiosk.catalog import CatalogRepository, load_bundled_catalog
from kiosk.messages import KioskError


def test_bundled_catalog_has_the_range_the_hall_needs() -> None:
    cat = load_bundled_catalog()
    assert len(cat.items) >= 20
    assert len({i.department for i in cat.items}) >= 6
    names = {i.name.zh for i in cat.items}
    assert "养老金领取资格认证" in names
    assert any(i.category == "after_death" for i in cat.items)
    assert any(m.waived_by for i in cat.items for m in i.materials)
    assert any(not i.agent_allowed for i in cat.items) and any(i.agent_allowed for i in cat.items)
    for item in cat.items:
        assert item.name.zh != item.name.en and item.summary.en


def test_query_print_items_are_flagged() -> None:
    cat = load_bundled_catalog()
    codes = {i.code for i in cat.print_items()}
    assert {"social_insurance_proof", "medical_insurance_proof", "pension_payment_record"} <= codes
    assert "pension_qualification" not in codes


def test_elderly_items_first_only_for_elderly() -> None:
    cat = load_bundled_catalog()
    elderly = cat.items_for(elderly=True)
    flags = [i.elderly_high_frequency for i in elderly]
    assert flags == sorted(flags, reverse=True) and flags[0]
    assert elderly[0].code == "pension_qualification"
    assert [i.code for i in cat.items_for(elderly=False)] == [i.code for i in cat.items]


def test_merged_form_asks_shared_fields_once() -> None:
    cat = load_bundled_catalog()
    codes = ["pension_qualification", "medical_insurance_proof", "elderly_allowance"]
    assert len({cat.item(c).department for c in codes}) == 3
    merged = [f.code for f in cat.merged_fields(codes)]
    assert len(merged) == len(set(merged))
    assert set(merged) == {f for c in codes for f in cat.item(c).fields}


def _raw() -> dict:
    return json.loads(resources.files("kiosk.catalog").joinpath("data/catalog.json").read_bytes())


@pytest.mark.parametrize("breakage,reason", [
    (lambda c: c["items"][0].update(department="nowhere"), "unknown department"),
    (lambda c: c["items"][1].pop("name"), "name"),
    (lambda c: c["items"].append(dict(c["items"][0])), "duplicate"),
    (lambda c: c["form_fields"].append({"code": "free", "label": {"zh": "备注", "en": "Note"}, "kind": "text"}),
     "free text"),
])
def test_broken_catalog_refused_last_good_kept(store, breakage, reason: str) -> None:
    repo = CatalogRepository(store)
    good = _raw()
    good["version"] = "good-1"
    repo.accept(json.dumps(good).encode())
    bad = _raw()
    breakage(bad)
    with pytest.raises(KioskError) as exc:
        repo.accept(json.dumps(bad).encode())
    assert exc.value.kind == "catalog_invalid" and reason in exc.value.message.en
    assert repo.current().version == "good-1"
    assert CatalogRepository(store).current().version == "good-1"  # also after a restart


def test_not_json_refused(store) -> None:
    with pytest.raises(KioskError) as exc:
        CatalogRepository(store).accept(b"{not json")
    assert "not JSON" in exc.value.message.en
