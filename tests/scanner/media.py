"""Test media made on the fly: QR code images, camera-like 1280×720 frames and video files (OpenCV)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import qrcode

FRAME_W, FRAME_H = 1280, 720


def qr_image(payload: str, *, box: int = 6, border: int = 4) -> Any:
    """A black-on-white QR code as a BGR uint8 array (error correction M, like most apps)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box, border=border)
    qr.add_data(payload)
    qr.make(fit=True)
    img = np.array(qr.make_image(fill_color="black", back_color="white").convert("L"), dtype=np.uint8)
    return cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)


@functools.lru_cache(maxsize=16)
def _background(seed: int, width: int, height: int) -> Any:
    rng = np.random.default_rng(seed)
    grad = np.tile(np.linspace(90, 160, width, dtype=np.float32), (height, 1))
    noise = rng.normal(0, 6, (height, width)).astype(np.float32)
    gray = np.clip(grad + noise, 0, 255).astype(np.uint8)
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)


def background(seed: int = 0, size: tuple[int, int] = (FRAME_W, FRAME_H)) -> Any:
    """A camera-like frame without a code: a hall-grey gradient with sensor noise (8 noise patterns, cycled)."""
    return _background(seed % 8, *size).copy()


def frame_with(code: Any, *, seed: int = 0, height: int = 420, size: tuple[int, int] = (FRAME_W, FRAME_H),
               interpolation: int = cv2.INTER_NEAREST) -> Any:
    """`code` scaled to `height` pixels, centred on a background frame of `size` (width, height)."""
    frame = background(seed, size)
    scale = height / code.shape[0]
    resized = cv2.resize(code, None, fx=scale, fy=scale, interpolation=interpolation)
    h, w = resized.shape[:2]
    y, x = (size[1] - h) // 2, (size[0] - w) // 2
    frame[y:y + h, x:x + w] = resized
    return frame


def write_video(path: Path, payload: str, *, fps: int = 30, seconds_before: float = 1.0,
                seconds_with: float = 2.0, size: tuple[int, int] = (FRAME_W, FRAME_H)) -> int:
    """An MJPG video: `seconds_before` without a code, then the code. Returns the index of the first frame with it."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, size)
    assert writer.isOpened(), "OpenCV cannot write MJPG video"
    first = round(seconds_before * fps)
    code = qr_image(payload)
    height = min(420, size[1] * 7 // 12)
    try:
        for i in range(first):
            writer.write(background(i, size))
        for i in range(round(seconds_with * fps)):
            writer.write(frame_with(code, seed=first + i, height=height, size=size))
    finally:
        writer.release()
    return first
