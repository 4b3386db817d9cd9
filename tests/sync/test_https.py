"""HTTPS to the hub: verified against the configured CA bundle, and never silently unverified."""

from __future__ import annotations

import datetime as dt
import ipaddress
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.store.db import Store
from sync.client import HubClient
from sync.hub.server import open_hub
from sync.worker import SyncWorker
from tests.sync.conftest import ROOT, fill_outbox, kiosk_config, wait_for


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_pki(d: Path) -> tuple[Path, Path, Path]:
    """A test CA and a server certificate for 127.0.0.1 signed by it: (ca.pem, cert.pem, key.pem)."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("Test Hall CA")).issuer_name(_name("Test Hall CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name("hub")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = d / "ca.pem", d / "cert.pem", d / "key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


@pytest.fixture
def tls_hub(tmp_path: Path) -> Iterator[tuple[str, Path, str]]:
    ca, cert, key = make_pki(tmp_path)
    db = str(tmp_path / "hub.db")
    hub = open_hub(db)
    token = hub.kiosks.add("kiosk-a")
    proc = subprocess.Popen([sys.executable, "-m", "sync.hub.cli", "serve", "--db", db, "--port", "0",
                             "--tls-cert", str(cert), "--tls-key", str(key)], stdout=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout is not None
    line = proc.stdout.readline().decode().strip()
    assert line.startswith("listening on https://127.0.0.1:"), line
    url = line.removeprefix("listening on ")

    def up() -> bool:
        try:
            return requests.get(url + "/v1/health", verify=str(ca), timeout=1).ok
        except requests.RequestException:
            return False

    wait_for(up, 30, "TLS hub")
    yield url, ca, token
    proc.terminate()
    proc.wait(10)
    proc.stdout.close()
    hub.db.close()


def test_configured_ca_bundle_is_used_and_records_delivered(tls_hub: tuple[str, Path, str], kiosk_store: Store,
                                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url, ca, token = tls_hub
    # A system-wide bundle in the environment must not replace the kiosk's configured CA.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "cert.pem"))
    fill_outbox(kiosk_store, 5)
    cfg = kiosk_config(tmp_path / "kiosk", url).model_copy(update={"ca_bundle": ca})
    worker = SyncWorker(cfg.data_dir, cfg, token=token)
    assert worker.drain_once().delivered == 5
    worker._close_thread_resources()


def test_without_the_ca_the_hub_is_not_trusted_and_nothing_is_sent(tls_hub: tuple[str, Path, str],
                                                                   kiosk_store: Store, tmp_path: Path) -> None:
    url, _ca, token = tls_hub
    fill_outbox(kiosk_store, 2)
    client = HubClient(url, token)
    assert client.session.verify is True
    with pytest.raises(requests.exceptions.SSLError):
        client.post_batch("kiosk-a", [])
    client.close()
    cfg = kiosk_config(tmp_path / "kiosk", url)
    worker = SyncWorker(cfg.data_dir, cfg, token=token)
    worker._online = True
    result = worker.drain_once()
    worker._close_thread_resources()
    assert result.delivered == 0 and result.retried == 2
    assert worker.status().last_error == "network: SSLError"
