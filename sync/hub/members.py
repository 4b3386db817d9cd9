"""The hall's roster on the hub: who may sign in, with PIN hashes that never leave the hub.

`kiosk-hub publish roster FILE` or `kiosk-hub member add` store the full roster (with argon2 `pin_hash`); kiosks
pull `public_roster` (badge → member, role, display name, no PIN material): a kiosk checks a PIN on the badge.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sync.hub.service import Hub

ROLES = ("staff", "volunteer")
PIN = re.compile(r"\A[0-9]{6}\Z")  # six digits (a million, not ten thousand, and the lock-out holds)
MEMBER_ID = re.compile(r"\A[A-Za-z0-9_.-]{1,64}\Z")
PUBLIC_FIELDS = ("id", "role", "display_name", "badge_uid")


class RosterError(ValueError):
    """A roster or member the hub refuses, with the reason (shown by the CLI)."""


def _members(body: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    data = json.loads(body)
    members = data.get("members") if isinstance(data, dict) else None
    if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
        raise RosterError("a roster is {\"version\": N, \"members\": [{id, role, display_name, badge_uid, pin_hash}]}")
    return data, members


def check_roster(body: str) -> None:
    """Refuse a roster file with a plaintext PIN, a bad role or id (before it is published)."""
    _data, members = _members(body)
    for m in members:
        if "pin" in m:
            raise RosterError(f"member {m.get('id')!r} carries a plaintext PIN; use `kiosk-hub member add "
                              "--pin-stdin` or an argon2 pin_hash")
        if not isinstance(m.get("id"), str) or not MEMBER_ID.match(m["id"]) or m.get("role") not in ROLES:
            raise RosterError(f"member {m.get('id')!r}: needs an id ([A-Za-z0-9_.-]) and role staff|volunteer")


def public_roster(body: str) -> str:
    """The roster kiosks pull: each member's id, role, display name and badge UID, nothing else."""
    data, members = _members(body)
    out = {k: v for k, v in data.items() if k != "members"}
    out["members"] = [{k: m.get(k) for k in PUBLIC_FIELDS} for m in members]
    return json.dumps(out, ensure_ascii=False, sort_keys=True)


def current_roster(hub: Hub) -> str:
    found = hub.datasets.get("roster")
    return found[0] if found is not None else json.dumps({"version": 1, "members": []})


def add_member(hub: Hub, member_id: str, role: str, name: str, badge: str | None, pin: str) -> str:
    """Add or update one member (PIN hashed with argon2id here); publishes the roster and returns its ETag."""
    from argon2 import PasswordHasher

    if not MEMBER_ID.match(member_id):
        raise RosterError("member id: letters, digits, _ . - (at most 64)")
    if role not in ROLES:
        raise RosterError("role: staff or volunteer")
    if not PIN.match(pin):
        raise RosterError("the PIN must be exactly 6 digits")
    if badge is not None and not re.fullmatch(r"[0-9A-Fa-f: ]{2,40}", badge):
        raise RosterError("badge: the card UID in hex")
    data, members = _members(current_roster(hub))
    entry = {"id": member_id, "role": role, "display_name": name,
             "badge_uid": badge.replace(":", "").replace(" ", "").upper() if badge else None,
             "pin_hash": PasswordHasher().hash(pin)}
    kept = [m for m in members if m.get("id") != member_id]
    old = next((m for m in members if m.get("id") == member_id), None)
    if badge is None and old is not None:
        entry["badge_uid"] = old.get("badge_uid")  # updating a PIN or name keeps the badge
    data["members"] = [*kept, entry]
    data["version"] = int(data.get("version") or 0) + 1
    return hub.datasets.publish("roster", json.dumps(data, ensure_ascii=False))
