"""A damaged-code set generated from the EU DCC test images: dimmed, blurred, noisy, rotated, small and
dark-mode variants of each code on a 1280×720 camera-like frame (deterministic: fixed seeds)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from tests.codes.dcc_testdata import dcc_files
from tests.scanner.media import background, frame_with


def sample_codes(root: Path, n: int) -> list[tuple[Any, str]]:
    """`n` (image, payload) pairs spread over the countries' files (every k-th file that has an image)."""
    pairs: list[tuple[Any, str]] = []
    for path in dcc_files(root):
        data = json.loads(path.read_text(encoding="utf-8"))
        if not data.get("2DCODE") or data.get("EXPECTEDRESULTS", {}).get("EXPECTEDPICTUREDECODE") is False:
            continue
        img = cv2.imdecode(np.frombuffer(base64.b64decode(data["2DCODE"]), np.uint8), cv2.IMREAD_COLOR)
        if img is not None:
            pairs.append((img, data["PREFIX"]))
    step = max(1, len(pairs) // n)
    return pairs[::step][:n]


def _dimmed(f: Any, rng: np.random.Generator) -> Any:
    return (f.astype(np.float32) * 0.08 + 110).astype(np.uint8)  # phone at low brightness under hall lights


def _blurred(f: Any, rng: np.random.Generator) -> Any:
    return cv2.GaussianBlur(f, (0, 0), 1.8)  # out of focus / hand shake


def _noisy(f: Any, rng: np.random.Generator) -> Any:
    return np.clip(f.astype(np.float32) + rng.normal(0, 70, f.shape), 0, 255).astype(np.uint8)


def _rotated(f: Any, rng: np.random.Generator) -> Any:
    h, w = f.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), 30, 1.0)
    return cv2.warpAffine(f, m, (w, h), borderMode=cv2.BORDER_REPLICATE)


def _dark_mode(f: Any, rng: np.random.Generator) -> Any:
    return cv2.bitwise_not(f)


DAMAGES: dict[str, Callable[[Any, np.random.Generator], Any]] = {
    "dimmed": _dimmed, "blurred": _blurred, "noisy": _noisy, "rotated": _rotated, "dark_mode": _dark_mode,
}


def damaged_frames(codes: list[tuple[Any, str]]) -> Iterator[tuple[str, Any, str]]:
    """(damage name, 1280×720 frame, expected payload) for every code and damage, plus a small variant."""
    rng = np.random.default_rng(7)
    for i, (img, payload) in enumerate(codes):
        base = frame_with(img, seed=i, height=380)
        for name, damage in DAMAGES.items():
            yield name, damage(base, rng), payload
        # Code far from the camera: about 1.5 px per module, averaged like a lens does.
        yield "small", frame_with(img, seed=i, height=130, interpolation=cv2.INTER_AREA), payload


def clean_frames(codes: list[tuple[Any, str]]) -> Iterator[tuple[Any, str]]:
    for i, (img, payload) in enumerate(codes):
        yield frame_with(img, seed=i, height=380), payload


def empty_frame() -> Any:
    return background(3)
