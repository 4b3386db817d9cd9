"""What kiosks pull: published datasets by ETag (the roster without PIN material) and authorizations by cursor."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response

from sync.hub.api.deps import HubDep
from sync.hub.auth import Kiosk
from sync.hub.members import public_roster
from sync.hub.service import DATASETS, etag_of

router = APIRouter()


def _dataset_route(name: str) -> None:
    def get(request: Request, kiosk_id: Kiosk, hub: HubDep) -> Response:
        found = hub.datasets.get(name)
        if name == "roster" and found is not None:  # PIN hashes stay on the hub (sync/hub/members.py)
            public = public_roster(found[0])
            found = (public, etag_of(public))
        if found is None:  # never a bundled or demo copy in its place
            raise HTTPException(404, f"not published: this hub has no {name} published (中心尚未发布 {name})")
        body, etag = found
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"ETag": etag})
        return Response(body.encode("utf-8"), media_type="application/json", headers={"ETag": etag})

    router.get(f"/v1/{name}", name=f"get_{name}")(get)


for _name in DATASETS:
    _dataset_route(_name)


@router.get("/v1/authorizations")
def authorizations(kiosk_id: Kiosk, hub: HubDep, since: Annotated[int, Query(ge=0)] = 0) -> dict[str, Any]:
    items, cursor = hub.authorizations.since(since)
    return {"items": items, "cursor": cursor}
