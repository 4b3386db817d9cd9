"""Kiosk side of the help station: has a volunteer taken my help request? (`GET /v1/help-requests/{id}`).

The kiosk shows "志愿者 张三 正在过来" only when the hub says the request is claimed; `None` means the hub does
not know the request yet — offline, or still in the outbox — so the kiosk says where the help desk is instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote

import requests

from sync.client import HubClient

STATES = ("open", "claimed", "resolved")


@dataclass(frozen=True)
class HelpStatus:
    state: str  # open | claimed | resolved
    claimed_by: str | None  # the volunteer's display name once claimed


def fetch_help_status(client: HubClient, help_request_id: str) -> HelpStatus | None:
    """The hub's state of this kiosk's help request; None when offline or the hub has not received it yet."""
    try:
        got = client.fetch("help-requests/" + quote(help_request_id, safe=""))
    except requests.RequestException:  # offline, a timeout, a 5xx, or a refusal (401: the token was revoked)
        return None
    if got.status != 200 or got.body is None:
        return None  # 404: still in the outbox (or another kiosk's id)
    try:
        data = json.loads(got.body)
    except ValueError:
        return None
    state = data.get("state") if isinstance(data, dict) else None
    if state not in STATES:
        return None
    name = data.get("claimed_by")
    return HelpStatus(state, name if isinstance(name, str) and name else None)
