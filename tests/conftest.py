"""Shared fixtures: a fresh data dir and store per test, the project's test data folder (tests/data), offscreen Qt."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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


@pytest.fixture(scope="session")
def shared_testdata(testdata: Path) -> Path:
    """Old name of `testdata`, kept until the benchmarks in tests/bench use the new one; also tests/data."""
    return testdata
