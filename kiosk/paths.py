"""Default locations (platformdirs) for the config file and the data directory."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP = "service-hall-kiosk"


def default_config_path() -> Path:
    env = os.environ.get("KIOSK_CONFIG")
    return Path(env) if env else user_config_path(APP) / "kiosk.toml"


def default_data_dir() -> Path:
    return user_data_path(APP)
