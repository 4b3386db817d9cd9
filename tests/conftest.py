"""Shared fixtures: a fresh data dir and store per test, the project's test data folder (tests/data), offscreen Qt."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis judges the speed of example generation; on a shared 2-core machine one draw can take a second. Speed
# is the benchmarks' business (tests/bench), so property tests check properties only.
settings.register_profile("kiosk", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("kiosk")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# libpcsclite reads PCSCLITE_CSOCK_NAME once per process, at the first PC/SC call, whichever test makes it (an
# in-process `kiosk doctor` does). Fix it for the whole run before any test: the private pcscd of the driver tests
# puts its socket there, and no test ever reaches the machine's own pcscd.
PCSC_RUN_DIR = Path(tempfile.mkdtemp(prefix="kiosk-tests-pcscd-"))
os.environ["PCSCLITE_CSOCK_NAME"] = str(PCSC_RUN_DIR / "pcscd.comm")
atexit.register(shutil.rmtree, PCSC_RUN_DIR, True)

ROOT = Path(__file__).resolve().parents[1]
# Public test vectors the tests read live inside the project (a fresh clone has nothing beside it).
TESTDATA = ROOT / "tests" / "data"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture
def store(data_dir: Path) -> Iterator[object]:
    from kiosk.store import open_store

    s = open_store(data_dir)
    yield s
    s.close()


@pytest.fixture(scope="session")
def testdata() -> Path:
    assert TESTDATA.is_dir(), f"test data missing at {TESTDATA}"
    return TESTDATA
