"""Build-time assets for the UI: pre-render the fixed voice prompts with espeak-ng (cmn, yue, en) from the text
catalog. Skips what is up to date; never fails set-up. (The catalog's .po files need no build: polib reads them.)"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def prompt_texts() -> dict[str, list[str]]:
    """The fixed prompts per voice: Mandarin and Cantonese read the Chinese text, English the English one."""
    from ui.prompts import spoken_prompts

    said = list(spoken_prompts().values())
    chinese = [m.zh for m in said]
    return {"en": [m.en for m in said], "cmn": chinese, "yue": chinese}


def build_voice(cache_dir: Path | None = None) -> int:
    from ui.voice import DEFAULT_CACHE, espeak_path, render

    if espeak_path() is None:
        print("build_assets: espeak-ng not found; voice prompts skipped (the kiosk shows text only)", file=sys.stderr)
        return 0
    cache = cache_dir or DEFAULT_CACHE
    count = 0
    for voice, texts in prompt_texts().items():
        for text in texts:
            if render(voice, text, cache) is not None:
                count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.build_assets", description=__doc__)
    parser.add_argument("--voice-cache", type=Path, default=None)
    parser.add_argument("--no-voice", action="store_true")
    args = parser.parse_args(argv)
    try:
        if not args.no_voice:
            n = build_voice(args.voice_cache)
            print(f"build_assets: {n} voice prompt(s) ready")
    except Exception as exc:  # set-up goes on: the kiosk works with text and no voice
        print(f"build_assets: skipped ({type(exc).__name__}: {exc})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
