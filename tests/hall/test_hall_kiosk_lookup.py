"""The kiosk's composition asks a real hub process (`ui.app.HubLookups`): has a volunteer taken this help request,
and which mobile number does the hall already know for this person."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kiosk.catalog import load_bundled_catalog
from kiosk.identity import CardType, IdentityRecord
from kiosk.services import request_help, submit_items
from kiosk.session import Session
from sync.help_status import HelpStatus
from tests.hall.conftest import HallHub
from tests.sync.conftest import kiosk_config

ID = "11010519491231002X"


def _token_file(tmp_path: Path, token: str) -> Path:
    path = tmp_path / "kiosk.token"
    path.write_text(token + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def test_composition_reports_the_claiming_volunteer_only_after_the_claim(hall: HallHub, kiosk_factory,
                                                                          tmp_path: Path) -> None:
    from ui.app import HubLookups

    k = kiosk_factory("kiosk-a")
    lookups = HubLookups.of(kiosk_config(tmp_path / "kiosk-ui", hall.url,
                                         token_file=_token_file(tmp_path, hall.tokens["kiosk-a"])))
    assert lookups is not None
    hid = request_help(k.store, None, "kiosk-a")
    assert lookups.help_status(hid) is None  # still queued: the screen must not say anyone is coming
    k.deliver()
    assert lookups.help_status(hid) == HelpStatus("open", None)
    assert hall.person("v1").act(f"/v1/help-requests/{hid}/claim").status_code == 200
    assert lookups.help_status(hid) == HelpStatus("claimed", "张三")


def test_composition_offers_the_phone_another_kiosk_was_given(hall: HallHub, kiosk_factory, tmp_path: Path) -> None:
    from ui.app import HubLookups

    a = kiosk_factory("kiosk-a")
    s = Session()
    s.identify(IdentityRecord(CardType.RESIDENT, name="王老太", id_number=ID, birth_date=dt.date(1949, 12, 31)))
    s.select_items(["pension_qualification"])
    submit_items(a.store, s, load_bundled_catalog(), "kiosk-a", {"phone": "13800138000"})
    lookups = HubLookups.of(kiosk_config(tmp_path / "kiosk-b-ui", hall.url,
                                         token_file=_token_file(tmp_path, hall.tokens["kiosk-b"])))
    assert lookups is not None
    assert lookups.known_phone(ID) is None  # kiosk A's record has not reached the hub yet
    a.deliver()
    assert lookups.known_phone(ID) == "13800138000"


def test_no_hub_or_no_token_means_no_lookup(tmp_path: Path) -> None:
    from ui.app import HubLookups

    assert HubLookups.of(kiosk_config(tmp_path / "a", None)) is None
    assert HubLookups.of(kiosk_config(tmp_path / "b", "http://127.0.0.1:9", token_file=None)) is None
    # A token file that is missing: the look-ups answer "don't know" rather than failing the screen.
    missing = HubLookups.of(kiosk_config(tmp_path / "c", "http://127.0.0.1:9", token_file=tmp_path / "nope"))
    assert missing is not None and missing.help_status("any-id") is None and missing.known_phone(ID) is None
