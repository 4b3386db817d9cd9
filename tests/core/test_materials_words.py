"""The materials lines say plainly what satisfied each material, from what really happened (Qt-free)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kiosk.catalog import Material, Text, load_bundled_catalog
from kiosk.identity.record import CardType, IdentityRecord
from kiosk.journey.materials_words import card_was_read, material_line, material_lines

CAT = load_bundled_catalog()


def _card() -> IdentityRecord:
    return IdentityRecord(CardType.RESIDENT, name="陈桂芳", id_number="440106195403151232",
                          birth_date=dt.date(1954, 3, 15), valid_until=dt.date(2036, 1, 1))


def _typed() -> IdentityRecord:
    return IdentityRecord(CardType.RESIDENT, id_number="440106195403151232", birth_date=dt.date(1954, 3, 15))


def _material(item: str, code: str) -> tuple[Material, Text]:
    it = CAT.item(item)
    return next(m for m in it.materials if m.code == code), CAT.department(it.department).window


def _item_with(code: str) -> str:
    return next(i.code for i in CAT.items if any(m.code == code for m in i.materials))


def test_a_card_read_here_is_said_so_and_no_phone_app_is_named() -> None:
    m, window = _material(_item_with("id_card"), "id_card")
    line = material_line(m, window, _card())
    assert line.done
    assert line.text.zh == "居民身份证：已在本机读取，不用交纸质材料"
    assert line.text.en == f"{m.name.en}: read here at the kiosk, no paper needed"
    assert "粤省事" not in line.text.zh and "Yueshengshi" not in line.text.en


def test_a_typed_number_names_the_electronic_certificate_once_without_nested_brackets() -> None:
    m, window = _material(_item_with("id_card"), "id_card")
    line = material_line(m, window, _typed())
    assert line.done and not card_was_read(_typed())
    assert line.text.zh == "居民身份证：已调取电子身份证（粤省事），不用交纸质材料"
    assert line.text.zh.count("（") <= 1


def test_shared_data_names_its_source_plainly() -> None:
    m, window = _material(_item_with("hukou_book"), "hukou_book")
    line = material_line(m, window, _card())
    assert line.done
    assert line.text.zh == "户口簿：已从户籍信息共享查到，不用交纸质材料"
    assert line.text.en.endswith(": found in shared household registration data, no paper needed")


def test_paper_to_hand_in_says_where_and_no_line_nests_brackets() -> None:
    for item in CAT.items:
        window = CAT.department(item.department).window
        for person in (_card(), _typed(), None):
            for m, line in zip(item.materials, material_lines(item, window, person), strict=True):
                assert line.done == bool(m.waived_by) or (m.code == "id_card" and card_was_read(person))
                if not line.done:
                    assert line.text.zh == f"{m.name.zh}：请交到{window.zh}"
                for text in (line.text.zh, line.text.en):
                    depth = 0
                    for ch in text:
                        depth += ch in "（("
                        assert depth <= 1, text
                        depth -= ch in "）)"


def test_the_journey_shows_what_really_satisfied_the_card_and_keypads_say_what_they_expect(store: Any) -> None:
    """The materials view carries the plain lines; the phone keypad that follows says 11 digits."""
    from kiosk.journey import CardInserted, Journey, JourneySettings, Next, State, Tap
    from kiosk.journey.work import WorkContext
    from tests.core.journey_drive import drive

    ctx = WorkContext("k01", CAT)
    j = Journey(CAT, JourneySettings(kiosk_id="k01"))
    j.handle(Tap("business"))
    drive(j, store, j.handle(CardInserted(_card())), ctx)
    if j.state is State.CATEGORIES:
        j.handle(Tap(next(c.key for c in j.view().choices)))
    # The pension certification's page asks nothing (the card is its one material) and is skipped; the concession
    # card's page shows the card's line beside the photo it still needs.
    j.handle(Tap("elderly_preferential_card"))
    drive(j, store, j.handle(Next()), ctx)
    assert j.state is State.MATERIALS
    materials = j.view().materials
    assert materials is not None
    lines = materials.lines
    assert lines[0].text.zh == "居民身份证：已在本机读取，不用交纸质材料"
    assert len(lines) == 2 and "照片" in lines[1].text.zh
    drive(j, store, j.handle(Next()), ctx)
    v = j.view()
    assert j.state is State.FORM and v.keypad is not None and v.keypad.expects is not None
    assert v.keypad.expects.zh.startswith("11位手机号码") and "11-digit" in v.keypad.expects.en
