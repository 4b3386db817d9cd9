"""A card reader lost or never configured: each screen that would ask for a card says why once, in its prompt,
with what still works there, and offers nothing that needs a card (no banner repeating it)."""

from __future__ import annotations

import datetime as dt

from kiosk.catalog.loader import load_bundled_catalog
from kiosk.identity import CardType, IdentityRecord
from kiosk.journey import CardInserted, DeviceStatus, Journey, JourneySettings, State, Tap
from kiosk.messages import Message

CATALOG = load_bundled_catalog()
NOW = dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC)
BROKEN = Message("读卡器无响应。", "The card reader does not answer.")


def journey() -> Journey:
    return Journey(CATALOG, JourneySettings(kiosk_id="k01"), clock=lambda: NOW)


def _adult() -> IdentityRecord:
    return IdentityRecord(CardType.RESIDENT, name="王小明", id_number="110105199107080025",
                          birth_date=dt.date(1991, 7, 8), valid_until=dt.date(2036, 1, 1))


def test_home_says_it_once_in_its_prompt() -> None:
    j = journey()
    j.handle(DeviceStatus("card_reader", False, BROKEN))
    v = j.view()
    assert [c.key for c in v.choices] == ["ticket", "volunteer"]
    assert v.banner is None
    assert v.prompt == Message("读卡器无响应。也可以取号或呼叫志愿者。",
                               "The card reader does not answer. You can still take a number or call a volunteer.")


def test_lost_on_identify_asks_for_no_card_and_offers_no_proxy() -> None:
    j = journey()
    j.handle(Tap("business"))
    assert j.view().cards is None and [c.key for c in j.view().choices] == ["proxy"]
    j.handle(DeviceStatus("card_reader", False, BROKEN))
    v = j.view()
    assert j.state is State.IDENTIFY and v.choices == () and v.banner is None
    assert v.cards is not None and not v.cards.card_readable
    assert v.prompt.zh == "读卡器无响应。可以回首页取号，或请工作人员、志愿者帮忙。"
    assert v.prompt.en == ("The card reader does not answer. You can go back to take a number, or ask staff or a "
                           "volunteer for help.")
    j.handle(Tap("proxy"))  # a tap from before: nothing
    assert j.state is State.IDENTIFY
    j.handle(DeviceStatus("card_reader", True, None))
    assert [c.key for c in j.view().choices] == ["proxy"] and j.view().cards is None


def test_lost_while_acting_for_someone_the_number_can_still_be_typed() -> None:
    j = journey()
    j.handle(Tap("business"))
    j.handle(Tap("proxy"))
    j.handle(DeviceStatus("card_reader", False, BROKEN))
    v = j.view()
    assert j.state is State.PROXY_AGENT and v.cards is not None and not v.cards.card_readable
    assert v.prompt.zh.startswith("读卡器无响应。可以回首页取号")
    j.handle(DeviceStatus("card_reader", True, None))
    j.handle(CardInserted(_adult()))
    assert j.state is State.PROXY_PRINCIPAL and j.view().cards.card_readable  # type: ignore[union-attr]
    j.handle(DeviceStatus("card_reader", False, BROKEN))
    v = j.view()
    assert v.cards is not None and not v.cards.card_readable and v.cards.agent_name == "王**"  # masked
    assert [c.key for c in v.choices] == ["type_id"]
    assert v.prompt.zh == "读卡器无响应。可以输入被代办人的身份证号，或请工作人员、志愿者帮忙。"
    j.handle(Tap("type_id"))
    assert j.state is State.PROXY_TYPED
