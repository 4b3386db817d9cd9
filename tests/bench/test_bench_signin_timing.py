"""An unknown member id answers in the time a known member's wrong PIN does (issue 17: ids cannot be found by
timing). In-process `Auth.login` over a real SQLite hub with a member added as `kiosk-hub member add` does
(argon2id, the library's default cost, as in production); each try from its own source address so the source
throttle stays out of it, and the member's failures forgotten between tries (outside the timing).

Reported: medians of each kind and their ratio, measured in the same run. As a plain test the ratio must lie within
3× either way (a shared 2-core machine); the goal, checked with `--benchmark-enable`, is within 1.25×.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest

from sync.hub.hall import auth as hall_auth
from sync.hub.hall.basics import HallError
from sync.hub.members import add_member
from sync.hub.server import open_hub

TRIES = 15


def _time(fn) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    try:
        fn()
    except HallError as exc:
        assert exc.status == 401, (exc.status, exc.en)
    return time.perf_counter() - t0


def test_unknown_ids_take_the_time_of_a_wrong_pin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  request: pytest.FixtureRequest) -> None:
    monkeypatch.setenv("KIOSK_HUB_DATA_KEY_FILE", str(tmp_path / "hub-data.keys"))
    hub = open_hub(f"sqlite:///{tmp_path / 'hub.db'}")
    try:
        from sync.hub.hall.schema import init_hall_schema

        init_hall_schema(hub.db)
        add_member(hub, "s1", "staff", "王敏", None, "258014")
        a = hall_auth.Auth(hub)
        unknown, wrong = [], []
        for i in range(TRIES):
            unknown.append(_time(lambda i=i: a.login("nobody", "123456", f"10.0.0.{i}")))
            wrong.append(_time(lambda i=i: a.login("s1", "123456", f"10.0.1.{i}")))
            hall_auth.unlock(hub, "s1")
        assert hub.db.one("SELECT COUNT(*) FROM hall_pin_guesses WHERE member_id='nobody'") == (0,)
        mu, mw = statistics.median(unknown), statistics.median(wrong)
        ratio = mu / mw
        print(f"\nsign-in median: unknown id {mu * 1000:.1f} ms, wrong PIN {mw * 1000:.1f} ms, ratio {ratio:.2f}")
        bound = 1.25 if request.config.getoption("benchmark_enable", False) else 3.0
        assert 1 / bound <= ratio <= bound, (mu, mw)
    finally:
        hub.db.close()
