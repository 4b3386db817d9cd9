"""Find QR codes in an image (numpy array from OpenCV): pyzbar or zxing-cpp, and on frames that do not decode,
retries with CLAHE contrast, Otsu binarisation, inversion and upscaling. Shared by the camera driver and the
`kiosk scan` command; imports OpenCV and the decoders lazily so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

DECODERS = ("pyzbar", "zxing")
DEFAULT_DECODER = "zxing"  # read 142/144 damaged codes vs pyzbar 125/144, ~10× faster: see tests/bench
SMALL_SIDE = 720  # below this the code's modules can be too few pixels for zbar: also try 2× upscaled


@dataclass(frozen=True)
class DecodeResult:
    payloads: tuple[str, ...]
    attempt: str | None  # which variant decoded: plain, clahe, otsu, inverted, upscaled (None = nothing)


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # zbar hands back raw bytes; never fail on them


def _pyzbar(gray: Any) -> list[str]:
    from pyzbar import pyzbar

    return [_text(s.data) for s in pyzbar.decode(gray, symbols=[pyzbar.ZBarSymbol.QRCODE])]


def _zxing(gray: Any) -> list[str]:
    import zxingcpp

    # zxing-cpp already tries inversion, rotation and downscaling internally.
    qr = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    return [b.text for b in zxingcpp.read_barcodes(gray, formats=qr) if b.valid]


def decoder_fn(name: str) -> Callable[[Any], list[str]]:
    if name == "pyzbar":
        return _pyzbar
    if name == "zxing":
        return _zxing
    raise ValueError(f"unknown decoder {name!r} (choose from {', '.join(DECODERS)})")


def to_gray(img: Any) -> Any:
    import cv2

    if img.ndim == 2:
        return img
    if img.shape[2] == 4:
        return cv2.cvtColor(img, cv2.COLOR_BGRA2GRAY)
    return cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)


def _clahe(gray: Any) -> Any:
    import cv2

    return cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8)).apply(gray)  # dim or washed-out screens


def _otsu(gray: Any) -> Any:
    import cv2

    blur = cv2.GaussianBlur(_clahe(gray), (3, 3), 0)
    _t, otsu = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)  # glare, uneven print
    return otsu


def _inverted(gray: Any) -> Any:
    import cv2

    return cv2.bitwise_not(gray)  # dark-mode phone screens show light-on-dark codes


def _upscaled(gray: Any) -> Any:
    import cv2

    return cv2.resize(_clahe(gray), None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC)  # small codes


RETRIES: list[tuple[str, Callable[[Any], Any]]] = [("clahe", _clahe), ("otsu", _otsu), ("inverted", _inverted),
                                                   ("upscaled", _upscaled)]


def retries_for(gray: Any) -> list[tuple[str, Callable[[Any], Any]]]:
    small = min(gray.shape[:2]) < SMALL_SIDE
    return [r for r in RETRIES if r[0] != "upscaled" or small]


def decode_image(img: Any, decoder: str = DEFAULT_DECODER, *, max_retries: int | None = None,
                 retry_offset: int = 0) -> DecodeResult:
    """All QR payloads found in `img` (BGR, BGRA or gray uint8), in reading order, without duplicates.

    When the plain image does not decode, retries run on transformed images: all of them by default, or at
    most `max_retries` starting at `retry_offset` (the camera passes its frame number, so successive frames
    try successive transformations and each frame stays within the camera's pace).
    """
    fn = decoder_fn(decoder)
    if img is None or getattr(img, "size", 0) == 0:
        return DecodeResult((), None)
    gray = to_gray(img)
    found = fn(gray)
    if found:
        return DecodeResult(tuple(dict.fromkeys(found)), "plain")
    retries = retries_for(gray)
    count = len(retries) if max_retries is None else min(max_retries, len(retries))
    for k in range(count):
        name, transform = retries[(retry_offset + k) % len(retries)]
        found = fn(transform(gray))
        if found:
            return DecodeResult(tuple(dict.fromkeys(found)), name)
    return DecodeResult((), None)


def read_image_file(path: str) -> Any:
    """Load an image file with OpenCV (None when it is not a readable image)."""
    import cv2
    import numpy as np

    data = np.fromfile(path, dtype=np.uint8)  # also works for non-ASCII paths
    if data.size == 0:
        return None
    return cv2.imdecode(data, cv2.IMREAD_COLOR)
