"""Hall settings read from the hub's published `settings` data set (`kiosk-hub publish settings FILE`).

The file is `{"version": N, "settings": {...}}`; keys may be nested (`{"queue": {"priority_ratio": 2}}`) or
dotted (`{"queue.priority_ratio": 2}`). Unknown keys are ignored here (kiosks read their own).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from sync.hub.service import Hub


class HallSettings(BaseModel):
    priority_ratio: int = Field(2, ge=0, le=20)
    max_wait_minutes: float = Field(20.0, gt=0, le=24 * 60)
    difficult_counters: list[str] = Field(default_factory=list)
    help_alert_minutes: float = Field(5.0, gt=0, le=24 * 60)
    help_desk: str = "一楼综合服务台"
    help_desk_en: str = "the service desk, ground floor"
    heartbeat_seconds: float = Field(180.0, gt=0)
    case_flag_minutes: float = Field(30.0, gt=0, le=24 * 60)


_KEYS = {"queue.priority_ratio": "priority_ratio", "queue.max_wait_minutes": "max_wait_minutes",
         "queue.difficult_counters": "difficult_counters", "help.alert_minutes": "help_alert_minutes",
         "help.desk": "help_desk", "help.desk_en": "help_desk_en",
         "fleet.heartbeat_seconds": "heartbeat_seconds", "cases.flag_minutes": "case_flag_minutes"}


def _flatten(d: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out


def parse_settings(body: str) -> HallSettings:
    """Settings from the data set body; a malformed or out-of-range value falls back to the default (and
    the rest still apply), so one typo in the file cannot stop the counters."""
    try:
        data = json.loads(body)
    except ValueError:
        return HallSettings()
    raw = data.get("settings", {}) if isinstance(data, dict) else {}
    flat = _flatten(raw) if isinstance(raw, dict) else {}
    values: dict[str, Any] = {}
    for dotted, name in _KEYS.items():
        if dotted in flat:
            try:
                HallSettings.model_validate({name: flat[dotted]})
            except ValidationError:
                continue
            values[name] = flat[dotted]
    values["difficult_counters"] = [str(c) for c in values.get("difficult_counters", [])]
    return HallSettings.model_validate(values)


def load_settings(hub: Hub) -> HallSettings:
    found = hub.datasets.get("settings")
    return parse_settings(found[0]) if found else HallSettings()
