"""Fixtures for the driver tests: a private pcscd (vsmartcard-vpcd readers) per test, one socket path per run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.drivers.pcsc_stack import PrivatePcscd


@pytest.fixture(scope="session")
def pcsc_run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder where every private pcscd of this run puts its socket.

    libpcsclite reads PCSCLITE_CSOCK_NAME once per process, so the path is fixed for the whole session and
    set before the first PC/SC context is made.
    """
    run_dir = tmp_path_factory.mktemp("pcscd-run")
    os.environ["PCSCLITE_CSOCK_NAME"] = str(run_dir / "pcscd.comm")
    return run_dir


@pytest.fixture
def pcscd(pcsc_run_dir: Path, tmp_path: Path) -> Iterator[PrivatePcscd]:
    daemon = PrivatePcscd(pcsc_run_dir, tmp_path / "reader.conf.d")
    yield daemon
    daemon.stop()
