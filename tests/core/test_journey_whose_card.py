"""Whose card is this: after a card is read, the masked name is shown where the list begins ("是 陈** 本人吗？");
for an agent, the person acted for is named."""

from __future__ import annotations

import datetime as dt

from kiosk.catalog.loader import load_bundled_catalog
from kiosk.identity import CardType, IdentityRecord
from kiosk.journey import CardInserted, Journey, JourneySettings, State, Tap

CATALOG = load_bundled_catalog()
NOW = dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC)


def person(name: str, number: str, born: dt.date) -> IdentityRecord:
    return IdentityRecord(CardType.RESIDENT, name=name, id_number=number, birth_date=born,
                          valid_until=dt.date(2036, 1, 1))


def test_the_masked_name_is_shown_where_the_list_begins() -> None:
    j = Journey(CATALOG, JourneySettings(), clock=lambda: NOW)
    j.handle(CardInserted(person("陈桂芳", "440106195403151232", dt.date(1954, 3, 15))))
    assert j.state is State.ITEMS
    whose = j.view().whose.text
    assert whose.zh == "是 陈** 本人吗？" and "陈**" in whose.en and "桂芳" not in whose.zh + whose.en
    j2 = Journey(CATALOG, JourneySettings(), clock=lambda: NOW)
    j2.handle(CardInserted(person("李四", "110105199107080025", dt.date(1991, 7, 8))))
    assert j2.state is State.CATEGORIES and j2.view().whose.text.zh == "是 李* 本人吗？"


def test_an_agent_sees_the_name_of_the_person_acted_for() -> None:
    j = Journey(CATALOG, JourneySettings(), clock=lambda: NOW)
    j.handle(Tap("business"))
    j.handle(Tap("proxy"))
    j.handle(CardInserted(person("李四", "110105199107080025", dt.date(1991, 7, 8))))
    j.handle(CardInserted(person("陈桂芳", "440106195403151232", dt.date(1954, 3, 15))))
    assert j.state is State.ITEMS
    assert j.view().whose.text.zh == "为 陈** 办理，是这个人吗？"


def test_acting_for_someone_names_both_cards_on_every_screen_until_the_review() -> None:
    from kiosk.journey import Badge, Next, Result
    from kiosk.roster import Member
    from kiosk.session import HelperRole

    j = Journey(CATALOG, JourneySettings(), clock=lambda: NOW)
    j.handle(Tap("business"))
    j.handle(Tap("proxy"))
    j.handle(CardInserted(person("李四", "110105199107080025", dt.date(1991, 7, 8))))
    assert j.state is State.PROXY_PRINCIPAL and j.view().cards.agent_name == "李*"
    j.handle(CardInserted(person("陈桂芳", "440106195403151232", dt.date(1954, 3, 15))))
    v = j.view()
    assert v.whose.text.zh == "为 陈** 办理，是这个人吗？" and v.whose.first is True
    j.handle(Tap("elderly_preferential_card"))
    eff = j.handle(Next())
    assert j.state is State.PROXY_CHECKING
    assert (j.view().cards.agent_name, j.view().cards.principal_name) == ("李*", "陈**")
    [find] = [e for e in eff if e.kind == "find_authorization"]
    j.handle(Result("find_authorization", find.token, None))
    assert j.state is State.PROXY_CODE
    assert (j.view().cards.agent_name, j.view().cards.principal_name) == ("李*", "陈**")
    j.handle(Tap("paper"))
    eff = j.handle(Badge("04A1B2C3"))
    staff = Member("S001", HelperRole.STAFF, "张三", "04A1B2C3", None)
    [look] = [e for e in eff if e.kind == "lookup_badge"]
    j.handle(Result("lookup_badge", look.token, staff))
    rows = {k.zh: val for k, val in j.view().rows}
    assert j.state is State.PROXY_PAPER and rows == {"被代办人": "陈**", "代办人": "李*"}
    assert "桂芳" not in repr(j.view())


def test_a_person_alone_is_not_asked_before_choosing_in_landscape() -> None:
    j = Journey(CATALOG, JourneySettings(), clock=lambda: NOW)
    j.handle(CardInserted(person("陈桂芳", "440106195403151232", dt.date(1954, 3, 15))))
    assert j.view().whose.first is False  # one card: the line may wait for a choice where room is short
