"""Kiosk side of the hall's known phone numbers: ask the hub (`POST /v1/people/known-phone`) for the latest
mobile number given with this ID number. None when offline, refused, or unknown; the kiosk then looks locally."""

from __future__ import annotations

import requests

from sync.client import HubClient


def fetch_known_phone(client: HubClient, id_number: str) -> str | None:
    try:
        r = client._post_json("/v1/people/known-phone", {"id_number": id_number})
    except requests.RequestException:
        return None
    if r.status_code != 200:
        return None
    try:
        phone = r.json().get("phone")
    except (ValueError, AttributeError):
        return None
    return phone if isinstance(phone, str) and phone else None
