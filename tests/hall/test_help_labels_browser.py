"""The help page says a call in a volunteer's words, in Debian's chromium against a real hub process: the kiosk's
place in the hall (`kiosk-hub kiosk add … --location`), the screen's title and the item's name, never the raw state
or item code; a kiosk or item the hub does not know still shows its code rather than nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sync.hub.help_labels import labels
from tests.hall.conftest import HallHub
from tests.hall.test_hall_browser import browser, hall, kiosk_help, shot, sign_in  # noqa: F401 (fixtures)
from tests.sync.conftest import ROOT


def test_help_cards_name_the_place_the_screen_and_the_item(browser, hall: HallHub, kiosk_factory,  # noqa: F811
                                                           tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "sync.hub.cli", "kiosk", "add", "kiosk-b", "--hall", "gz-tianhe",
                          "--location", "3楼东侧", "--db", hall.db_url], capture_output=True, text=True, cwd=ROOT,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    hall.tokens["kiosk-b"] = out.stdout.splitlines()[0]  # the re-issued token
    assert labels(hall.admin)["kiosks"]["kiosk-b"] == {"hall": "gz-tianhe", "location": "3楼东侧"}
    page = sign_in(browser, hall, "v1", "/hall/help")
    page.wait_for_selector("#help-empty:not([hidden])")
    kb, ka = kiosk_factory("kiosk-b"), kiosk_factory("kiosk-a")
    placed = kiosk_help(kb, elderly=True, screen="review", item_code="pension_qualification")
    kb.deliver()
    unknown = kiosk_help(ka, elderly=False, screen="proxy_agent", item_code="NOT-IN-CATALOG")
    ka.deliver()
    page.wait_for_selector(f'li[data-id="{placed}"]', timeout=3000)
    page.wait_for_function(f'document.querySelector(\'li[data-id="{placed}"]\').innerText.includes("3楼东侧")',
                           timeout=3000)  # the labels arrive once, the cards are drawn again with them
    text = page.inner_text(f'li[data-id="{placed}"]')  # cards are redrawn: read the current one
    assert "3楼东侧 · 终端 kiosk-b" in text
    assert "停在「请核对」页 · on “Please check”" in text and "review" not in text
    assert "事项：养老金领取资格认证 · Pension eligibility certification" in text
    assert "pension_qualification" not in text
    other = page.inner_text(f'li[data-id="{unknown}"]')
    assert "终端 kiosk-a" in other and "停在「替他人办理（代办）」页" in other  # a state without its own title
    assert "事项 NOT-IN-CATALOG" in other  # unknown to the catalog: its code, not nothing
    shot(page, "help-labels")


def test_fleet_shows_slots_places_and_numbers_two_kiosks_share(browser, hall: HallHub, kiosk_factory,  # noqa: F811
                                                               tmp_path: Path) -> None:
    from kiosk.tickets import TicketNumbering, take_ticket

    out = subprocess.run([sys.executable, "-m", "sync.hub.cli", "kiosk", "add", "kiosk-b", "--hall", "gz-tianhe",
                          "--location", "3楼东侧", "--db", hall.db_url], capture_output=True, text=True, cwd=ROOT,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    hall.tokens["kiosk-b"] = out.stdout.splitlines()[0]
    for name in ("kiosk-a", "kiosk-b"):  # both left at a copied `[tickets] slot = 3`
        k = kiosk_factory(name)
        take_ticket(k.store, kiosk_id=name, numbering=TicketNumbering(3, 10))
        k.deliver()
    page = sign_in(browser, hall, "s1", "/hall/fleet")
    page.wait_for_selector('tr[data-kiosk="kiosk-b"] td.clash', timeout=5000)
    b = page.inner_text('tr[data-kiosk="kiosk-b"]')
    assert "0 号段 · slot 0 — 3楼东侧" in b  # the hall's first free slot
    assert "与 kiosk-a 重号 A3001" in b and "same number as kiosk-a" in b
    assert "与 kiosk-b 重号 A3001" in page.inner_text('tr[data-kiosk="kiosk-a"]')
    assert "重号" not in page.inner_text('tr[data-kiosk="kiosk-c"]')
    shot(page, "fleet-clash")
