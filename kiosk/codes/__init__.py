"""Code verification (Qt-free): classify a scanned payload, verify it offline (EU DCC `HC1:`, kiosk-signed
`KC1:`) or through the hub (online-only codes), and return a `Verdict` with a plain zh/en message.
"""

from kiosk.codes.verdict import CodeFormat, Subject, Verdict, VerdictKind
from kiosk.codes.verify import OnlineUnavailable, OnlineVerifier, verify_payload

__all__ = [
    "CodeFormat",
    "OnlineUnavailable",
    "OnlineVerifier",
    "Subject",
    "Verdict",
    "VerdictKind",
    "verify_payload",
]
