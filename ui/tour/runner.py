"""The tour's run: one window, the demo's people, a picture and the data of every state, and the state groups
(`citizen`, `proxy`, `assistance`, `staff`, `batch`) played in order: each continues from where the one before left
the kiosk (what was done earlier today, the phone given, the badge signed in)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.config import KioskConfig
from sync.status import SteadyNetwork, SyncStatus
from ui.tour import assistance, batch, citizen, proxy, staff
from ui.tour.driving import tour_window
from ui.tour.walk import Tour

SIZES = {"1920x1080": (1920, 1080), "1080x1920": (1080, 1920)}


# The state groups' parts, in the order they are played (each starts where the one before left the kiosk).
GROUPS: tuple[Callable[[Tour], None], ...] = (
    citizen.start, proxy.own_cards, proxy.grant_code, proxy.registered, citizen.health_check, citizen.adult,
    citizen.elder, citizen.same_item_today, citizen.ticket, assistance.volunteer_and_idle, staff.assisted,
    assistance.difficult_case, staff.green_channel, staff.paper_proxy, batch.batch, staff.locked_badge,
    citizen.offline)


def render_tour(cfg: KioskConfig, out_dir: Path, *, size: str = "1920x1080", lang: str = "zh_CN",
                scale: float = 1.0, on_shot: Callable[[str, Any], None] | None = None) -> list[Path]:
    """Write `<state>.png` for every screen and dialog state into `out_dir`, and `screens.json` with every
    visible button and label of each state (rules checked from data, regressions diffed); returns the PNGs.

    `on_shot(name, window)` is called at each state before the picture is taken (tests check layouts there).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    with tour_window(cfg, SIZES[size], lang, scale) as win:
        tour = Tour(win, out_dir, on_shot)
        online = SyncStatus(online=True, pending=0, rejected=0, oldest_pending_age_s=None, last_success_at=None)
        win.network = SteadyNetwork(min_interval_s=0.0, agree=1)  # the tour shows each state at once
        win.set_sync_status(online)
        for group in GROUPS:
            group(tour)
    (out_dir / "screens.json").write_text(json.dumps({"size": size, "lang": lang, "scale": scale,
                                                      "states": tour.states}, ensure_ascii=False, indent=1),
                                          encoding="utf-8")
    return tour.files


def tour_matrix() -> list[tuple[str, str]]:
    return [(s, lang) for s in SIZES for lang in ("zh_CN", "en")]
