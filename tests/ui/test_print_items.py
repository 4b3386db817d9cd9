"""查询打印 offers exactly the catalog's `query_print` items (the catalog flag, not a naming rule), elderly
high-frequency first for an older person, and only those an agent may do when someone acts for another."""

from __future__ import annotations

from typing import Any

from kiosk.catalog.loader import load_bundled_catalog
from kiosk.catalog.model import Catalog, Item
from kiosk.journey.values import print_items


def _with_kind(catalog: Catalog, code: str, kind: str) -> Catalog:
    items: list[Item] = [i.model_copy(update={"kind": kind}) if i.code == code else i for i in catalog.items]
    return catalog.model_copy(update={"items": items})


def test_print_items_follow_the_catalog_flag() -> None:
    catalog = load_bundled_catalog()
    flagged = {i.code for i in catalog.items if i.kind == "query_print"}
    assert flagged and {i.code for i in print_items(catalog, elderly=False)} == flagged
    # A print item whose code ends in neither _proof nor _record still counts, and a "…_proof" apply item does not.
    renamed = _with_kind(_with_kind(catalog, "chronic_disease", "query_print"), "social_insurance_proof", "apply")
    codes = {i.code for i in print_items(renamed, elderly=False)}
    assert "chronic_disease" in codes and "social_insurance_proof" not in codes


def test_print_items_order_and_agent_filter() -> None:
    catalog = load_bundled_catalog()
    elderly = print_items(catalog, elderly=True)
    keys = [(not i.elderly_high_frequency, i.elderly_rank) for i in elderly]
    assert keys == sorted(keys)
    agent = print_items(catalog, elderly=False, agent=True)
    assert all(i.agent_allowed for i in agent)
    assert {i.code for i in print_items(catalog, elderly=False)} - {i.code for i in agent} == {
        i.code for i in catalog.print_items() if not i.agent_allowed}


def test_print_screen_shows_the_flagged_items(qtbot: Any, make_window: Any, reader: Any) -> None:
    from journey_taps import card_index, tap_choice, visible_choice_keys

    win = make_window()
    r = reader(win)
    tap_choice(qtbot, win, "print")
    r.insert(card_index("Resident ID card (aged 35)"))
    qtbot.waitUntil(lambda: win.current == "items", timeout=5000)
    flagged = {i.code for i in win.deps.catalog.print_items()}
    assert set(visible_choice_keys(win)) <= flagged
