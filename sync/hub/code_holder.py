"""The holder part of the hub's answer for an online code: whom the issuer says the code belongs to, as the kiosk
needs it to match the identified person (name, birth date, a salted short digest of the ID number; never the number)."""

from __future__ import annotations

from typing import Any

from kiosk.codes.kiosk_codes import id_digest, new_salt


def holder_answer(holder: Any) -> dict[str, str] | None:
    """`holder` as the issuer gave it (a name, or {name, date_of_birth, id_number | id_digest + salt}) → the
    answer's `holder` object, or None when the issuer says nothing about whose code it is. An ID number is
    answered as `id_digest(salt, number)` under a fresh salt, as the hub's own kiosk codes carry it."""
    if isinstance(holder, str):
        holder = {"name": holder}
    if not isinstance(holder, dict):
        return None
    out: dict[str, str] = {}
    for key in ("name", "date_of_birth"):
        value = holder.get(key)
        if isinstance(value, str) and value.strip():
            out[key] = value.strip()
    number, digest, salt = holder.get("id_number"), holder.get("id_digest"), holder.get("salt")
    if isinstance(number, str) and number.strip():
        salt = new_salt()
        out.update(id_digest=id_digest(salt, number), salt=salt)
    elif isinstance(digest, str) and isinstance(salt, str):
        out.update(id_digest=digest, salt=salt)
    return out or None
