"""The home screen's view without Qt: a large picture of where the card goes, with its words, while the reader
works; none when it does not (the prompt then says why, and what still works)."""

from __future__ import annotations

from kiosk.catalog.loader import load_bundled_catalog
from kiosk.journey import DeviceStatus, Journey, JourneySettings
from kiosk.journey import texts as tx

CATALOG = load_bundled_catalog()


def test_home_shows_where_the_card_goes_while_the_reader_works() -> None:
    j = Journey(CATALOG, JourneySettings(kiosk_id="k01"))
    v = j.view()
    assert v.picture == "card_on_reader" and v.picture_caption == tx.CARD_HERE
    assert "读卡区" in tx.CARD_HERE.zh and "reader" in tx.CARD_HERE.en
    j.handle(DeviceStatus("card_reader", False))
    v = j.view()
    assert v.picture == "" and v.picture_caption is None
    assert "business" not in [c.key for c in v.choices]
