"""A phone number the hall already knows, offered for one-tap confirmation ("138****8000 是您的电话吗？").

Looked up by the person's ID number: first from the hub when online (a `remote` look-up, see sync/people.py),
else from this kiosk's own earlier submissions (sealed payloads found by the lookup hash). Only well-formed
mobile numbers are offered; the screen shows the masked form, the full number fills the form once confirmed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.identity.masking import mask_phone
from kiosk.locale import phrase
from kiosk.messages import Message
from kiosk.store.db import Store

log = logging.getLogger(__name__)
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
LOCAL_SCAN_LIMIT = 20  # newest submissions looked at; enough for a regular, bounded for a busy kiosk

RemoteLookup = Callable[[str], str | None]


@dataclass(frozen=True)
class KnownPhone:
    phone: str = ""  # full number: memory only, never shown, never logged
    source: str = "kiosk"  # kiosk | hub

    @property
    def masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def question(self) -> Message:
        return phrase("known_phone.phone_number", masked=self.masked)

    def __repr__(self) -> str:
        return f"KnownPhone(masked={self.masked!r}, source={self.source!r})"

    __str__ = __repr__


def is_offerable(phone: object) -> bool:
    return isinstance(phone, str) and bool(_MOBILE.match(phone))


def local_phone(store: Store, id_number: str) -> str | None:
    """The phone given with this person's latest submission on this kiosk, if any."""
    rows = store.conn.execute("SELECT id, payload_enc FROM transactions WHERE applicant_hmac=? "
                              "ORDER BY created_at DESC LIMIT ?", (store.lookup_hash(id_number), LOCAL_SCAN_LIMIT))
    for row in rows:
        phone = (store.unseal("transactions", row["id"], row["payload_enc"]).get("form") or {}).get("phone")
        if is_offerable(phone):
            return str(phone)
    return None


def known_phone(store: Store, id_number: str, *, remote: RemoteLookup | None = None) -> KnownPhone | None:
    """The number to offer, or None (then the person types it). A failing hub look-up falls back to the kiosk."""
    if not id_number:
        return None
    if remote is not None:
        try:
            phone = remote(id_number)
        except Exception as exc:  # the hub is optional here: offline or slow means "ask the kiosk"
            log.info("known phone: hub look-up failed", extra={"error": type(exc).__name__})
            phone = None
        if is_offerable(phone):
            return KnownPhone(str(phone), "hub")
    phone = local_phone(store, id_number)
    return KnownPhone(phone, "kiosk") if phone else None
