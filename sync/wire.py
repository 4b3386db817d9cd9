"""What kiosk and hub must agree on byte for byte: canonical JSON, record digests, `Content-Digest` values.

Kept apart from the hub app so the kiosk side never imports FastAPI.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any


def canonical_json(value: Any) -> bytes:
    """The byte form both sides hash: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def body_digest(value: Any) -> str:
    """Hex SHA-256 of a record body's canonical JSON (sent as `sha256` with each record)."""
    return hashlib.sha256(canonical_json(value)).hexdigest()


def content_digest(raw: bytes) -> str:
    """The `Content-Digest` header value (RFC 9530, sha-256) for a request body."""
    return "sha-256=:" + base64.b64encode(hashlib.sha256(raw).digest()).decode("ascii") + ":"
