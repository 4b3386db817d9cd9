"""Pulling hub data into the kiosk: ETags, validation with the last good copy kept, deltas, hub keys, codes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from kiosk.catalog.loader import CatalogRepository
from kiosk.codes.trust_store import load_trust_material
from kiosk.codes.verdict import VerdictKind
from kiosk.codes.verify import OnlineUnavailable, verify_payload
from kiosk.store.db import Store
from sync.client import HubClient
from sync.hub.embedded import EmbeddedHub, start_embedded_hub
from sync.online_verifier import HubOnlineVerifier
from sync.pull import pull_all, pull_authorizations, pull_dataset
from tests.sync.conftest import kiosk_config, make_trust_list


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[EmbeddedHub]:
    h = start_embedded_hub(tmp_path / "hub.db")
    yield h
    h.stop()


@pytest.fixture
def client(hub: EmbeddedHub) -> Iterator[HubClient]:
    c = HubClient(hub.url, hub.token_for("kiosk-a"), timeout=5)
    yield c
    c.close()


def test_first_pull_stores_everything_then_304_keeps_it(hub: EmbeddedHub, client: HubClient,
                                                       kiosk_store: Store) -> None:
    results = {r.name: r.outcome for r in pull_all(kiosk_store, client)}
    # Nothing published by an operator yet: no trust list (never the bundled demo copy) and no hub keys.
    assert results == {"catalog": "updated", "trust-list": "not_published", "hub-keys": "not_published",
                       "roster": "updated", "settings": "updated", "authorizations": "unchanged",
                       "placement": "not_published"}  # a kiosk added without --hall: no slot from the hub
    assert kiosk_store.cache_get("hub_unpublished:trust_list") is not None
    hub.hub.datasets.publish("trust-list", make_trust_list())
    results = {r.name: r.outcome for r in pull_all(kiosk_store, client)}
    assert results["trust-list"] == "updated" and kiosk_store.cache_get("hub_unpublished:trust_list") is None
    first = kiosk_store.cache_get("catalog")
    assert first is not None and first["etag"]
    again = {r.name: r.outcome for r in pull_all(kiosk_store, client)}
    assert again["catalog"] == again["roster"] == again["trust-list"] == "unchanged"
    second = kiosk_store.cache_get("catalog")
    assert second is not None and second["fetched_at"] >= first["fetched_at"] and second["body"] == first["body"]


def test_broken_catalog_is_refused_and_last_good_kept(hub: EmbeddedHub, client: HubClient, kiosk_store: Store) -> None:
    good = json.loads(hub.hub.datasets.get("catalog")[0])  # type: ignore[index]
    good["version"] = "2099.1.1"
    hub.hub.datasets.publish("catalog", json.dumps(good, ensure_ascii=False))
    assert pull_dataset(kiosk_store, client, "catalog").outcome == "updated"
    assert CatalogRepository(kiosk_store).current().version == "2099.1.1"
    broken = dict(good, items="not a list", version="2099.2.2")
    hub.hub.datasets.publish("catalog", json.dumps(broken, ensure_ascii=False))
    result = pull_dataset(kiosk_store, client, "catalog")
    assert result.outcome == "refused"
    assert CatalogRepository(kiosk_store).current().version == "2099.1.1"


def test_the_roster_a_kiosk_pulls_holds_no_pin_material(hub: EmbeddedHub, client: HubClient,
                                                        kiosk_store: Store) -> None:
    """Issue 17: PIN hashes stay on the hub (the badge checks a PIN at the kiosk); the kiosk refuses any it is
    sent (replaces the earlier rule that the roster carried argon2 hashes only)."""
    from kiosk.messages import KioskError
    from sync.pull import validate_roster

    pin_hash = PasswordHasher().hash("246813")
    roster = {"version": 2, "members": [{"id": "v-001", "role": "volunteer", "display_name": "张三",
                                         "badge_uid": "04A1B2C3", "pin_hash": pin_hash, "pin": "246813"}]}
    hub.hub.datasets.publish("roster", json.dumps(roster))
    assert pull_dataset(kiosk_store, client, "roster").outcome == "updated"
    row = kiosk_store.cache_get("roster")
    assert row is not None
    assert json.loads(row["body"])["members"] == [{"id": "v-001", "role": "volunteer", "display_name": "张三",
                                                    "badge_uid": "04A1B2C3"}]
    for leak in ({"pin_hash": pin_hash}, {"pin": "1357"}):
        body = {"version": 3, "members": [{"id": "v-002", "role": "staff", **leak}]}
        with pytest.raises(KioskError):
            validate_roster(json.dumps(body).encode())


def test_bad_trust_list_is_refused(hub: EmbeddedHub, client: HubClient, kiosk_store: Store) -> None:
    hub.hub.datasets.publish("trust-list", make_trust_list())
    assert pull_dataset(kiosk_store, client, "trust-list").outcome == "updated"
    before = kiosk_store.cache_get("trust_list")
    bad = [{"certificateType": "DSC", "kid": "AAAA", "rawData": "bm90IGEgY2VydA=="}]
    hub.hub.datasets.publish("trust-list", json.dumps(bad))
    assert pull_dataset(kiosk_store, client, "trust-list").outcome == "refused"
    after = kiosk_store.cache_get("trust_list")
    assert after is not None and before is not None and after["body"] == before["body"]


def test_authorizations_arrive_as_a_delta_with_hashed_ids(hub: EmbeddedHub, client: HubClient,
                                                         kiosk_store: Store) -> None:
    principal, agent = "440106195001011234", "44010619850202567X"
    for i in range(3):
        hub.hub.authorizations.put({"id": f"auth-{i}", "principal_id_number": principal, "agent_id_number": agent,
                                   "scope": "all", "valid_from": "2026-01-01", "valid_until": "2027-01-01"})
    assert pull_authorizations(kiosk_store, client).detail == "3 changed"
    assert pull_authorizations(kiosk_store, client).detail == "0 changed"
    hub.hub.authorizations.put({"id": "auth-1", "principal_id_number": principal, "agent_id_number": agent,
                               "scope": "all", "valid_from": "2026-01-01", "valid_until": "2027-01-01",
                               "revoked": True})
    assert pull_authorizations(kiosk_store, client).detail == "1 changed"
    rows = kiosk_store.conn.execute("SELECT id, principal_hmac, revoked FROM authorizations ORDER BY id").fetchall()
    assert [(r["id"], r["revoked"]) for r in rows] == [("auth-0", 0), ("auth-1", 1), ("auth-2", 0)]
    assert rows[0]["principal_hmac"] == kiosk_store.lookup_hash(principal)
    raw = kiosk_store.path.read_bytes() + kiosk_store.path.with_name("kiosk.db-wal").read_bytes()
    assert principal.encode() not in raw and agent.encode() not in raw


def _appointment(n: int, days: int = 2) -> dict[str, object]:
    now = dt.datetime.now(dt.UTC)
    return {"typ": "appointment", "iss": "demo-hall-hub", "iat": now, "exp": now + dt.timedelta(days=days),
            "appt_id": f"appt-{n}", "service_code": "social_security", "hall_id": "demo-hall",
            "slot_start": int(now.timestamp()), "slot_end": int(now.timestamp()) + 1800}


def test_codes_signed_before_a_key_rotation_still_verify(hub: EmbeddedHub, client: HubClient, kiosk_store: Store,
                                                          tmp_path: Path) -> None:
    old_code = hub.hub.signing.sign(_appointment(1))
    hub.hub.signing.sign(_appointment(9, days=90))  # a long-lived code keeps the old key published for as long
    old_kid = hub.hub.signing.active()[0]  # type: ignore[index]
    new_kid = hub.hub.signing.rotate()
    until = hub.hub.db.one("SELECT publish_until FROM signing_keys WHERE kid=?", (old_kid,))[0]  # type: ignore[index]
    assert dt.datetime.fromisoformat(until) >= dt.datetime.now(dt.UTC) + dt.timedelta(days=89)
    new_code = hub.hub.signing.sign(_appointment(2))
    published = [k["kid"] for k in hub.hub.signing.public()]
    assert len(published) == 2 and new_kid != old_kid
    assert pull_dataset(kiosk_store, client, "hub-keys").outcome == "updated"
    cfg = kiosk_config(tmp_path / "kiosk", hub.url)
    trust = load_trust_material(kiosk_store, cfg)
    now = dt.datetime.now(dt.UTC)
    assert verify_payload(old_code, trust=trust, now=now).verdict is VerdictKind.VALID
    assert verify_payload(new_code, trust=trust, now=now).verdict is VerdictKind.VALID
    # Once the old key's codes have expired it is no longer published.
    hub.hub.db.execute("UPDATE signing_keys SET publish_until=? WHERE kid=?", ("2000-01-01T00:00:00+00:00", old_kid))
    assert [k["kid"] for k in hub.hub.signing.public()] == [published[1]]


def test_online_codes_verify_through_the_hub_and_say_offline_honestly(hub: EmbeddedHub, client: HubClient) -> None:
    hub.hub.codes.register("GDHC:abcdef123456", issuer="gd-health", expires_at="2999-01-01T00:00:00+00:00")
    verifier = HubOnlineVerifier(client)
    v = verify_payload("GDHC:abcdef123456", trust=None, now=dt.datetime.now(dt.UTC), online=verifier)  # type: ignore[arg-type]
    assert v.verdict is VerdictKind.VALID and v.issuer == "gd-health"
    assert verifier.verify_online("GDHC:zzzzzzzzzzzz").verdict is VerdictKind.UNKNOWN_ISSUER
    hub.stop()
    with pytest.raises(OnlineUnavailable):
        verifier.verify_online("GDHC:abcdef123456")
