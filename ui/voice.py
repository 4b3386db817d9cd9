"""Spoken prompts: fixed prompts pre-rendered to WAV by espeak-ng (cmn, yue, en) and played with QtMultimedia;
dynamic text (item names) rendered on a worker thread. No sound device or no espeak-ng: text only, quietly.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect

log = logging.getLogger(__name__)

VOICES = {"zh_CN": "cmn", "en": "en", "yue": "yue"}
DEFAULT_CACHE = Path(__file__).resolve().parent / "voice_cache"


def espeak_path() -> str | None:
    return shutil.which("espeak-ng")


def sound_device_present() -> bool:
    """True when ALSA lists a sound card or a PulseAudio/PipeWire server is reachable (Qt-free check)."""
    cards = Path("/proc/asound/cards")
    if cards.exists():
        text = cards.read_text(errors="replace").strip()
        if text and "no soundcards" not in text:
            return True
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if os.environ.get("PULSE_SERVER"):
        return True
    return bool(runtime and ((Path(runtime) / "pulse" / "native").exists() or (Path(runtime) / "pipewire-0").exists()))


def clip_name(voice: str, text: str) -> str:
    """Cache file name: the same voice and text always give the same file, so rebuilding skips done work."""
    digest = hashlib.sha256(f"{voice}\n{text}".encode()).hexdigest()[:20]
    return f"{voice}-{digest}.wav"


def render(voice: str, text: str, cache_dir: Path, speed: int = 140) -> Path | None:
    """Render `text` with espeak-ng into the cache (skipped when present); None when espeak-ng is missing."""
    out = cache_dir / clip_name(voice, text)
    if out.exists() and out.stat().st_size > 44:
        return out
    tool = espeak_path()
    if tool is None:
        return None
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".part")
    try:
        # Slower than espeak's default 175 wpm: the listeners are often old and hard of hearing.
        subprocess.run([tool, "-v", voice, "-s", str(speed), "-w", str(tmp), text], check=True,
                       capture_output=True, timeout=60)
        tmp.replace(out)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("espeak-ng failed for voice %s: %s", voice, type(exc).__name__)
        tmp.unlink(missing_ok=True)
        return None
    return out


class Voice:
    """Says a screen's prompt in the chosen language (and Cantonese after Mandarin on Read aloud).

    `spoken` keeps the last texts asked for (tests and the status of Read aloud); playback happens only
    when a sound device exists. Rendering runs on a worker thread; `post` hands the file back to the GUI.
    """

    def __init__(self, enabled: bool, cantonese: bool, cache_dir: Path | None = None,
                 post: Callable[[Callable[[], None]], None] | None = None) -> None:
        self.enabled = enabled
        self.cantonese = cantonese
        self.cache_dir = cache_dir or DEFAULT_CACHE
        self.can_play = enabled and sound_device_present() and espeak_path() is not None
        self.spoken: list[tuple[str, str]] = []
        self._post = post
        self._effect: QSoundEffect | None = None
        self._queue: list[Path] = []

    def say(self, text: str, lang: str, *, with_cantonese: bool = False) -> None:
        if not text:
            return
        voices = [VOICES.get(lang, "en")]
        if with_cantonese and self.cantonese and lang == "zh_CN":
            voices.append(VOICES["yue"])
        for v in voices:
            self.spoken.append((v, text))
        del self.spoken[:-50]
        if not self.can_play:
            return
        threading.Thread(target=self._render_then_play, args=(voices, text), name="voice-render", daemon=True).start()

    def stop(self) -> None:
        self._queue.clear()
        if self._effect is not None:
            self._effect.stop()

    def forget(self) -> None:
        """Drop remembered texts (they may name the citizen's chosen items)."""
        self.spoken.clear()
        self.stop()

    def _render_then_play(self, voices: list[str], text: str) -> None:
        files = [f for f in (render(v, text, self.cache_dir) for v in voices) if f is not None]
        if files and self._post is not None:
            self._post(lambda: self._play(files))

    def _play(self, files: list[Path]) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtMultimedia import QSoundEffect

        self.stop()
        self._queue = list(files[1:])
        if self._effect is None:
            self._effect = QSoundEffect()
            self._effect.playingChanged.connect(self._next)
        self._effect.setSource(QUrl.fromLocalFile(str(files[0])))
        self._effect.play()

    def _next(self) -> None:
        if self._effect is not None and not self._effect.isPlaying() and self._queue:
            self._effect.setSource(QUrl_from(self._queue.pop(0)))
            self._effect.play()


def QUrl_from(path: Path):
    from PySide6.QtCore import QUrl

    return QUrl.fromLocalFile(str(path))
