"""Pulling hub data sets: conditional GET with ETag, validate, swap atomically; a bad copy keeps the last good.

Data sets: catalog, trust list, hub keys, roster (PIN hashes only), kiosk settings (all in `hub_cache`), and
registered authorizations (a delta since a cursor, into the `authorizations` table), and this kiosk's placement
(hall, ticket slot, place) from `GET /v1/placement`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from kiosk.locale import phrase
from kiosk.messages import KioskError
from kiosk.store.db import Store
from sync.client import HubClient

log = logging.getLogger(__name__)
DATASETS = ("catalog", "trust-list", "hub-keys", "roster", "settings")
# Hub endpoint name → `hub_cache` row name (trust material rows are the ones `kiosk.codes.trust_store` reads).
CACHE_NAMES = {"catalog": "catalog", "trust-list": "trust_list", "hub-keys": "hub_keys", "roster": "roster",
               "settings": "settings"}
AUTH_CURSOR = "authorizations-cursor"
PLACEMENT = "placement"  # `hub_cache` row of this kiosk's hall, ticket slot and place (kiosk/tickets.py reads it)
UNPUBLISHED_PREFIX = "hub_unpublished:"  # + cache name: the hub answered that it publishes no such data set


def _mark_unpublished(store: Store, cache_name: str, unpublished: bool) -> None:
    marker = UNPUBLISHED_PREFIX + cache_name
    if unpublished:
        store.cache_put(marker, b"{}", None)
    elif store.cache_get(marker) is not None:
        with store.transaction() as c:
            c.execute("DELETE FROM hub_cache WHERE name=?", (marker,))


def _invalid(name: str, reason: str) -> KioskError:
    return KioskError(f"{name.replace('-', '_')}_invalid",
                      phrase("sync.pull.hub_data_set_refused", name=name, reason=reason),
                      detail=reason)


def _json(body: bytes, name: str) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _invalid(name, f"not JSON ({type(exc).__name__})") from None


def validate_trust_list(body: bytes) -> None:
    from kiosk.codes.trust import parse_trust_list

    parse_trust_list(body)  # raises KioskError(trust_material_invalid)


def validate_hub_keys(body: bytes) -> None:
    from kiosk.codes.trust import parse_hub_keys

    parse_hub_keys(body)


def validate_roster(body: bytes) -> None:
    """Staff and volunteers (id, role, display name, badge UID); PIN material of any kind refuses the whole roster:
    a PIN is checked by the badge itself, and the hall pages' PIN hashes never leave the hub."""
    data = _json(body, "roster")
    members = data.get("members") if isinstance(data, dict) else None
    if not isinstance(members, list):
        raise _invalid("roster", "expected {members: [...]}")
    for m in members:
        if not isinstance(m, dict) or not isinstance(m.get("id"), str) or m.get("role") not in ("staff", "volunteer"):
            raise _invalid("roster", "each member needs id and role staff|volunteer")
        if "pin" in m or "pin_hash" in m:
            raise _invalid("roster", f"member {m['id']} carries PIN material")


def validate_settings(body: bytes) -> None:
    data = _json(body, "settings")
    if not isinstance(data, dict) or not isinstance(data.get("settings", {}), dict):
        raise _invalid("settings", "expected a JSON object")


def _accept_catalog(store: Store, body: bytes, etag: str | None) -> None:
    from kiosk.catalog.loader import CatalogRepository

    CatalogRepository(store).accept(body, etag)  # refuses a broken catalog, keeps the last good one


VALIDATORS: dict[str, Callable[[bytes], None]] = {
    "trust-list": validate_trust_list, "hub-keys": validate_hub_keys, "roster": validate_roster,
    "settings": validate_settings,
}


@dataclass(frozen=True)
class PullResult:
    name: str
    outcome: str  # updated | unchanged | refused | failed | not_published
    detail: str | None = None


def pull_dataset(store: Store, client: HubClient, name: str) -> PullResult:
    cache_name = CACHE_NAMES[name]
    row = store.cache_get(cache_name)
    etag = row["etag"] if row is not None else None
    try:
        fetched = client.fetch(name, etag)
    except requests.RequestException as exc:
        return PullResult(name, "failed", type(exc).__name__)
    if fetched.status == 404:
        _mark_unpublished(store, cache_name, True)  # `kiosk doctor` says so
        return PullResult(name, "not_published")  # keep what we have (e.g. the bundled copy)
    _mark_unpublished(store, cache_name, False)
    if fetched.status == 304 and row is not None:
        store.cache_put(cache_name, row["body"], etag)  # confirmed current: its age starts again
        return PullResult(name, "unchanged")
    body = fetched.body or b""
    try:
        if name == "catalog":
            _accept_catalog(store, body, fetched.etag)
        else:
            VALIDATORS[name](body)
            store.cache_put(cache_name, body, fetched.etag)
    except KioskError as exc:
        log.warning("hub data set refused; last good copy kept", extra={"dataset": name, "reason": exc.detail})
        return PullResult(name, "refused", exc.detail)
    return PullResult(name, "updated")


def pull_authorizations(store: Store, client: HubClient) -> PullResult:
    """Registered proxy authorizations changed since our cursor; ID numbers are stored only as lookup hashes."""
    row = store.cache_get(AUTH_CURSOR)
    cursor = int(json.loads(row["body"])["cursor"]) if row is not None else 0
    changed = 0
    while True:
        try:
            fetched = client.fetch("authorizations", params={"since": cursor})
        except requests.RequestException as exc:
            return PullResult("authorizations", "failed", type(exc).__name__)
        data = _json(fetched.body or b"{}", "authorizations")
        items, new_cursor = data.get("items", []), int(data.get("cursor", cursor))
        with store.transaction() as c:
            for a in items:
                try:
                    aid = str(a["id"])
                    values = (aid, store.lookup_hash(str(a["principal_id_number"])),
                              store.lookup_hash(str(a["agent_id_number"])), str(a["scope"]), str(a["valid_from"]),
                              str(a["valid_until"]), "hub", int(bool(a.get("revoked", False))))
                except (KeyError, TypeError):
                    log.warning("hub authorization skipped: incomplete")
                    continue
                c.execute("INSERT INTO authorizations(id, principal_hmac, agent_hmac, scope, valid_from, valid_until, "
                          "source, revoked, data_enc) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
                          "principal_hmac=excluded.principal_hmac, agent_hmac=excluded.agent_hmac, "
                          "scope=excluded.scope, valid_from=excluded.valid_from, valid_until=excluded.valid_until, "
                          "revoked=excluded.revoked, data_enc=excluded.data_enc",
                          (*values, store.seal("authorizations", aid, a)))
                changed += 1
            store.cache_put(AUTH_CURSOR, json.dumps({"cursor": new_cursor}).encode(), None)
        if not items or new_cursor == cursor:
            break
        cursor = new_cursor
    return PullResult("authorizations", "updated" if changed else "unchanged", f"{changed} changed")


def validate_placement(body: bytes) -> None:
    """`GET /v1/placement`: {hall, slot, slots, location}; a slot outside its hall's blocks is refused."""
    data = _json(body, "placement")
    if not isinstance(data, dict) or not isinstance(data.get("hall"), str):
        raise _invalid("placement", "expected {hall, slot, slots}")
    slot, slots = data.get("slot"), data.get("slots")
    if not (isinstance(slot, int) and isinstance(slots, int) and 1 <= slots <= 100 and 0 <= slot < slots):
        raise _invalid("placement", "slot must be a block of the hall (0 <= slot < slots <= 100)")


def pull_placement(store: Store, client: HubClient) -> PullResult:
    """This kiosk's ticket slot and place in the hall, kept in `hub_cache` (row `placement`) so it holds offline;
    a hub without one for this kiosk (added without --hall) leaves what the kiosk has."""
    try:
        fetched = client.fetch("placement")
    except requests.RequestException as exc:
        return PullResult(PLACEMENT, "failed", type(exc).__name__)
    if fetched.status == 404:
        return PullResult(PLACEMENT, "not_published")
    body = fetched.body or b""
    try:
        validate_placement(body)
    except KioskError as exc:
        return PullResult(PLACEMENT, "refused", exc.detail)
    row = store.cache_get(PLACEMENT)
    if row is not None and bytes(row["body"]) == body:
        return PullResult(PLACEMENT, "unchanged")
    store.cache_put(PLACEMENT, body, None)
    return PullResult(PLACEMENT, "updated")


def pull_all(store: Store, client: HubClient) -> list[PullResult]:
    results = [pull_dataset(store, client, name) for name in DATASETS]
    results.append(pull_authorizations(store, client))
    results.append(pull_placement(store, client))
    return results
