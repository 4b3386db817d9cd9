"""CodeChecker: store-backed trust that follows fresh downloads, configured skew and clock."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from kiosk.codes import trust_store
from kiosk.codes.checker import CodeChecker
from kiosk.codes.trust import trust_list_entry
from kiosk.config import KioskConfig
from tests.codes.conftest import NOW


def test_checker_follows_new_trust_lists_and_ages(store, data_dir: Path, dsc_der: bytes,  # type: ignore[no-untyped-def]
                                                  dcc_payload: str) -> None:
    clock_now = [NOW]
    cfg = KioskConfig.model_validate({"data_dir": str(data_dir), "codes": {"trust_list_max_age_hours": 24}})
    checker = CodeChecker(store, cfg, clock=lambda: clock_now[0])
    # First start: nothing fetched yet, nothing trusted (never the bundled demo list).
    first_start = checker.check(dcc_payload)
    assert first_start.verdict == "trust_list_stale" and first_start.detail == "no trust list"
    assert store.cache_get("trust_list") is None and store.cache_get("hub_keys") is None
    # The sync worker stores a list with the issuer: the next check uses it without a restart.
    trust_store.save(store, "trust_list", json.dumps([trust_list_entry(dsc_der, "CN")]).encode(), fetched_at=NOW)
    assert checker.check(dcc_payload).verdict == "valid"
    first = checker.trust()
    assert checker.trust() is first  # not parsed again while nothing new was stored
    clock_now[0] = NOW + dt.timedelta(hours=25)
    assert checker.check(dcc_payload).verdict == "trust_list_stale"


def test_checker_uses_the_configured_skew(store, data_dir: Path, dsc_der: bytes,  # type: ignore[no-untyped-def]
                                          dsc_key) -> None:  # type: ignore[no-untyped-def]
    from kiosk.codes.trust import dgcg_kid
    from tests.codes.conftest import make_dcc

    trust_store.save(store, "trust_list", json.dumps([trust_list_entry(dsc_der, "CN")]).encode(), fetched_at=NOW)
    early = make_dcc(dsc_key, dgcg_kid(dsc_der), iat=NOW + dt.timedelta(seconds=100))
    strict = CodeChecker(store, KioskConfig.model_validate({"data_dir": str(data_dir),
                                                            "codes": {"clock_skew_seconds": 10}}), clock=lambda: NOW)
    lenient = CodeChecker(store, KioskConfig(data_dir=data_dir), clock=lambda: NOW)
    assert strict.check(early).verdict == "not_yet_valid"
    assert lenient.check(early).verdict == "valid"


def test_the_real_checker_refuses_the_demo_codes_until_the_demo_installs_its_trust(  # type: ignore[no-untyped-def]
        store, data_dir: Path) -> None:
    from drivers.scanner.simulated import load_payloads

    demo_day = dt.datetime(2027, 6, 1, tzinfo=dt.UTC)
    checker = CodeChecker(store, KioskConfig(data_dir=data_dir), clock=lambda: demo_day)
    dcc, grant, cert, appt = load_payloads()[:4]
    refused = [checker.check(p) for p in (dcc, grant, cert, appt)]
    assert [(v.verdict, v.detail) for v in refused] == [("trust_list_stale", "no trust list")] + \
        [("trust_list_stale", "no hub keys")] * 3
    assert all(v.alternatives == ("id_card", "staff_paper_proof") for v in refused)
    trust_store.install_demo_trust(store, now=demo_day)  # what `kiosk demo` does at start
    assert [checker.check(p).verdict for p in (dcc, grant, cert, appt)] == ["valid"] * 4
