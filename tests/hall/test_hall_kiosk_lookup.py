"""The kiosk's composition asks the real hub whether a volunteer took its help request (`ui.app.hub_lookups`)."""

from __future__ import annotations

from pathlib import Path

from kiosk.services import request_help
from sync.help_status import HelpStatus
from tests.hall.conftest import HallHub
from tests.sync.conftest import kiosk_config


def test_composition_reports_the_claiming_volunteer_only_after_the_claim(hall: HallHub, kiosk_factory,
                                                                          tmp_path: Path) -> None:
    from ui.app import hub_lookups

    k = kiosk_factory("kiosk-a")
    token_file = tmp_path / "kiosk-a.token"
    token_file.write_text(hall.tokens["kiosk-a"] + "\n", encoding="utf-8")
    token_file.chmod(0o600)
    help_status = hub_lookups(kiosk_config(tmp_path / "kiosk-ui", hall.url, token_file=token_file))
    assert help_status is not None
    hid = request_help(k.store, None, "kiosk-a")
    assert help_status(hid) is None  # still queued: the screen must not say anyone is coming
    k.deliver()
    assert help_status(hid) == HelpStatus("open", None)
    assert hall.person("v1").act(f"/v1/help-requests/{hid}/claim").status_code == 200
    assert help_status(hid) == HelpStatus("claimed", "张三")


def test_no_hub_or_no_token_means_no_lookup(tmp_path: Path) -> None:
    from ui.app import hub_lookups

    assert hub_lookups(kiosk_config(tmp_path / "a", None)) is None
    assert hub_lookups(kiosk_config(tmp_path / "b", "http://127.0.0.1:9", token_file=None)) is None
    # A token file that is missing: the look-up answers "don't know" rather than failing the screen.
    missing = hub_lookups(kiosk_config(tmp_path / "c", "http://127.0.0.1:9", token_file=tmp_path / "nope"))
    assert missing is not None and missing("any-id") is None
