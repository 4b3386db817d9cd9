"""Build-time assets for the UI: compile the committed .ts translations to .qm (pyside6-lrelease) and
pre-render the fixed voice prompts with espeak-ng (cmn, yue, en). Skips what is up to date; never fails set-up."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def build_translations(out_dir: Path | None = None) -> list[Path]:
    from ui.i18n import TS_FILES, compile_ts

    built = []
    for lang in TS_FILES:
        qm = compile_ts(lang, out_dir)
        if qm is None:
            print(f"build_assets: translation {lang} not built (pyside6-lrelease missing?)", file=sys.stderr)
        else:
            built.append(qm)
    return built


def prompt_texts(qm_dir: Path | None = None) -> dict[str, list[str]]:
    """The fixed prompts per voice: Mandarin and Cantonese read the Chinese text, English the source."""
    from PySide6.QtCore import QTranslator

    from ui.i18n import CONTEXT, qm_path
    from ui.prompts import prompts

    english = list(prompts().values())  # no translator installed here: the English sources
    translator = QTranslator()  # asked directly, so no Qt application object is needed
    chinese: list[str] = []
    if translator.load(str(qm_path("zh_CN", qm_dir))):
        chinese = [translator.translate(CONTEXT, text) or text for text in english]
    return {"en": english, "cmn": chinese, "yue": chinese}


def build_voice(cache_dir: Path | None = None, qm_dir: Path | None = None) -> int:
    from ui.voice import DEFAULT_CACHE, espeak_path, render

    if espeak_path() is None:
        print("build_assets: espeak-ng not found; voice prompts skipped (the kiosk shows text only)", file=sys.stderr)
        return 0
    cache = cache_dir or DEFAULT_CACHE
    count = 0
    for voice, texts in prompt_texts(qm_dir).items():
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
        built = build_translations()
        print(f"build_assets: {len(built)} translation file(s) ready")
        if not args.no_voice:
            n = build_voice(args.voice_cache)
            print(f"build_assets: {n} voice prompt(s) ready")
    except Exception as exc:  # set-up goes on: the kiosk works with English text and no voice
        print(f"build_assets: skipped ({type(exc).__name__}: {exc})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
