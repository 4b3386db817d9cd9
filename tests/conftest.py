"""Shared fixtures: a fresh data dir and store per test, the shared test data folder, offscreen Qt."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SHARED_TESTDATA = ROOT.parent / "shared" / "testdata"


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
def shared_testdata() -> Path:
    assert SHARED_TESTDATA.is_dir(), f"shared test data missing at {SHARED_TESTDATA}"
    return SHARED_TESTDATA
