"""Fixtures for the driver tests: a private pcscd (vsmartcard-vpcd readers) per test, one socket path per run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.drivers.pcsc_stack import PrivatePcscd


@pytest.fixture(scope="session")
def pcsc_run_dir() -> Path:
    """The folder where every private pcscd of this run puts its socket.

    libpcsclite reads PCSCLITE_CSOCK_NAME once per process, so tests/conftest.py fixes the path for the whole
    run before the first PC/SC context is made (by any test).
    """
    return Path(os.environ["PCSCLITE_CSOCK_NAME"]).parent


@pytest.fixture
def pcscd(pcsc_run_dir: Path, tmp_path: Path) -> Iterator[PrivatePcscd]:
    daemon = PrivatePcscd(pcsc_run_dir, tmp_path / "reader.conf.d")
    yield daemon
    daemon.stop()
