"""Tell what kind of code a scanned payload is, from its text alone (no decoding, never raises)."""

from __future__ import annotations

import re

from kiosk.codes.verdict import CodeFormat

SIGNED_PREFIXES = {"HC1:": CodeFormat.DCC, "KC1:": CodeFormat.KIOSK}

# Online-only codes: provincial health codes and e-ID / certificate codes (亮码办事) are URLs or opaque tokens
# whose meaning only the issuing platform knows; the hub asks it. Tokens are recognised by these schemes.
ONLINE_SCHEMES = ("https://", "http://")
ONLINE_TOKEN = re.compile(r"^(?:GDHC|YSS|CTID|EID|ECERT):[A-Za-z0-9._~+/=-]{8,2048}$")
MAX_PAYLOAD = 16 * 1024


def classify(payload: str) -> CodeFormat:
    if not isinstance(payload, str) or not payload or len(payload) > MAX_PAYLOAD:
        return CodeFormat.UNKNOWN
    text = payload.strip()
    for prefix, fmt in SIGNED_PREFIXES.items():
        if text.startswith(prefix):
            return fmt
    lower = text[:8].lower()
    if lower.startswith(ONLINE_SCHEMES) and len(text) > 10 and not any(c.isspace() for c in text):
        return CodeFormat.ONLINE
    if ONLINE_TOKEN.match(text):
        return CodeFormat.ONLINE
    return CodeFormat.UNKNOWN
