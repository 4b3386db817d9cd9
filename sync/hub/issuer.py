"""Where online-only health codes are checked: the issuer back end the hub asks, and the local reference registry."""

from __future__ import annotations

from typing import Any, Protocol

from sync.hub.service import Hub


class IssuerBackend(Protocol):
    """Where online-only codes are checked: the issuing platform in production, a local registry here. The answer:
    `{verdict: valid|expired|revoked|unknown, issuer, expires_at, holder}`, `holder` being whatever the issuer says
    of whose code it is (`{name?, date_of_birth?, id_digest?, salt?}`, see `code_holder.py`) or null."""

    def verify(self, code: str) -> dict[str, Any]: ...


class LocalRegistryBackend:
    """The reference back end: codes registered on this hub (`Hub.codes.register`)."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    def verify(self, code: str) -> dict[str, Any]:
        import datetime as dt

        from sync.hub.code_holder import holder_answer

        entry = self.hub.codes.lookup(code)
        if entry is None:
            return {"verdict": "unknown", "issuer": None, "expires_at": None, "holder": None}
        verdict = "valid" if entry["status"] == "valid" else entry["status"]
        if verdict == "valid" and entry["expires_at"] and entry["expires_at"] < dt.datetime.now(dt.UTC).isoformat():
            verdict = "expired"
        info = entry["info"] if isinstance(entry["info"], dict) else {}
        return {"verdict": verdict, "issuer": entry["issuer"], "expires_at": entry["expires_at"],
                "holder": holder_answer(info.get("holder"))}
