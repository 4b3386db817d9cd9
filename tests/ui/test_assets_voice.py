"""Set-up assets and voice: fixed prompts (from the text catalog) pre-rendered with espeak-ng (cmn, yue, en) and skipped
when up to date, a prompt on every screen in both languages, text-only and quiet without a sound device."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ui import build_assets
from ui.voice import Voice, clip_name, espeak_path, render, sound_device_present

ROOT = Path(__file__).resolve().parents[2]


def test_build_assets_renders_prompts_once(tmp_path: Path) -> None:
    assert espeak_path() is not None, "espeak-ng is installed by packaging/setup.sh"
    texts = build_assets.prompt_texts()
    assert set(texts) == {"cmn", "yue", "en"}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in texts["cmn"])
    assert texts["cmn"] == texts["yue"] and len(texts["en"]) == len(texts["cmn"])
    # Render a few (the full set takes espeak-ng a while; set-up does it once).
    cache = tmp_path / "voice"
    samples = [("cmn", texts["cmn"][0]), ("yue", texts["yue"][0]), ("en", texts["en"][0])]
    for voice, text in samples:
        out = render(voice, text, cache)
        assert out is not None and out.read_bytes()[:4] == b"RIFF" and out.stat().st_size > 10000
    mtimes = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    for voice, text in samples:
        render(voice, text, cache)  # up to date: not rendered again
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == mtimes
    assert sorted(mtimes) == sorted(clip_name(v, t) for v, t in samples)


def test_build_assets_never_fails_set_up_without_espeak(tmp_path: Path) -> None:
    env = dict(os.environ, PATH=str(tmp_path))  # no espeak-ng on PATH
    out = subprocess.run([sys.executable, "-m", "ui.build_assets", "--voice-cache", str(tmp_path / "v")],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "espeak-ng not found" in out.stderr


def test_every_state_has_a_spoken_prompt_in_both_languages(make_window: Any) -> None:
    """The voice clips are rendered from `ui.prompts`; the screen shows the journey's words: the same sentence."""
    from kiosk.journey import State
    from kiosk.journey.texts import PROMPTS
    from ui.prompts import prompts

    win = make_window()
    zh = prompts()
    win.set_language("en")
    en = prompts()
    for name in [*(s.value for s in State if s.value in PROMPTS), "idle"]:
        assert zh[name] and en[name] and zh[name] != en[name], name
        if name in PROMPTS:
            assert (zh[name], en[name]) == (PROMPTS[name].zh, PROMPTS[name].en), name


def test_voice_is_quiet_without_a_sound_device(make_window: Any, qtbot: Any) -> None:
    win = make_window()
    voice: Voice = win.deps.voice
    if sound_device_present():
        pytest.fail("this test expects the CI machine to have no sound device")  # the premise, stated
    assert voice.enabled and not voice.can_play
    win.read_aloud()
    assert voice.spoken[-2:] == [("cmn", voice.spoken[-2][1]), ("yue", voice.spoken[-1][1])]
    assert "您好" in voice.spoken[-1][1]


def test_doctor_says_text_only_without_sound(tmp_path: Path) -> None:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'data_dir = "{tmp_path / "d"}"\n', encoding="utf-8")
    kiosk = shutil.which("kiosk", path=str(Path(sys.executable).parent))
    out = subprocess.run([kiosk, "--config", str(cfg), "doctor", "--json"], capture_output=True, text=True,
                         timeout=120)
    assert "sound" in out.stdout
    import json

    checks = json.loads(out.stdout)
    checks = checks.get("checks", checks) if isinstance(checks, dict) else checks
    sound = [c for c in checks if c["name"] == "sound"]
    assert sound and sound[0]["level"] == "warning" and "text only" in sound[0]["message"]


def test_doctor_checks_the_qt_version() -> None:
    import ui.checks as checks_module

    [result] = checks_module.qt_check(None)
    assert result.name == "qt" and result.ok, result.message  # this environment has a working PySide6
