"""The hub's memory of a person's phone, for the kiosk's one-tap "138****8000 是您的电话吗？".

At ingest, each transaction that carries a mobile number stores it sealed under a keyed hash of the applicant's
ID number (newest wins). `POST /v1/people/known-phone` (kiosk token; the ID number in the body, never in a URL
or log) answers `{"phone": "13800138000" | null}`. Mounted by `mount(app, hub)`.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

from sync.hub.auth import Kiosk
from sync.hub.db import HubDB
from sync.hub.service import Hub

TABLE = "known_phones"
_MOBILE = re.compile(r"\A1[3-9]\d{9}\Z")
_ID = re.compile(r"\A[0-9]{17}[0-9X]\Z")

router = APIRouter()


def init_schema(db: HubDB) -> None:
    with db.transaction():
        db.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (id_hash TEXT PRIMARY KEY, phone_enc TEXT NOT NULL, "
                   "given_at TEXT NOT NULL)")


def _seal(hub: Hub, id_hash: str, phone: str) -> str:
    return hub.keys.seal(TABLE, "phone_enc", id_hash, phone.encode("ascii"))


def on_record(hub: Hub, db: HubDB, kiosk_id: str, kind: str, key: str, body: dict[str, Any]) -> None:
    """Ingest listener: remember the newest mobile number given with a transaction, sealed."""
    if kind != "transaction":
        return
    applicant = body.get("applicant") or {}
    phone = (body.get("form") or {}).get("phone")
    id_number = applicant.get("id_number") if isinstance(applicant, dict) else None
    if not (isinstance(phone, str) and _MOBILE.match(phone) and isinstance(id_number, str) and id_number):
        return
    id_hash = hub.keys.lookup_hash(id_number.upper())
    given_at = str(body.get("created_at") or "")
    db.execute(f"INSERT INTO {TABLE}(id_hash, phone_enc, given_at) VALUES (?,?,?) ON CONFLICT(id_hash) DO UPDATE "
               f"SET phone_enc=excluded.phone_enc, given_at=excluded.given_at WHERE excluded.given_at >= "
               f"{TABLE}.given_at", (id_hash, _seal(hub, id_hash, phone), given_at))


def latest_phone(hub: Hub, id_number: str) -> str | None:
    id_hash = hub.keys.lookup_hash(id_number.upper())
    row = hub.db.one(f"SELECT phone_enc FROM {TABLE} WHERE id_hash=?", (id_hash,))
    if row is None:
        return None
    try:
        return hub.keys.unseal(TABLE, "phone_enc", id_hash, row[0]).decode("ascii")
    except Exception:  # sealed under a key since dropped: as good as unknown; the next transaction refreshes it
        return None


@router.post("/v1/people/known-phone")
async def known_phone(request: Request, kiosk_id: Kiosk) -> JSONResponse:
    try:
        data = await request.json()
    except ValueError:
        raise HTTPException(400, "body is not JSON") from None
    id_number = data.get("id_number") if isinstance(data, dict) else None
    if not isinstance(id_number, str) or not _ID.match(id_number.upper()):
        raise HTTPException(422, "id_number must be an 18-character ID number")
    phone = latest_phone(request.app.state.hub, id_number)
    return JSONResponse({"phone": phone}, headers={"Cache-Control": "no-store"})


def mount(app: FastAPI, hub: Hub) -> None:
    init_schema(hub.db)
    hub.data_keys.add_column(TABLE, "id_hash", "phone_enc")  # this hub's data key rotation re-seals the phones too
    hub.records.add_listener(lambda db, kiosk_id, kind, key, body: on_record(hub, db, kiosk_id, kind, key, body))
    app.include_router(router)
