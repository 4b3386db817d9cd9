"""Fixtures for code tests: fresh signing keys (generated per session, never stored) and trust material."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import cbor2
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.codes import cose, transport
from kiosk.codes.trust import (
    TrustMaterial,
    TrustSet,
    dgcg_kid,
    hub_key_entry,
    key_id,
    parse_hub_keys,
    parse_trust_list,
    trust_list_entry,
)

NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def hub_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="session")
def hub_kid(hub_key: ec.EllipticCurvePrivateKey) -> bytes:
    return key_id(hub_key.public_key())


@pytest.fixture(scope="session")
def hub_trust(hub_key: ec.EllipticCurvePrivateKey) -> TrustSet:
    body = json.dumps([hub_key_entry(hub_key.public_key(), not_after=NOW + dt.timedelta(days=365))]).encode()
    return TrustSet(parse_hub_keys(body))


def make_dsc(key: Any, *, days: int = 3650, eku: list[str] | None = None,
             not_before: dt.datetime | None = None) -> bytes:
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test issuer")])
    start = not_before or NOW - dt.timedelta(days=30)
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(start)
               .not_valid_after(start + dt.timedelta(days=days)))
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage([x509.ObjectIdentifier(o) for o in eku]), False)
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


@pytest.fixture(scope="session")
def dsc_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="session")
def dsc_der(dsc_key: ec.EllipticCurvePrivateKey) -> bytes:
    return make_dsc(dsc_key)


@pytest.fixture(scope="session")
def dsc_trust(dsc_der: bytes) -> TrustSet:
    return TrustSet(parse_trust_list(json.dumps([trust_list_entry(dsc_der, "CN")]).encode()))


@pytest.fixture(scope="session")
def trust(dsc_trust: TrustSet, hub_trust: TrustSet) -> TrustMaterial:
    return TrustMaterial(dsc_trust, hub_trust)


HCERT = {"ver": "1.3.0", "nam": {"fn": "Chen", "fnt": "CHEN", "gn": "Mei", "gnt": "MEI"}, "dob": "1950-01-02",
         "v": [{"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215", "dn": 2,
                "sd": 2, "dt": "2027-01-02", "co": "CN", "is": "Test issuer", "ci": "URN:UVCI:01:CN:TEST#1"}]}


def make_dcc(key: Any, kid: bytes, *, iat: dt.datetime = NOW - dt.timedelta(days=1),
             exp: dt.datetime = NOW + dt.timedelta(days=100), hcert: dict[str, Any] | None = None) -> str:
    claims = {1: "CN", 6: int(iat.timestamp()), 4: int(exp.timestamp()), -260: {1: hcert or HCERT}}
    return transport.wrap(cose.sign_es256(cbor2.dumps(claims), key, kid), "HC1:")


@pytest.fixture
def dcc_payload(dsc_key: ec.EllipticCurvePrivateKey, dsc_der: bytes) -> str:
    return make_dcc(dsc_key, dgcg_kid(dsc_der))
