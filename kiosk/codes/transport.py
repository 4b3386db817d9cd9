"""Text transport of signed codes: `PREFIX` + base45(zlib(COSE)), with a cap on the decompressed size.

Same layering for EU DCC (`HC1:`) and kiosk-signed codes (`KC1:`).
"""

from __future__ import annotations

import zlib

import base45

from kiosk.codes.errors import malformed

# A DCC is a few hundred bytes to a few KiB; anything far larger is a zip bomb or garbage.
MAX_DECOMPRESSED = 64 * 1024
MAX_TEXT = 16 * 1024  # the largest QR code holds about 4 KiB; leave room for serial/wedge oddities


def unprefix(payload: str, prefix: str) -> str:
    if not payload.startswith(prefix):
        raise malformed("prefix", f"expected prefix {prefix!r}")
    return payload[len(prefix):]


def b45decode(text: str) -> bytes:
    if len(text) > MAX_TEXT:
        raise malformed("base45", "text too long")
    try:
        return bytes(base45.b45decode(text))  # base45 ships no types
    except (ValueError, TypeError, UnicodeError, KeyError, IndexError) as exc:
        raise malformed("base45", type(exc).__name__) from None


def decompress(data: bytes, limit: int = MAX_DECOMPRESSED) -> bytes:
    """zlib-decompress at most `limit` bytes; more, trailing garbage or a truncated stream is malformed."""
    d = zlib.decompressobj()
    try:
        out = d.decompress(data, limit)
    except zlib.error as exc:
        raise malformed("zlib", str(exc)[:80]) from None
    if d.unconsumed_tail:
        raise malformed("zlib", f"decompressed size over {limit} bytes")
    if not d.eof:
        raise malformed("zlib", "truncated stream")
    return out


def unwrap(payload: str, prefix: str) -> bytes:
    """Text → COSE bytes."""
    return decompress(b45decode(unprefix(payload, prefix)))


def wrap(cose: bytes, prefix: str) -> str:
    """COSE bytes → text (maximum compression keeps the QR code small)."""
    return prefix + bytes(base45.b45encode(zlib.compress(cose, 9))).decode("ascii")
