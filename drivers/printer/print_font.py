"""The faces paper is set in: the installed Noto Sans CJK SC, and a reduced copy of it (ASCII, CJK punctuation,
GB 2312's 6,763 hanzi) built once at set-up, whose subsets embed in a fraction of a second instead of 8–10 s."""

from __future__ import annotations

import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

FONT_FAMILY = "Noto Sans CJK SC"
_FONT_FILES = {"": "NotoSansCJK-Regular.ttc", "B": "NotoSansCJK-Bold.ttc"}
_FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/noto-cjk"))


class FontMissingError(RuntimeError):
    """Noto Sans CJK is not installed (packaging/setup.sh installs fonts-noto-cjk)."""


@cache
def font_file(style: str = "") -> tuple[Path, int]:
    """The Noto Sans CJK SC face for `style` ("" or "B"): its collection file and the SC face's index in it."""
    from fontTools.ttLib import TTCollection

    candidates = [d / _FONT_FILES[style] for d in _FONT_DIRS]
    fc = shutil.which("fc-match")
    if fc:
        weight = "Bold" if style == "B" else "Regular"
        out = subprocess.run([fc, "-f", "%{file}", f"{FONT_FAMILY}:style={weight}"], capture_output=True,
                             text=True, timeout=10).stdout.strip()
        if out:
            candidates.append(Path(out))
    for path in candidates:
        if not path.is_file():
            continue
        if path.suffix.lower() != ".ttc":
            return path, 0
        collection = TTCollection(str(path), lazy=True)
        for index, face in enumerate(collection.fonts):
            if face["name"].getDebugName(1) == FONT_FAMILY:
                return path, index
    raise FontMissingError(f"{FONT_FAMILY} not found")


# Where the set-up puts the reduced faces: beside the installed software, so the kiosk user can read them and a
# new install (or a new Noto package: see `usable`) builds them again.
DEFAULT_DIR = Path(sys.prefix) / "share" / "kiosk" / "fonts"
_NAMES = {"": "NotoSansCJKsc-Print-Regular.otf", "B": "NotoSansCJKsc-Print-Bold.otf"}
# Typographic marks a receipt or ticket uses beyond ASCII and the CJK/full-width blocks.
_MARKS = "·—–…“”‘’•×÷°№™®©€¥₩\u2060\u00a0"


@cache
def charset() -> frozenset[int]:
    """The characters the reduced face keeps: printable ASCII, Latin-1 letters, CJK symbols and punctuation,
    full-width forms, and every character of GB 2312 (which holds the hanzi of nearly every name and item)."""
    chars = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | set(range(0x3000, 0x3040)) \
        | set(range(0xFF00, 0xFFF0)) | {ord(c) for c in _MARKS}
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes((hi, lo)).decode("gb2312")))
            except UnicodeDecodeError:
                continue  # an unassigned code point of the table
    return frozenset(chars)


def reduced_path(style: str, folder: Path | None = None) -> Path:
    return (folder or DEFAULT_DIR) / _NAMES[style]


def usable(style: str, full: Path, folder: Path | None = None) -> Path | None:
    """The reduced face for `style` when it was built from the installed `full` face (not older than it)."""
    path = reduced_path(style, folder)
    try:
        return path if path.stat().st_mtime >= full.stat().st_mtime else None
    except OSError:
        return None


def covers(face: Path, text: str) -> bool:
    """Whether the face has a glyph for every character of `text` (else the document takes the full face)."""
    have = _mapped(str(face), face.stat().st_mtime)
    return all(ord(c) in have or c in "\n\r\t" for c in text)


@cache
def _mapped(path: str, _mtime: float) -> frozenset[int]:
    """The characters `path` maps to glyphs (its own cmap, not the list it was built from: GB 2312 holds a few
    code points Noto leaves out). Cached per file version."""
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(path, lazy=True).getBestCmap())


def build(folder: Path | None = None) -> list[Path]:
    """Write the reduced faces (both weights) into `folder`; a face already up to date is kept."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    out = []
    for style in ("", "B"):
        full, index = font_file(style)
        path = reduced_path(style, folder)
        if usable(style, full, folder) is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            font = TTFont(str(full), fontNumber=index, lazy=True)  # lazy: only the kept glyphs are decoded
            options = subset.Options()
            options.name_IDs = ["*"]  # keep the names: the PDF's font name and the licence stay as they were
            options.name_languages = ["*"]
            options.notdef_outline = True
            options.layout_features = ["*"]
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=charset())
            subsetter.subset(font)
            tmp = path.with_suffix(".tmp")
            font.save(str(tmp))
            tmp.replace(path)  # whole or not at all: a cut during the build leaves no half font
        out.append(path)
    return out


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    try:
        paths = build(folder)
    except FontMissingError as e:
        print(f"print fonts: not built ({e}); paper uses the full face", file=sys.stderr)
        return 1
    for p in paths:
        print(f"print font: {p} ({p.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
