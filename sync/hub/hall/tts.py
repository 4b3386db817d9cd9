"""Spoken calls for the board: "请 A017 号到 3 号窗口" rendered by espeak-ng (Mandarin `cmn`, Cantonese `yue`).

Clips are WAV files cached on disk by text and voice, so each call is synthesised once per hub.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

from platformdirs import user_cache_dir

VOICES = {"cmn": "cmn", "yue": "yue"}
NUMBER = re.compile(r"\A[A-Z]{0,2}\d{1,5}\Z")
_DIGITS = "零一二三四五六七八九"
_lock = threading.Lock()


def call_text(number: str, counter_id: str) -> str:
    return f"请 {number} 号到 {counter_id} 号窗口"


def spoken_text(number: str, counter_id: str) -> str:
    """Digits of the ticket read one by one (A017 → "A 零一七"), as halls announce them; the counter as a number."""
    letters = "".join(c for c in number if c.isalpha())
    digits = "".join(_DIGITS[int(c)] for c in number if c.isdigit())
    return f"请，{letters} {digits} 号，到 {counter_id} 号窗口"


def cache_dir() -> Path:
    """$KIOSK_HUB_AUDIO_CACHE, else the hub user's own cache directory (not a shared /tmp others could fill)."""
    base = os.environ.get("KIOSK_HUB_AUDIO_CACHE") or user_cache_dir("kiosk-hub") + "/audio"
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def render(number: str, counter_id: str, voice: str, directory: Path | None = None) -> Path:
    """The WAV clip for this call (from the cache, or rendered now); ValueError for a bad number or voice."""
    if voice not in VOICES or not NUMBER.match(number) or not re.match(r"\A[A-Za-z0-9_-]{1,16}\Z", counter_id):
        raise ValueError("bad call")
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise RuntimeError("espeak-ng is not installed (packaging/setup.sh installs it)")
    text = spoken_text(number, counter_id)
    directory = directory or cache_dir()
    target = directory / f"{hashlib.sha256(f'{voice}|{text}'.encode()).hexdigest()[:24]}.wav"
    if target.exists():
        return target
    with _lock:
        if not target.exists():
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            subprocess.run([exe, "-v", VOICES[voice], "-s", "140", "-w", str(tmp), text], check=True,
                           capture_output=True, timeout=20)
            os.replace(tmp, target)
    return target
