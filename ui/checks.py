"""The kiosk screen's `kiosk doctor` checks: sound (voice prompts), the Chinese font, the PySide6 version. Without
Qt: they ask the system (fontconfig, ALSA, package metadata), so they also run in `kiosk doctor` and heartbeats."""

from __future__ import annotations

import sys
from typing import Any

from kiosk.doctor import CheckResult


def sound_check(cfg: Any) -> list[CheckResult]:
    from ui.voice import espeak_path, sound_device_present

    if not cfg.ui.voice:
        return [CheckResult("sound", True, "Voice prompts are switched off in the config (ui.voice = false).")]
    if espeak_path() is None:
        return [CheckResult("sound", False, "espeak-ng is not installed, so the kiosk shows text only; "
                                            "install it: apt-get install espeak-ng.", "warning")]
    if not sound_device_present():
        return [CheckResult("sound", False, "No sound output device found, so the kiosk shows text only "
                                            "(voice prompts are quiet). Connect speakers and check the volume.",
                            "warning")]
    return [CheckResult("sound", True, "Sound output and espeak-ng are available; voice prompts will play.")]


def qt_check(cfg: Any) -> list[CheckResult]:
    """PySide6 6.12.0 on Python < 3.12 drops a reference to None on every Qt call returning nothing, so a
    kiosk running for hours dies with "deallocating None"; 6.11.x does not (measured on this project)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        qt = version("PySide6_Essentials")
    except PackageNotFoundError:
        return [CheckResult("qt", False, "PySide6 is not installed; the kiosk screen cannot start. "
                                         "Run packaging/setup.sh.")]
    if qt.startswith("6.12.") and sys.version_info < (3, 12):
        return [CheckResult("qt", False, f"PySide6 {qt} with Python {sys.version_info.major}."
                                         f"{sys.version_info.minor} crashes after a while (reference-count bug); "
                                         "install PySide6 6.11: .venv/bin/pip install 'PySide6<6.12'.")]
    return [CheckResult("qt", True, f"PySide6 {qt} is installed.")]


def font_check(cfg: Any) -> list[CheckResult]:
    """The screens are drawn in Noto Sans CJK SC (Simplified Chinese shapes); without it Qt falls back to
    another font, often with Japanese Han shapes or missing characters. Asked of fontconfig, without Qt."""
    import shutil
    import subprocess

    from ui.theme import FONT_FAMILY

    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return [CheckResult("font", False, "fontconfig (fc-list) is missing, so fonts cannot be checked: "
                                           "apt-get install fontconfig fonts-noto-cjk.", "warning")]
    out = subprocess.run([fc_list, f":family={FONT_FAMILY}", "family"], capture_output=True, text=True, timeout=20)
    if out.returncode != 0 or FONT_FAMILY not in out.stdout:
        return [CheckResult("font", False, f"The font {FONT_FAMILY} is not installed: Chinese text would be drawn "
                                           "in a wrong or missing font. Install it: apt-get install fonts-noto-cjk.")]
    return [CheckResult("font", True, f"The font {FONT_FAMILY} is installed.")]
